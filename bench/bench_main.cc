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
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
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

void mmio_wr(uint64_t a, unsigned size, uint64_t v) { rig->soc->mmio_write(a, size, v); }
uint64_t mmio_rd(uint64_t a)
{
    uint64_t v = 0;
    rig->soc->mmio_read(a, 4, v);
    return v;
}

// Writes `n` commands (TLBI_NH_VA, every 8th a CMD_SYNC) into a 256-entry
// queue at `base` and rings `prod_reg`; waits until `cons_reg` catches up.
void burst(uint64_t base, uint32_t& prod, uint64_t prod_reg, uint64_t cons_reg, int n)
{
    const QueueGeometry g{8};
    for (int i = 0; i < n;) {
        const int chunk = std::min(n - i, 128);
        for (int k = 0; k < chunk; k++, i++) {
            const uint64_t e[2] = {(k % 8 == 7) ? uint64_t(OP_CMD_SYNC)
                                                : OP_TLBI_NH_VA | cmdf::TLBI_ASID.put(1),
                                   cmdf::TLBI_VA.put(uint64_t(i))};
            rig->soc->memory().write(base + uint64_t(g.idx(prod)) * kCmdBytes, e, sizeof(e));
            prod = g.inc(prod);
        }
        mmio_wr(prod_reg, 4, prod);
        while ((mmio_rd(cons_reg) & g.ptr_mask()) != prod)
            sc_core::wait(rig->soc->smmu_clock().cycles(64));
    }
}

void BM_SmmuCmdq(benchmark::State& st)
{
    const uint64_t s = rig->soc->params().smmu_base;
    for (auto _ : st)
        run_job([&] { burst(rig->smmu_q, rig->smmu_prod, s + CMDQ_PROD, s + CMDQ_CONS, int(st.range(0))); });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

void BM_GuestVcmdq(benchmark::State& st)
{
    const uint64_t c = rig->soc->params().cmdqv_base;
    const uint64_t page0 = c + cmdqv::kVintfPages + cmdqv::kVintfPagesSize * 1;
    for (auto _ : st)
        run_job([&] {
            burst(rig->guest_q, rig->guest_prod, page0 + cmdqv::VCMDQ_PROD, page0 + cmdqv::VCMDQ_CONS, int(st.range(0)));
        });
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
    auto poll = [](uint64_t a, uint64_t want) {
        while (mmio_rd(a) != want)
            sc_core::wait(rig->soc->smmu_clock().cycles(1));
    };
    mmio_wr(s + CMDQ_BASE, 8, rig->smmu_q | 8);
    mmio_wr(s + CR0, 4, cr0::CMDQEN.mask());
    poll(s + CR0ACK, cr0::CMDQEN.mask());
    // VINTF1, guest-owned, VMID 5; VCMDQ 2 as its LVCMDQ0.
    mmio_wr(c + cmdqv::CONFIG, 4, 1);
    poll(c + cmdqv::STATUS, 1);
    mmio_wr(c + cmdqv::vintf(1) + cmdqv::VINTF_CONFIG, 4, cmdqv::vintf_config::VMID.put(5) | 1);
    poll(c + cmdqv::vintf(1) + cmdqv::VINTF_STATUS, 1);
    mmio_wr(c + cmdqv::cmdq_alloc(2), 4, cmdqv::alloc::VINTF.put(1) | 1);
    const uint64_t page0 = c + cmdqv::kVintfPages + cmdqv::kVintfPagesSize;
    mmio_wr(page0 + cmdqv::kPageSize + cmdqv::VCMDQ_BASE, 8, rig->guest_q | 8);
    mmio_wr(page0 + cmdqv::VCMDQ_CONFIG, 4, 1);
    poll(page0 + cmdqv::VCMDQ_STATUS, 1);
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
