// SPDX-License-Identifier: GPL-2.0-only
// The shim's soft-lockup detector: a simulated CPU that spins without ever
// sleeping is reported as the kernel's watchdog reports it, naming the
// kernel function it is stuck in, and stopped, instead of keeping the
// simulator busy with no end.
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "exact_figures.h"
#include "kernel_shim.h"
#include "player.h"
#include "smmusim/host.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/testbench.h"
#include "vmm/kernel_trace_ops.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

TEST(KernelShimWatchdog, ADriverSpinningForQueueSpaceIsASoftLockupInItsFunction)
{
    // A 256-entry SMMU CMDQ (IDR1.CMDQS = 8), used for every command.
    TestBench bench({"smmu.idr.cmdqs=8"});
    KernelShim::Options o;
    o.softlockup_ns = 10000000;  // 10 ms of simulated time
    KernelShim ks(bench.soc(), o);
    ASSERT_EQ(ks.set_module_param("arm_smmu_v3.bypass_vcmdq", "1"), 0);
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();

    // The queue stops consuming behind the driver's back (CR0.CMDQEN = 0):
    // the driver fills it, then retries for space forever, as on hardware.
    const uint64_t cr0 = bench.soc().params().smmu_base + smmuv3::CR0;
    ks.run([&] {
        uint64_t v = 0;
        ASSERT_TRUE(bench.soc().mmio_read(cr0, 4, v));
        ASSERT_TRUE(bench.soc().mmio_write(cr0, 4, v & ~uint64_t(smmuv3::cr0::CMDQEN.mask())));
    });
    const uint64_t tlbi_nh_all = 0x10;  // CMDQ_OP_TLBI_NH_ALL, VMID 0
    const uint64_t t0 = ks.now_ns();
    for (int i = 0; i < 300 && ks.failures().empty(); i++)
        ks.issue_cmd(tlbi_nh_all, 0, false);

    ASSERT_EQ(ks.failures().size(), 1u) << ks.failures_text() << ks.dmesg();
    const Failure& f = ks.failures()[0];
    EXPECT_EQ(f.kind, "soft-lockup");
    // The function the CPU spins in, found from the busy-wait's return
    // address: with the kernel and compiler the figures were taken with,
    // __arm_smmu_cmdq_issue_cmdlist (arm_smmu_cmdq_poll_until_not_full when
    // the compiler does not inline it); elsewhere, a function of the driver
    // (which one depends on what that kernel's compiler inlined).
    const std::string fn = exact_figures_hold() ? "(__)?arm_smmu_cmdq_(issue_cmdlist|poll_until_not_full)"
                                                : "(__)?arm_smmu_[a-z0-9_]+";
    EXPECT_TRUE(std::regex_search(f.message, std::regex("^BUG: soft lockup - CPU#0 stuck for 10ms in " + fn + "$")))
        << f.message;
    EXPECT_TRUE(ks.log_contains("watchdog: BUG: soft lockup - CPU#0 stuck for 10ms! [cpu0]")) << ks.dmesg();
    EXPECT_TRUE(std::regex_search(ks.dmesg(), std::regex("RIP: " + fn + "\\+0x"))) << ks.dmesg();
    // Reported once the threshold passed, not long after.
    EXPECT_GE(ks.now_ns() - t0, o.softlockup_ns);
    EXPECT_LT(ks.now_ns() - t0, 2 * o.softlockup_ns);
    // The stopped CPU's next job starts clean (preemption and interrupts on):
    // sleeping is allowed again.
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(ks.failures().size(), 1u) << ks.failures_text();
}

TEST(KernelShimWatchdog, SleepingResetsTheCountAndZeroTurnsItOff)
{
    TestBench bench;
    KernelShim::Options o;
    o.softlockup_ns = 0;
    KernelShim ks(bench.soc(), o);
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    // Off: a long busy-wait (udelay) is only time.
    ks.run([&] { ks.spin_from(sc_core::sc_time(50, sc_core::SC_MS), nullptr); });
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    // On: busy-waits below the threshold, with sleeps between them, never add up.
    ks.set_softlockup_ns(20000000);
    ks.run([&] {
        for (int i = 0; i < 4; i++) {
            ks.spin_from(sc_core::sc_time(15, sc_core::SC_MS), nullptr);
            ks.sleep(sc_core::sc_time(1, sc_core::SC_US), "test");
        }
    });
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    // Without the sleeps they do (a context that cannot be preempted: a
    // preemptible one is stopped as well, but is not a soft lockup).
    ks.run([&] {
        unsigned long preempt = 0, flags = 0;
        smmusim_ctx_save(&preempt, &flags);
        smmusim_ctx_restore(preempt + 1, flags);  // preempt_disable()
        for (int i = 0; i < 4; i++)
            ks.spin_from(sc_core::sc_time(15, sc_core::SC_MS), nullptr);
    });
    ASSERT_EQ(ks.failures().size(), 1u) << ks.failures_text();
    EXPECT_EQ(ks.failures()[0].kind, "soft-lockup");
    EXPECT_TRUE(ks.log_contains("watchdog: BUG: soft lockup - CPU#0 stuck for 30ms!")) << ks.dmesg();
    ks.run([&] {
        for (int i = 0; i < 4; i++)
            ks.spin_from(sc_core::sc_time(15, sc_core::SC_MS), nullptr);
    });
    ASSERT_EQ(ks.failures().size(), 2u) << ks.failures_text();
    EXPECT_EQ(ks.failures()[1].kind, "stopped");
    EXPECT_TRUE(ks.log_contains("smmusim: CPU#0 stopped after 30ms of preemptible kernel code that never slept"))
        << ks.dmesg();
}

// Through the trace player: the operation during which the CPU locked up
// fails, naming the function; a line that expects it passes.
TEST(KernelShimWatchdog, ASoftLockupFailsTheTraceOperationUnlessExpected)
{
    TestBench bench;
    KernelShim::Options o;
    o.softlockup_ns = 10000000;  // 10 ms: the driver polls a CMD_SYNC for 1 s
    KernelShim ks(bench.soc(), o);
    KernelTraceOps ops(ks, bench.soc());
    char path[] = "/tmp/smmusim-lockup-XXXXXX";
    FILE* f = fdopen(mkstemp(path), "w");
    // The CMDQV stops under the driver: each unmap's CMD_SYNC is polled
    // (udelay, cpu_relax) without a sleep until the watchdog bites.
    fputs("kernel boot\n"
          "endpoint e sid=0x10\n"
          "domain d endpoint=e\n"
          "map d iova=0x100000 pa=0x80100000 size=0x1000\n"
          "write32 cmdqv.CONFIG 0\n"
          "unmap d iova=0x100000 size=0x1000\n"
          "map d iova=0x200000 pa=0x80200000 size=0x1000\n"
          "unmap d iova=0x200000 size=0x1000 expect-log soft lockup\n",
          f);
    fclose(f);
    TracePlayer player(bench.soc(), path);
    player.validate();
    player.set_kernel(&ops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    remove(path);
    ASSERT_TRUE(player.finished());
    const auto& fails = player.failures();
    ASSERT_EQ(fails.size(), 2u) << (fails.empty() ? "" : fails.back()) << ks.dmesg();
    EXPECT_TRUE(std::regex_search(fails[0], std::regex(":6:1: .*kernel soft-lockup: BUG: soft lockup - CPU#0 "
                                                       "stuck for 10ms in [_a-z0-9]+")))
        << fails[0];
    // Line 8 expected the lockup; what it still reports is the unmap the
    // stopped CPU never finished.
    EXPECT_NE(fails[1].find(":8:1: iommu_unmap unmapped 0x0 bytes of 0x1000"), std::string::npos) << fails[1];
    EXPECT_EQ(fails[1].find("soft"), std::string::npos) << fails[1];
    EXPECT_EQ(ks.failures().size(), 2u) << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
