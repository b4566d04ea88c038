// SPDX-License-Identifier: GPL-2.0-only
// `./smmusim bench`: host-speed benchmarks (Google Benchmark). Host time is
// only ever compared within one run, as ratios printed at the end:
//   - commands on a guest VCMDQ vs the SMMU CMDQ (the CMDQV path's overhead),
//   - 10^9 idle cycles vs 10^3 idle cycles (event-driven: idle costs nothing),
//   - every per-command and per-translation figure vs a bare SystemC timed
//     wait (BM_SystemcWait: one thread waiting one cycle, again and again),
//   - translations (8-byte DMA reads through the DmaRequester and the SMMU's
//     upstream port, memory access included) on TLB hits, with a full
//     stage-1 walk each, and with a full nested walk each
//     (translation_streams.h), with the walks and table reads per
//     translation that the SMMU's statistics counted during the benchmark.
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
#include "smmuv3/translation/translation_unit.h"
#include "soc.h"
#include "translation_streams.h"

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
    std::unique_ptr<bench::TranslationStreams> streams;
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

void BM_SystemcWait(benchmark::State& st)
{
    for (auto _ : st)
        run_job([&] {
            for (int64_t i = 0; i < st.range(0); i++)
                sc_core::wait(rig->soc->smmu_clock().cycles(1));
        });
    st.SetItemsProcessed(st.iterations() * st.range(0));
}

// Walks and table reads the SMMU counted while a benchmark ran.
struct WalkCount {
    uint64_t translations = 0, walks = 0, reads = 0;
};
std::map<std::string, WalkCount> walk_counts;

uint64_t xlat_stat(const char* name) { return rig->soc->smmu().translation().stats().value(name); }

// `n` 8-byte reads by `sid` per iteration: all at the first page (`hit`) or
// one per page in turn (each page's tables are its own: a walk each).
void translate(benchmark::State& st, const char* name, uint32_t sid, bool hit)
{
    const std::vector<uint64_t>& pages = rig->streams->pages();
    DmaRequester& dma = rig->soc->dma_requester();
    const DmaStream stream{sid};
    size_t next = 0;
    bool ok = true;
    run_job([&] { ok = dma.dma(stream, pages[0], 8, false).ok(); });  // warm: STE, CD
    const uint64_t t0 = xlat_stat("translated"), w0 = xlat_stat("walks"), r0 = xlat_stat("walk_reads");
    for (auto _ : st)
        run_job([&] {
            for (int64_t i = 0; i < st.range(0); i++) {
                ok &= dma.dma(stream, pages[hit ? 0 : next], 8, false).ok();
                next = (next + 1) % pages.size();
            }
        });
    if (!ok)
        st.SkipWithError("a benchmark translation faulted");
    st.SetItemsProcessed(st.iterations() * st.range(0));
    walk_counts[std::string(name) + "/" + std::to_string(st.range(0))] = {
        xlat_stat("translated") - t0, xlat_stat("walks") - w0, xlat_stat("walk_reads") - r0};
}

using Streams = bench::TranslationStreams;
void BM_TranslateHit(benchmark::State& st) { translate(st, "BM_TranslateHit", Streams::kStage1Sid, true); }
void BM_TranslateS1Walk(benchmark::State& st) { translate(st, "BM_TranslateS1Walk", Streams::kStage1Sid, false); }
void BM_TranslateNestedWalk(benchmark::State& st)
{
    translate(st, "BM_TranslateNestedWalk", Streams::kNestedSid, false);
}

constexpr int kPerJob = 1024;  // commands or translations per iteration

BENCHMARK(BM_SystemcWait)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SmmuCmdq)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_GuestVcmdq)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_IdleCycles)->Arg(1000)->Arg(1000000000)->Unit(benchmark::kMicrosecond);
// After the command benchmarks, so their TLBIs meet the caches as before.
BENCHMARK(BM_TranslateHit)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TranslateS1Walk)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_TranslateNestedWalk)->Arg(kPerJob)->Unit(benchmark::kMicrosecond);

class Collect : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& r : runs)
            if (r.run_type == Run::RT_Iteration)
                ns[r.benchmark_name()] =
                    r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit) * 1e9;
        ConsoleReporter::ReportRuns(runs);
    }
    std::map<std::string, double> ns;  // real time per iteration
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
    rig->streams->enable(bus, s);
}

}  // namespace

int sc_main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    Rig r;
    rig = &r;
    declare_all_params(r.cfg);
    r.soc = std::make_unique<Soc>("soc", r.cfg);
    // Four times the TLB's entries, each page with tables of its own: each
    // visit misses and walks (counted, and printed).
    r.streams = std::make_unique<bench::TranslationStreams>(r.soc->memory(), r.cfg.u64("mem.dram_base"), 8176);
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
    // Per item (a command, a translation, a wait) against a bare timed wait.
    const std::string wait = "BM_SystemcWait/" + std::to_string(kPerJob);
    if (rep.ns.count(wait) && rep.ns[wait] > 0) {
        const double wait_ns = rep.ns[wait] / kPerJob;
        fmt::print("{:<58} {:8.1f} ns\n", "bare SystemC timed wait (one cycle), host time", wait_ns);
        const std::pair<const char*, const char*> items[] = {
            {"BM_SmmuCmdq", "command consumed, SMMU CMDQ"},
            {"BM_GuestVcmdq", "command consumed, guest VCMDQ"},
            {"BM_TranslateHit", "translation, TLB hit"},
            {"BM_TranslateS1Walk", "translation, stage-1 miss and walk"},
            {"BM_TranslateNestedWalk", "translation, nested miss and walk"},
        };
        for (const auto& [bm, what] : items) {
            const std::string name = std::string(bm) + "/" + std::to_string(kPerJob);
            if (!rep.ns.count(name))
                continue;
            const double ns = rep.ns[name] / kPerJob;
            fmt::print("{:<40} {:8.1f} ns {:10.0f}/s {:6.2f}x wait", what, ns, 1e9 / ns, ns / wait_ns);
            if (walk_counts.count(name) && walk_counts[name].translations) {
                const WalkCount& w = walk_counts[name];
                fmt::print("  walks/translation {:.2f}, reads/walk {:.2f}", double(w.walks) / w.translations,
                           w.walks ? double(w.reads) / w.walks : 0.0);
            }
            fmt::print("\n");
        }
    }
    benchmark::Shutdown();
    return 0;
}
