// SPDX-License-Identifier: GPL-2.0-only
// The study "VCMDQ vs trapped": options to one run and its rows
// (vcmdq_vs_trap.h).
#include "vcmdq_vs_trap.h"

#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "complain.h"
#include "outputs.h"
#include "platform/params.h"
#include "run.h"
#include "study_params.h"
#include "study_report.h"
#include "study_trace_file.h"
#include "vcmdq_vs_trap_trace.h"

namespace smmusim::studies {

namespace {

// What the study needs to know of the configuration before the run, and
// its own parameters.
struct Resolved {
    std::vector<std::string> run_sets;
    StudyParams study;
    nlohmann::json study_config;
    uint64_t smmu_mhz = 0;
    bool ril = true;
    // The guest CPU's work priced by the kernel shim's CPU cost model
    // (cpu.*), in CPU cycles: per command, per submission; its clock.
    double cmd_cpu_cycles = 0, submit_cpu_cycles = 0;
    uint64_t cpu_mhz = 1;
};

// The guest driver's counts (study.*) at the prices of the run's cpu.*
// parameters: the guest's code costs what the host's kernel code does. No
// cost model (cpu.cost_model = false, or a build without the shim, which
// has no cpu.*): the guest's code is free, as the host's is.
void price_guest(const Config& run, Resolved& r)
{
    if (!run.declared("cpu.cost_model") || !run.flag("cpu.cost_model"))
        return;
    const double block = run.f64("cpu.block_cycles");
    r.cpu_mhz = run.u64("cpu.clock_mhz");
    r.cmd_cpu_cycles = double(r.study.cmd_blocks) * block;
    r.submit_cpu_cycles = double(r.study.submit_blocks) * block +
                          double(r.study.submit_atomics * run.u64("cpu.atomic_cycles")) +
                          double(r.study.submit_dmbs * run.u64("cpu.dmb_cycles"));
}

// study.* keys to the study, the rest to the run; both checked now, so a
// bad key or value is an error before anything runs (ConfigError).
Resolved resolve(const StudyOptions& o)
{
    Resolved r;
    std::vector<std::string> study_sets;
    for (const std::string& s : o.sets)
        (s.rfind("study.", 0) == 0 ? study_sets : r.run_sets).push_back(s);
    Config study;
    StudyParams::declare(study);
    study.set_assignments(study_sets, "--set");
    r.study = StudyParams::load(study);
    r.study_config = study.resolved();
    Config run;
    declare_run_params(run);
    if (!o.config.empty()) {
        // The file is the simulator's configuration, which the study's run
        // loads again: the study's own parameters are --set ones. Say so,
        // rather than only "unknown" for a key --set takes.
        try {
            load_config_file(run, o.config);
        } catch (const ConfigError& e) {
            const std::string what = e.what();
            if (what.find("unknown parameter 'study.") == std::string::npos)
                throw;
            throw ConfigError(what + "; the study's own parameters are not read from --config: give them as "
                                     "--set study.KEY=VALUE");
        }
    }
    run.set_assignments(r.run_sets, "--set");
    r.smmu_mhz = run.u64("smmu.clock_mhz");
    r.ril = run.flag("smmu.idr.ril");
    price_guest(run, r);
    return r;
}

TraceSpec trace_spec(const StudyOptions& o, const Resolved& r)
{
    TraceSpec s;
    s.sizes = o.sizes;
    s.repeats = static_cast<unsigned>(r.study.repeats);
    s.paths = {Path::Trapped, Path::Vcmdq};
    s.smmu.ril = r.ril;
    // CPU cycles as SMMU cycles; the trace rounds each wait up.
    const double smmu_per_cpu = double(r.smmu_mhz) / double(r.cpu_mhz);
    s.cmd_cycles = r.cmd_cpu_cycles * smmu_per_cpu;
    s.submit_cycles = r.submit_cpu_cycles * smmu_per_cpu;
    return s;
}

// The rows from each window's span: first line's start to last line's end.
std::vector<StudyRow> rows_of(const StudyTrace& t, const std::map<unsigned, OpSpan>& spans, uint64_t period_ps)
{
    std::vector<StudyRow> rows;
    for (const Window& w : t.windows) {
        if (rows.empty() || rows.back().size != w.size)
            rows.push_back(StudyRow{w.size, 1, w.commands, w.submissions, {}, {}, {}, {}});
        const auto a = spans.find(w.first_line), b = spans.find(w.last_line);
        if (a == spans.end() || b == spans.end())
            throw std::logic_error(fmt::format("the run did not report lines {}-{}", w.first_line, w.last_line));
        const uint64_t cycles = (b->second.end_ps - a->second.start_ps) / period_ps;
        (w.path == Path::Trapped ? rows.back().trapped_cycles : rows.back().vcmdq_cycles).push_back(cycles);
    }
    const auto mean_us = [period_ps](const std::vector<uint64_t>& c) -> std::optional<double> {
        if (c.empty())
            return std::nullopt;
        uint64_t sum = 0;
        for (uint64_t x : c)
            sum += x;
        return static_cast<double>(sum) * static_cast<double>(period_ps) / 1e6 / static_cast<double>(c.size());
    };
    for (StudyRow& r : rows) {
        r.trapped_us = mean_us(r.trapped_cycles);
        r.vcmdq_us = mean_us(r.vcmdq_cycles);
    }
    return rows;
}

}  // namespace

const std::vector<std::string>& study_names()
{
    static const std::vector<std::string> names{"vcmdq-vs-trap"};
    return names;
}

StudyResult run_vcmdq_vs_trap(const StudyOptions& o)
{
    StudyResult res;
    Resolved r;
    StudyTrace trace;
    std::unique_ptr<StudyTraceFile> file;
    try {
        r = resolve(o);
        trace = build_trace(trace_spec(o, r));
        // Every output checked before any is written: the kept trace too
        // (a temporary one is a new file of its own).
        const std::string name = "vcmdq-vs-trap.trace";
        const std::string kept = o.emit_trace.empty() ? "" : o.emit_trace + "/" + name;
        check_outputs({{"--emit-trace", kept, true}, {"--json", o.json}}, {o.config});
        file = std::make_unique<StudyTraceFile>(o.emit_trace, name, trace.text);
    } catch (const SizeError& e) {  // said as the program's other --sizes errors are
        complain(fmt::format("study: --sizes: {} (smmusim study --help for more)", e.what()));
        return res;
    } catch (const std::exception& e) {  // ConfigError, OutputError
        complain(e.what());
        return res;
    }
    RunOptions ro;
    ro.trace = file->path();
    ro.config = o.config;
    ro.sets = r.run_sets;
    ro.quiet = true;
    ro.simulator_version = o.simulator_version;
    ro.simulator_commit = o.simulator_commit;
    std::map<unsigned, OpSpan> spans;
    ro.on_op = [&spans](const OpSpan& s) { spans[s.line] = s; };
    const RunResult run = smmusim::run(ro);
    res.exit_status = run.exit_status;
    if (run.exit_status != 0)
        return res;
    const uint64_t period_ps = (1000000 + r.smmu_mhz / 2) / r.smmu_mhz;
    res.rows = rows_of(trace, spans, period_ps);
    const TraceSpec spec = trace_spec(o, r);
    res.doc = study_json(res.rows,
                         StudyMeta{r.smmu_mhz, r.ril, r.study.repeats, spec.cmd_cycles, spec.submit_cycles,
                                   r.study_config, o.simulator_version, o.simulator_commit},
                         run.stats);
    if (!o.quiet)
        fmt::print("{}", study_table(res.rows));
    res.exit_status = write_json(o.json, res.doc);
    return res;
}

}  // namespace smmusim::studies
