// SPDX-License-Identifier: GPL-2.0-only
// The `trace` and `driver` children (children.h): a generated trace through
// the library-level run (sim/run.h). A `trace` run is timed whole
// (configuration, platform, the check pass over the trace, the play, the
// statistics) less the yardstick's own loop, which runs first while the
// trace idles; a `driver` run only between the two times its trace idles
// until (host_marks.h), around the map+unmap pairs: the kernel's boot is not
// what it measures.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "children.h"
#include "cpu_hook.h"
#include "host_marks.h"
#include "measure.h"
#include "run.h"
#include "trace_gen.h"
#include "yardstick.h"

namespace smmusim::bench {

namespace {

// The SMMU clock the generated traces' cycles are counted in (the default
// configuration's 1 GHz).
sc_core::sc_time cycles(uint64_t n) { return sc_core::sc_time(double(n), sc_core::SC_NS); }

struct Timed {
    RunResult result;
    double run_s = 0;
};

Timed play(const TempTrace& trace, std::vector<std::string> sets = {})
{
    RunOptions o;
    o.trace = trace.path();
    o.quiet = true;
    o.sets = std::move(sets);
    Timed t;
    const double t0 = host_seconds();
    t.result = run(o);
    t.run_s = host_seconds() - t0;
    if (t.result.exit_status != 0)
        throw std::runtime_error(
            fmt::format("the generated trace's run ended with exit status {}", t.result.exit_status));
    return t;
}

nlohmann::json answer(uint64_t ops, double host_s, const YardstickThread& y)
{
    if (y.ns_per_wait() <= 0)
        throw std::runtime_error("the yardstick did not run");
    return {{"ops", ops}, {"host_s", host_s}, {"wait_ns", y.ns_per_wait()}, {"peak_rss_mb", peak_rss_mb()}};
}

uint64_t yardstick_waits(bool quick) { return quick ? 10000 : 100000; }

// The run ended where its trace's tail does: what was measured fitted
// before the tail (else the yardstick or a mark ran in its midst).
void check_end(const Timed& t, uint64_t tail, const char* what)
{
    if (t.result.stats["sim"]["cycles"].get<uint64_t>() != tail + kYardstickIdleCycles)
        throw std::runtime_error(fmt::format("the {} did not fit before cycle {}", what, tail));
}

}  // namespace

nlohmann::json measure_trace(uint64_t commands, bool quick)
{
    const TempTrace trace([commands](std::FILE* f) { command_trace(f, commands); });
    const YardstickThread yardstick(yardstick_waits(quick), {cycles(0), cycles(kCommandsTail)});
    const Timed t = play(trace);
    check_end(t, kCommandsTail, "commands");
    return answer(commands, t.run_s - yardstick.seconds(), yardstick);
}

nlohmann::json measure_driver(uint64_t pairs, bool quick, bool cost_model)
{
    const TempTrace trace([pairs](std::FILE* f) { map_unmap_trace(f, pairs); });
    // Before the run: the hook's loop touches no simulated state.
    const std::optional<double> hook_ns = trace_pc_hook_ns(quick ? 1000000 : 20000000);
    const YardstickThread yardstick(yardstick_waits(quick), {cycles(0), cycles(kMapUnmapEnd)});
    const HostMarks marks({cycles(kMapUnmapStart), cycles(kMapUnmapEnd)}, kernel_blocks);
    const Timed t = play(trace, {cost_model ? "cpu.cost_model=true" : "cpu.cost_model=false"});
    check_end(t, kMapUnmapEnd, "map+unmap pairs");
    nlohmann::json j = answer(pairs, marks.seconds()[1] - marks.seconds()[0], yardstick);
    // The blocks are counted only with the cost model on (CpuCost::take).
    j["blocks_per_pair"] =
        cost_model ? nlohmann::json((marks.samples()[1] - marks.samples()[0]) / double(pairs)) : nlohmann::json();
    j["hook_ns"] = hook_ns ? nlohmann::json(*hook_ns) : nlohmann::json();
    return j;
}

}  // namespace smmusim::bench
