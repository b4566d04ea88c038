// SPDX-License-Identifier: GPL-2.0-only
// Kernel code that loops without ever waiting (kernel_shim/host/
// cpu_runaway.h): no MMIO, delay, WFE or sleep, so it never meets simulated
// time. The trace-pc hook's budget of blocks stops it as the soft-lockup
// watchdog stops a busy-wait, at the threshold, the same way every time;
// before, the host spun for ever (these tests did not end).
//
// The loop: iommu_map() of 2^32 pages of 4 KiB. io-pgtable-arm's
// __arm_lpae_map() takes the page count into an int (min_t(int, pgcount,
// ...)), 0 here, so each step maps nothing and __iommu_map()'s
// `while (size)` never ends (the trace checker refuses such a size; the
// kernel-level API passes it on).
#include <cstdint>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "platform/stats.h"
#include "shim_setup.h"
#include "smmusim/host.h"
#include "support/testbench.h"

// The hook GCC's -fsanitize-coverage=trace-pc calls at each basic block of
// the upstream objects (kernel_shim/host/cpu_cost.cc): a call of it here is
// one block of kernel code.
extern "C" void __sanitizer_cov_trace_pc(void);

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

constexpr uint64_t kEndlessMap = uint64_t(1) << 44;  // 2^32 pages of 4 KiB
constexpr uint64_t kThresholdNs = 1000000;           // 1 ms

uint64_t blocks_counted()
{
    const StatGroup* g = StatRegistry::global().find("kernel.cpu0");
    const Counter* c = g ? g->find_counter("blocks") : nullptr;
    return c ? c->value() : 0;
}

struct Stop {
    std::string message;  // the soft-lockup failure's
    uint64_t ns;          // simulated time the map took
    uint64_t blocks;      // basic blocks the statistics counted meanwhile
};

// What the simulator says when it stops preemptible kernel code at the
// threshold: not the kernel's soft lockup (the map runs in process context
// with no lock held, and the shim's kernel is CONFIG_PREEMPTION).
const std::string kStoppedRe = "^CPU#0 ran preemptible kernel code for 1ms without sleeping, in "
                               "[_a-z][_a-z0-9.]*: the simulator stops it at the watchdog's threshold \\(not a "
                               "soft lockup: the real kernel, CONFIG_PREEMPTION, would preempt it for the "
                               "watchdog and keep running it\\)$";

// The endless map, stopped: exactly one more failure, a `stopped` one.
Stop endless_map(KernelShim& ks, int dom, uint64_t pa)
{
    const size_t failed = ks.failures().size();
    const uint64_t t0 = ks.now_ns(), b0 = blocks_counted();
    ks.domain_map(dom, 0, pa, kEndlessMap);
    EXPECT_EQ(ks.failures().size(), failed + 1) << ks.failures_text() << ks.dmesg();
    if (ks.failures().size() != failed + 1)
        return {};
    EXPECT_EQ(ks.failures().back().kind, "stopped");
    return {ks.failures().back().message, ks.now_ns() - t0, blocks_counted() - b0};
}

// With the cost model on, the blocks are the CPU's time: charged when
// they reach the threshold, as a busy-wait of the looping code, which is
// stopped there (preemptible: not a soft lockup, and the report says so).
// Twice: the same report, time and blocks.
TEST(CpuRunaway, AMapThatNeverWaitsIsStoppedAtTheThresholdTheSameEachTime)
{
    TestBench bench({"cmdqv.present=false"});
    KernelShim::Options o;
    o.softlockup_ns = kThresholdNs;
    KernelShim ks(bench.soc(), o);
    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));
    // A domain for each map (the first map's blocks stay mapped).
    int ep[3], dom[3];
    for (int i = 0; i < 3; i++)
        ASSERT_NO_FATAL_FAILURE(attach_paging_domain(ks, ep[i], dom[i], "dma" + std::to_string(i), {0x10u + i}));

    const Stop first = endless_map(ks, dom[0], bench.dram(0x200000));
    EXPECT_TRUE(std::regex_search(first.message, std::regex(kStoppedRe))) << first.message;
    EXPECT_TRUE(ks.log_contains("smmusim: CPU#0 stopped after 1ms of preemptible kernel code that never slept [cpu0]"))
        << ks.dmesg();
    EXPECT_FALSE(ks.log_contains("BUG: soft lockup")) << ks.dmesg();
    // Stopped once its blocks reach the threshold: the time charged is
    // theirs and that of the loop's other events (atomics, barriers,
    // allocations), a few percent more.
    EXPECT_GE(first.ns, kThresholdNs);
    EXPECT_LT(first.ns, kThresholdNs + kThresholdNs / 20);
    // 1 ms at 1.54 cycles a block at 3 GHz: 1.95 million blocks, counted
    // and charged as any others.
    EXPECT_GE(first.blocks, 1948051u);
    EXPECT_LT(first.blocks, 1948051u + 2000u);

    const Stop second = endless_map(ks, dom[1], bench.dram(0x200000));
    EXPECT_EQ(second.message, first.message);
    // (The time within a nanosecond: each is rounded down to one from
    // picoseconds, at another time.)
    EXPECT_NEAR(double(second.ns), double(first.ns), 1.0);
    EXPECT_EQ(second.blocks, first.blocks);

    // The CPU runs again afterwards: a map that ends maps.
    EXPECT_EQ(ks.domain_map(dom[2], 0x10000, bench.dram(0x200000), 0x1000), 0) << ks.failures_text();
    EXPECT_EQ(ks.domain_unmap(dom[2], 0x10000, 0x1000), 0x1000u);
    EXPECT_EQ(ks.failures().size(), 2u) << ks.failures_text();

    // The same kind of loop where it cannot be preempted (preemption
    // disabled, as under a spinlock) is the kernel's soft lockup.
    uint64_t ran = 0;
    ks.run([&] {
        unsigned long preempt = 0, flags = 0;
        smmusim_ctx_save(&preempt, &flags);
        smmusim_ctx_restore(preempt + 1, flags);  // preempt_disable()
        // Twice the threshold's blocks at most: the watchdog stops it at
        // the first.
        for (; ran < 4000000; ran++)
            __sanitizer_cov_trace_pc();
    });
    EXPECT_LT(ran, 4000000u);
    ASSERT_EQ(ks.failures().size(), 3u) << ks.failures_text() << ks.dmesg();
    EXPECT_EQ(ks.failures().back().kind, "soft-lockup");
    // (In this test's own loop: a C++ function, its name mangled.)
    EXPECT_TRUE(std::regex_search(ks.failures().back().message,
                                  std::regex("^BUG: soft lockup - CPU#0 stuck for 1ms in [_a-zA-Z][_a-zA-Z0-9.]*$")))
        << ks.failures().back().message;
    EXPECT_TRUE(ks.log_contains("watchdog: BUG: soft lockup - CPU#0 stuck for 1ms! [cpu0]")) << ks.dmesg();
}

// With the cost model off, kernel code takes no simulated time, so the
// threshold is counted in blocks at the default rate (1.54 cycles at
// 3000 MHz): the report says so, and simulated time has not moved.
TEST(CpuRunaway, WithTheCostModelOffTheThresholdIsTheBlocksAtTheDefaultRate)
{
    TestBench bench({"cmdqv.present=false"});
    KernelShim::Options o;
    o.softlockup_ns = kThresholdNs;
    o.cpu.cost_model = false;
    KernelShim ks(bench.soc(), o);
    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));
    int ep[2], dom[2];
    for (int i = 0; i < 2; i++)
        ASSERT_NO_FATAL_FAILURE(attach_paging_domain(ks, ep[i], dom[i], "dma" + std::to_string(i), {0x10u + i}));

    const Stop first = endless_map(ks, dom[0], bench.dram(0x200000));
    EXPECT_TRUE(std::regex_search(first.message, std::regex(kStoppedRe))) << first.message;
    EXPECT_EQ(first.ns, 0u);
    const std::regex ran("cpu0 ran (\\d+) basic blocks without meeting simulated time \\(cpu.cost_model off: "
                         "counted at 1.54 cycles a block at 3000 MHz\\)");
    std::smatch m;
    const std::string log = ks.dmesg();
    ASSERT_TRUE(std::regex_search(log, m, ran)) << log;
    EXPECT_GE(std::stoull(m[1]), 1948052u);
    EXPECT_LT(std::stoull(m[1]), 1948052u + 2000u);

    const Stop second = endless_map(ks, dom[1], bench.dram(0x200000));
    EXPECT_EQ(second.message, first.message);
    EXPECT_EQ(second.ns, 0u);
}

// Code that runs long but under the threshold is not disturbed: no
// failure, and its time is charged where it meets simulated time, whole.
TEST(CpuRunaway, CodeUnderTheThresholdIsChargedAsBefore)
{
    TestBench bench({"cmdqv.present=false"});
    KernelShim::Options o;
    o.softlockup_ns = kThresholdNs;
    KernelShim ks(bench.soc(), o);
    ASSERT_NO_FATAL_FAILURE(expect_smmu_probed(ks));
    // 1.5 million blocks (more than one budget of 2^20, under the 1.95
    // million of 1 ms), then a sleep; and the same job with 1500 blocks
    // (under one budget: no look at all). The difference is the 1498500
    // blocks' time exactly: 769.23 us.
    const auto job_ns = [&](int blocks) {
        const uint64_t t0 = ks.now_ns();
        ks.run([&] {
            for (int i = 0; i < blocks; i++)
                __sanitizer_cov_trace_pc();
            ks.sleep(sc_core::sc_time(1, sc_core::SC_US), "test");
        });
        return ks.now_ns() - t0;
    };
    job_ns(1500);  // the first job after the probe runs some code of its own
    const uint64_t looked = job_ns(1500000), unlooked = job_ns(1500);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    EXPECT_EQ(looked - unlooked, 769230u);
}

}  // namespace
}  // namespace smmusim::kshim
