// SPDX-License-Identifier: GPL-2.0-only
// One run of the simulator (run.h), in the order its checks must come: what
// can be refused is refused before anything is simulated (exit status 2),
// then the trace plays, then the outputs are written and the run judged.
#include "run.h"

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/stat.h>

#include <fmt/format.h>

#include "complain.h"
#include "kernel_ops_provider.h"
#include "outputs.h"
#include "player.h"
#include "report.h"
#include "soc.h"
#include "timeline.h"
#include "vcd.h"

namespace smmusim {

void declare_run_params(Config& cfg)
{
    declare_all_params(cfg);
    if (const KernelOpsProvider* p = kernel_ops_provider())
        p->declare_params(cfg);
}

void load_config_file(Config& cfg, const std::string& path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0)
        throw ConfigError(fmt::format("--config {}: cannot read it: {}", path, strerror(errno)));
    if (!S_ISREG(st.st_mode))
        throw ConfigError(fmt::format("--config {}: not a regular file ({}): a configuration is read from a file; "
                                      "save it to one and give that",
                                      path, S_ISDIR(st.st_mode)    ? "a directory"
                                            : S_ISFIFO(st.st_mode) ? "a pipe or FIFO"
                                            : S_ISCHR(st.st_mode)  ? "a character device"
                                                                   : "not a file"));
    cfg.load_file(path);
}

namespace {

// A simulated time in picoseconds (SystemC counts it in its resolution, 1 ps
// unless a platform chose another).
uint64_t picoseconds(const sc_core::sc_time& t)
{
    static const double ps_per_unit = sc_core::sc_get_time_resolution().to_seconds() * 1e12;
    if (ps_per_unit == 1.0)
        return t.value();  // exact
    return static_cast<uint64_t>(static_cast<double>(t.value()) * ps_per_unit + 0.5);
}

class Run {
public:
    explicit Run(const RunOptions& o) : o_(o) {}

    // Each step: true to go on; false when the run is refused (exit status 2,
    // the reason printed).
    bool configure();
    bool build_platform();
    bool load_trace();
    bool attach_kernel();
    bool open_outputs();
    void play();
    // Writes the outputs and prints the report; the exit status.
    int report();

    RunResult result;

private:
    RunInfo run_info();
    std::vector<unsigned> vcd_queues();

    const RunOptions& o_;
    Config cfg_;
    // Declared in the order they are built; destroyed in the reverse.
    std::unique_ptr<Soc> soc_;
    std::unique_ptr<TracePlayer> player_;
    std::unique_ptr<KernelInstance> kernel_;
    std::unique_ptr<Timeline> timeline_;
    std::unique_ptr<Vcd> vcd_;
    std::string run_error_;
    double host_seconds_ = 0;
    bool progress_shown_ = false;
    std::vector<std::string> output_errors_;
};

namespace {

// `run` has no study.* parameter (`smmusim params` lists them beside the
// simulator's): a study's key is named as such, with how a study takes it,
// rather than as an unknown parameter.
void refuse_study_keys(const Config& cfg, const std::vector<std::string>& sets, const std::string& origin)
{
    for (const std::string& s : sets) {
        const std::string key = s.substr(0, s.find('='));
        if (key.rfind("study.", 0) == 0 && !cfg.declared(key))
            throw ConfigError(fmt::format("{} {}: study.* keys are the studies' parameters, not the simulator's: a "
                                          "study takes them (smmusim study vcmdq-vs-trap --set {}; `smmusim params` "
                                          "lists them), `run` does not",
                                          origin, s, s));
    }
}

}  // namespace

bool Run::configure()
{
    declare_run_params(cfg_);
    try {
        if (!o_.config.empty())
            load_config_file(cfg_, o_.config);
        refuse_study_keys(cfg_, o_.sets, o_.sets_origin);
        cfg_.set_assignments(o_.sets, o_.sets_origin);
        validate_config(cfg_);
        check_outputs({{"--stats", o_.stats}, {"--timeline", o_.timeline}, {"--vcd", o_.vcd}}, {o_.trace, o_.config});
    } catch (const std::runtime_error& e) {  // ConfigError, OutputError
        complain(e.what());
        return false;
    }
    return true;
}

// The configuration was checked whole; what is left to fail here is the host
// (e.g. no memory for DRAM's mapping).
bool Run::build_platform()
{
    try {
        soc_ = std::make_unique<Soc>("soc", cfg_);
    } catch (const std::exception& e) {
        complain(fmt::format("cannot build the platform: {}", e.what()));
        return false;
    }
    return true;
}

bool Run::load_trace()
{
    player_ = std::make_unique<TracePlayer>(*soc_, o_.trace);
    if (const KernelOpsProvider* provider = kernel_ops_provider())
        player_->set_kernel_memory(provider->kernel_memory(cfg_));
    try {
        player_->validate();
    } catch (const TraceError& e) {
        complain(e.what());
        return false;
    } catch (const std::exception& e) {
        // Anything else (no memory, a checker's bug) still refuses the
        // trace before the run, never an exception out of the simulation.
        complain(fmt::format("{}: the trace could not be checked: {}", o_.trace, e.what()));
        return false;
    }
    result.uses_kernel = player_->uses_kernel();
    if (!player_->acts()) {
        // Nothing to run would pass silently (an empty file, a pipe that
        // was already read, or only `expect` and `roi` lines).
        complain(fmt::format("{}: the trace has no operation{}", o_.trace,
                             player_->checked_ops() ? " (only 'expect' and 'roi' lines)" : ""));
        return false;
    }
    return true;
}

// Kernel-level operations: the real Linux code, from the program's provider.
bool Run::attach_kernel()
{
    if (!player_->uses_kernel())
        return true;
    const KernelOpsProvider* provider = kernel_ops_provider();
    if (!provider) {
        complain(fmt::format("{}: kernel-level operations need a build with the kernel shim "
                             "(configure with -DSMMUSIM_KERNEL_SHIM=ON)", o_.trace));
        return false;
    }
    if (const std::string why = provider->check_config(cfg_); !why.empty()) {
        complain(why);
        return false;
    }
    try {
        kernel_ = provider->create(*soc_);
    } catch (const std::exception& e) {
        complain(e.what());
        return false;
    }
    player_->set_kernel(&kernel_->ops(), kernel_->cpu_stack_bytes());
    return true;
}

// The VCMDQs the trace names; with kernel-level operations the drivers
// choose which ones they map, so all of them.
std::vector<unsigned> Run::vcd_queues()
{
    std::vector<unsigned> queues(player_->vcmdqs_used().begin(), player_->vcmdqs_used().end());
    if (player_->uses_kernel() && soc_->has_cmdqv()) {
        queues.clear();
        for (unsigned q = 0; q < soc_->cmdqv().num_vcmdqs(); q++)
            queues.push_back(q);
    }
    return queues;
}

bool Run::open_outputs()
{
    try {
        if (!o_.timeline.empty())
            timeline_ = std::make_unique<Timeline>(*soc_, o_.timeline, "--timeline");
        if (!o_.vcd.empty())
            vcd_ = std::make_unique<Vcd>(*soc_, o_.vcd, vcd_queues(), "--vcd");
    } catch (const std::runtime_error& e) {
        complain(e.what());
        return false;
    }
    if (timeline_ || o_.on_op)
        player_->on_op([this](const TraceOp& op, const std::string& name, const sc_core::sc_time& start,
                              const sc_core::sc_time& end) {
            if (timeline_)
                timeline_->cpu_span(name, start, end, op.loc.str());
            if (o_.on_op)
                o_.on_op(OpSpan{op.loc.line, name, picoseconds(start), picoseconds(end)});
        });
    return true;
}

void Run::play()
{
    player_->start();
    const auto t0 = std::chrono::steady_clock::now();
    auto seconds = [t0] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
    if (o_.progress)
        player_->on_progress([this, seconds](uint64_t ops) {
            const double s = seconds();
            if (s < 1.0)
                return;
            progress_shown_ = true;
            fmt::print(stderr, "\r{:>14} cycles simulated, {:>10} operations, {:>9.0f} ops/s ",
                       soc_->smmu_clock().now(), ops, static_cast<double>(ops) / s);
        });
    // The player turns what goes wrong on its CPU into error(); anything
    // thrown elsewhere during the run (a model's thread) ends up here. Both
    // end the run with statistics marked incomplete.
    try {
        sc_core::sc_start();
    } catch (const std::exception& e) {
        run_error_ = player_->where().empty() ? e.what() : fmt::format("{}: {}", player_->where(), e.what());
    }
    host_seconds_ = seconds();
    // Every output's writes and close are checked; what failed is reported
    // after the trace's own failures (exit status 3).
    if (timeline_ && !timeline_->close())
        output_errors_.push_back(timeline_->error());
    if (vcd_ && !vcd_->close())
        output_errors_.push_back(vcd_->error());
    if (progress_shown_)
        fmt::print(stderr, "\n");
}

RunInfo Run::run_info()
{
    RunInfo info;
    info.trace = o_.trace;
    info.host_seconds = host_seconds_;
    info.ops = player_->ops();
    info.complete = player_->finished();
    info.simulator_version = o_.simulator_version;
    info.simulator_commit = o_.simulator_commit;
    info.roi = player_->roi_after_run().figures();
    if (kernel_) {
        const KernelOps& k = kernel_->ops();
        info.kernel_version = k.version();
        info.kernel_warnings = k.warnings();
        info.vintf_owners = k.vintf_owners();
    }
    return info;
}

int Run::report()
{
    const RunInfo info = run_info();
    if (kernel_ && o_.dmesg)
        fmt::print("{}", kernel_->ops().dmesg());
    if (o_.dmesg && info.kernel_version.empty())
        complain("--dmesg: no kernel-level operation ran, so there is no kernel log");
    result.stats = build_stats(*soc_, info);
    if (!o_.stats.empty()) {
        try {
            OutputWriter out("--stats", o_.stats);
            out.write(json_text(result.stats, 2) + "\n");
            if (!out.close())
                output_errors_.push_back(out.error());
        } catch (const OutputError& e) {  // removed or made unwritable during the run
            output_errors_.push_back(e.what());
        }
    }
    if (!o_.quiet) {
        fmt::print("trace: {}\n", o_.trace);
        fmt::print("{}", summary_table(result.stats, o_.stats));
    }
    result.complete = player_->finished();
    result.failures = player_->failures();
    result.kernel_failures = kernel_ ? kernel_->failures_text() : "";
    for (const auto& f : result.failures)
        complain(f);
    std::string ended = soc_->time_ended();
    if (!ended.empty() && !player_->where().empty())
        ended = fmt::format("{}: {}", player_->where(), ended);
    for (const std::string& e : {ended, player_->error(), run_error_})
        if (!e.empty())
            complain(e);
    if (!result.complete)
        complain("the simulation ended before the trace did (results are incomplete)");
    for (const std::string& e : output_errors_)
        complain(fmt::format("{} (the output is incomplete)", e));
    if (!output_errors_.empty())
        return 3;
    return result.complete && result.failures.empty() ? 0 : 1;
}

}  // namespace

RunResult run(const RunOptions& options)
{
    Run r(options);
    if (r.configure() && r.build_platform() && r.load_trace() && r.attach_kernel() && r.open_outputs()) {
        r.play();
        r.result.exit_status = r.report();
    }
    return std::move(r.result);
}

}  // namespace smmusim
