// SPDX-License-Identifier: GPL-2.0-only
// `./smmusim bench`: host-speed benchmarks (Google Benchmark). Host time is
// only ever compared within one run, as ratios printed at the end:
//   - commands on a guest VCMDQ vs the SMMU CMDQ (the CMDQV path's overhead),
//   - 10^9 idle cycles vs 10^3 idle cycles (event-driven: idle costs nothing).
//
// SystemC cannot restart, so one platform is built up front and each
// benchmark iteration resumes the simulation for one job.
#include <chrono>
#include <cstdio>
#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "driver/sequences.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"
#include "soc.h"

using namespace smmusim;
using namespace smmusim::smmuv3;

namespace {

struct Rig {
    Config cfg;
    std::unique_ptr<Soc> soc;
    std::function<void()> job;
    sc_core::sc_event job_ev;
    uint64_t smmu_q = 0, guest_q = 0;
    uint32_t smmu_prod = 0, guest_prod = 0;
};
Rig* rig;

void run_job(std::function<void()> fn)
{
    rig->job = std::move(fn);
    rig->job_ev.notify(sc_core::SC_ZERO_TIME);
    sc_core::sc_start();
}

// The benchmark CPU's bus for the driver sequences: polls read every cycle.
class RigBus : public driver::MmioBus {
public:
    uint64_t read(uint64_t addr, unsigned size) override
    {
        uint64_t v = 0;
        rig->soc->mmio_read(addr, size, v);
        return v;
    }
    void write(uint64_t addr, unsigned size, uint64_t value) override { rig->soc->mmio_write(addr, size, value); }
    bool poll(uint64_t addr, uint64_t mask, uint64_t want) override
    {
        while ((read(addr, 4) & mask) != want)
            sc_core::wait(rig->soc->smmu_clock().cycles(1));
        return true;
    }
    bool store(uint64_t pa, const void* src, size_t len) override { return rig->soc->memory().write(pa, src, len); }
};

constexpr unsigned kLog2Size = 8;  // 256-entry queues

// Writes `n` commands (TLBI_NH_VA, every 8th a CMD_SYNC) into the queue at
// `base` and rings its PROD; waits until its CONS catches up.
void burst(uint64_t base, uint32_t& prod, const driver::QueueRegs& regs, int n)
{
    RigBus bus;
    const QueueGeometry g{kLog2Size};
    for (int i = 0; i < n;) {
        std::vector<driver::CmdWords> cmds(static_cast<size_t>(std::min(n - i, 128)));
        for (size_t k = 0; k < cmds.size(); k++, i++)
            cmds[k] = {(k % 8 == 7) ? uint64_t(OP_CMD_SYNC) : OP_TLBI_NH_VA | cmdf::TLBI_ASID.put(1),
                       cmdf::TLBI_VA.put(uint64_t(i))};
        prod = driver::write_commands(bus, base, kLog2Size, prod, cmds);
        bus.write(regs.prod, 4, prod);
        while ((bus.read(regs.cons, 4) & g.ptr_mask()) != prod)
            sc_core::wait(rig->soc->smmu_clock().cycles(64));
    }
}

// The benchmark's guest queue: VINTF 1's LVCMDQ 0 (global VCMDQ 2).
driver::VcmdqPages guest_vcmdq() { return driver::logical_vcmdq(rig->soc->params().cmdqv_base, 1, 0); }

void BM_SmmuCmdq(benchmark::State& st)
{
    const driver::QueueRegs regs = driver::smmu_cmdq_regs(rig->soc->params().smmu_base);
    for (auto _ : st)
        run_job([&] { burst(rig->smmu_q, rig->smmu_prod, regs, int(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_GuestVcmdq(benchmark::State& st)
{
    const driver::QueueRegs regs = driver::vcmdq_regs(guest_vcmdq());
    for (auto _ : st)
        run_job([&] { burst(rig->guest_q, rig->guest_prod, regs, int(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_IdleCycles(benchmark::State& st)
{
    for (auto _ : st)
        run_job([&] { sc_core::wait(rig->soc->smmu_clock().cycles(uint64_t(st.range(0)))); });
}

BENCHMARK(BM_SmmuCmdq)->Arg(1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GuestVcmdq)->Arg(1024)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IdleCycles)->Arg(1000)->Arg(1000000000)->Unit(benchmark::kMicrosecond);

class Collect : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& r : runs)
            if (r.run_type == Run::RT_Iteration)
                ns[r.benchmark_name()] = r.GetAdjustedRealTime();
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> ns;
};

void setup()
{
    const uint64_t s = rig->soc->params().smmu_base, c = rig->soc->params().cmdqv_base;
    const uint64_t dram = rig->cfg.u64("mem.dram_base");
    rig->smmu_q = dram + 0x100000;
    rig->guest_q = dram + 0x200000;
    RigBus bus;
    driver::smmu_cmdq_enable(bus, s, rig->smmu_q, kLog2Size);
    // VINTF1, guest-owned, VMID 5; VCMDQ 2 as its LVCMDQ0.
    driver::cmdqv_enable(bus, c);
    driver::vintf_enable(bus, c, 1, false, 5);
    driver::map_lvcmdq(bus, c, 2, 1, 0);
    driver::vcmdq_enable(bus, guest_vcmdq(), rig->guest_q, kLog2Size);
}

}  // namespace

int sc_main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    Rig r;
    rig = &r;
    declare_all_params(r.cfg);
    r.soc = std::make_unique<Soc>("soc", r.cfg);
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(1 << 20);
    sc_core::sc_spawn(
        [] {
            for (;;) {
                if (!rig->job) {
                    sc_core::wait(rig->job_ev);
                    continue;
                }
                auto job = std::move(rig->job);
                rig->job = nullptr;
                job();
                sc_core::sc_pause();
            }
        },
        "bench_cpu", &opts);
    run_job(setup);

    Collect rep;
    benchmark::RunSpecifiedBenchmarks(&rep);
    auto ratio = [&](const char* what, const std::string& a, const std::string& b) {
        if (rep.ns.count(a) && rep.ns.count(b) && rep.ns[b] > 0)
            fmt::print("{:<58} {:8.2f}x\n", what, rep.ns[a] / rep.ns[b]);
    };
    fmt::print("\nratios (same run, same machine):\n");
    ratio("guest VCMDQ vs SMMU CMDQ, host time per command", "BM_GuestVcmdq/1024", "BM_SmmuCmdq/1024");
    ratio("10^9 idle cycles vs 10^3 idle cycles, host time", "BM_IdleCycles/1000000000", "BM_IdleCycles/1000");
    benchmark::Shutdown();
    return 0;
}
