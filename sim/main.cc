// SPDX-License-Identifier: GPL-2.0-only
// The smmusim program: parses the command line, builds the platform from the
// configuration, plays a trace and reports. Everything else lives in the
// libraries.
//
// Exit status (traces/FORMAT.md): 0 the run completed and every expectation
// held; 1 an expectation in the trace failed (or a wait timed out), or the
// run stopped before the end of the trace (a line found malformed during the
// run, an error inside a model, simulated time at its end: statistics marked
// incomplete); 2 bad usage, configuration, output path or trace (nothing was
// simulated); 3 the run happened but an output (--stats, --timeline, --vcd)
// could not be written whole (its option and path are named; the trace's
// failures are still printed). 3 wins over 1: a lost output is the failure a
// script must not miss.
#include <chrono>
#include <cstdio>
#include <unistd.h>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "outputs.h"
#include "player.h"
#include "report.h"
#include "timeline.h"
#include "soc.h"
#include "vcd.h"
#include "version.h"
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
#include "vmm/kernel_trace_ops.h"
#endif

#ifndef SMMUSIM_TRACE_DIR
#define SMMUSIM_TRACE_DIR "traces"
#endif

namespace {

struct RunOptions {
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    // The headline: a VM's HW queue through the real iommufd and drivers.
    std::string trace = SMMUSIM_TRACE_DIR "/guest-vcmdq.trace";
#else
    std::string trace = SMMUSIM_TRACE_DIR "/smmu-bringup.trace";
#endif
    std::string config;
    std::vector<std::string> sets;
    std::string stats;
    std::string timeline;
    std::string vcd;
    bool dmesg = false;
    bool quiet = false;
};

#ifdef SMMUSIM_HAVE_KERNEL_SHIM
// The kernel shim's DMA pool must lie inside DRAM (checked before the shim
// is built, naming the key to change).
bool kernel_fits(const smmusim::Config& cfg)
{
    const smmusim::kshim::KernelShim::Options ko;
    const uint64_t need = ko.dma_offset + ko.dma_size;
    if (cfg.u64("mem.dram_size") >= need)
        return true;
    fmt::print(stderr,
               "smmusim: mem.dram_size = {:#x} is too small for kernel-level operations: the kernel shim's DMA "
               "pool is [DRAM + {:#x}, +{:#x}), so DRAM needs at least {:#x} bytes\n",
               cfg.u64("mem.dram_size"), ko.dma_offset, ko.dma_size, need);
    return false;
}
#endif

int run(const RunOptions& o)
{
    using namespace smmusim;
    Config cfg;
    declare_all_params(cfg);
    try {
        if (!o.config.empty())
            cfg.load_file(o.config);
        cfg.set_assignments(o.sets, "--set");
        validate_config(cfg);
        check_outputs({{"--stats", o.stats}, {"--timeline", o.timeline}, {"--vcd", o.vcd}}, {o.trace, o.config});
    } catch (const std::runtime_error& e) {  // ConfigError, OutputError
        fmt::print(stderr, "smmusim: {}\n", e.what());
        return 2;
    }

    // The configuration was checked whole; what is left to fail here is the
    // host (e.g. no memory for DRAM's mapping).
    std::unique_ptr<Soc> platform;
    try {
        platform = std::make_unique<Soc>("soc", cfg);
    } catch (const std::exception& e) {
        fmt::print(stderr, "smmusim: cannot build the platform: {}\n", e.what());
        return 2;
    }
    Soc& soc = *platform;
    TracePlayer player(soc, o.trace);
    try {
        player.validate();
    } catch (const TraceError& e) {
        fmt::print(stderr, "smmusim: {}\n", e.what());
        return 2;
    }
    if (!player.checked_ops()) {
        // Nothing to run would pass silently (an empty file, or a pipe that
        // was already read).
        fmt::print(stderr, "smmusim: {}: the trace has no operation\n", o.trace);
        return 2;
    }
    // Kernel-level operations: the real Linux code, in the kernel shim.
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    std::unique_ptr<kshim::KernelShim> kernel;
    std::unique_ptr<kshim::KernelTraceOps> kernel_ops;
    if (player.uses_kernel()) {
        if (!kernel_fits(cfg))
            return 2;
        try {
            kernel = std::make_unique<kshim::KernelShim>(soc);
        } catch (const std::exception& e) {
            fmt::print(stderr, "smmusim: {}\n", e.what());
            return 2;
        }
        kernel_ops = std::make_unique<kshim::KernelTraceOps>(*kernel);
        player.set_kernel(kernel_ops.get(), kernel->options().stack_bytes);
    }
#else
    if (player.uses_kernel()) {
        fmt::print(stderr, "smmusim: {}: kernel-level operations need a build with the kernel shim "
                           "(configure with -DSMMUSIM_KERNEL_SHIM=ON)\n", o.trace);
        return 2;
    }
#endif
    std::unique_ptr<Timeline> timeline;
    if (!o.timeline.empty()) {
        try {
            timeline = std::make_unique<Timeline>(soc, o.timeline, "--timeline");
        } catch (const std::runtime_error& e) {
            fmt::print(stderr, "smmusim: {}\n", e.what());
            return 2;
        }
    }
    std::unique_ptr<Vcd> vcd;
    if (!o.vcd.empty()) {
        try {
            // The VCMDQs the trace names; with kernel-level operations the
            // drivers choose which ones they map, so all of them.
            std::vector<unsigned> queues(player.vcmdqs_used().begin(), player.vcmdqs_used().end());
            if (player.uses_kernel() && soc.has_cmdqv()) {
                queues.clear();
                for (unsigned q = 0; q < soc.cmdqv().num_vcmdqs(); q++)
                    queues.push_back(q);
            }
            vcd = std::make_unique<Vcd>(soc, o.vcd, queues, "--vcd");
        } catch (const std::runtime_error& e) {
            fmt::print(stderr, "smmusim: {}\n", e.what());
            return 2;
        }
    }
    if (timeline)
        player.on_op([&](const TraceOp& op, const std::string& name, const sc_core::sc_time& start,
                         const sc_core::sc_time& end) { timeline->cpu_span(name, start, end, op.loc.str()); });
    player.start();
    const auto t0 = std::chrono::steady_clock::now();
    // A progress line on a terminal, for runs longer than a second.
    const bool tty = isatty(fileno(stderr));
    bool progress_shown = false;
    if (tty && !o.quiet)
        player.on_progress([&](uint64_t ops) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            if (s < 1.0)
                return;
            progress_shown = true;
            fmt::print(stderr, "\r{:>14} cycles simulated, {:>10} operations, {:>9.0f} ops/s ", soc.smmu_clock().now(),
                       ops, static_cast<double>(ops) / s);
        });
    // The player turns what goes wrong on its CPU into error(); anything
    // thrown elsewhere during the run (a model's thread) ends up here. Both
    // end the run with statistics marked incomplete.
    std::string run_error;
    try {
        sc_core::sc_start();
    } catch (const std::exception& e) {
        run_error = player.where().empty() ? e.what() : fmt::format("{}: {}", player.where(), e.what());
    }
    const double host = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Every output's writes and close are checked; what failed is reported
    // after the trace's own failures (exit status 3).
    std::vector<std::string> output_errors;
    if (timeline && !timeline->close())
        output_errors.push_back(timeline->error());
    if (vcd && !vcd->close())
        output_errors.push_back(vcd->error());
    if (progress_shown)
        fmt::print(stderr, "\n");

    RunInfo info;
    info.trace = o.trace;
    info.host_seconds = host;
    info.ops = player.ops();
    info.complete = player.finished();
    info.simulator_version = smmusim_version();
    info.simulator_commit = smmusim_commit();
#ifdef SMMUSIM_HAVE_KERNEL_SHIM
    if (kernel_ops) {
        info.kernel_version = kernel_ops->version();
        info.kernel_warnings = kernel_ops->warnings();
        info.vintf_owners = kernel_ops->vintf_owners();
        if (o.dmesg)
            fmt::print("{}", kernel_ops->dmesg());
    }
#endif
    if (o.dmesg && info.kernel_version.empty())
        fmt::print(stderr, "smmusim: --dmesg: no kernel-level operation ran, so there is no kernel log\n");
    const nlohmann::json stats = build_stats(soc, info);
    if (!o.stats.empty()) {
        try {
            OutputWriter out("--stats", o.stats);
            out.write(json_text(stats, 2) + "\n");
            if (!out.close())
                output_errors.push_back(out.error());
        } catch (const OutputError& e) {  // removed or made unwritable during the run
            output_errors.push_back(e.what());
        }
    }
    if (!o.quiet) {
        fmt::print("trace: {}\n", o.trace);
        fmt::print("{}", summary_table(stats));
    }
    for (const auto& f : player.failures())
        fmt::print(stderr, "smmusim: {}\n", f);
    std::string ended = soc.time_ended();
    if (!ended.empty() && !player.where().empty())
        ended = fmt::format("{}: {}", player.where(), ended);
    for (const std::string& e : {ended, player.error(), run_error})
        if (!e.empty())
            fmt::print(stderr, "smmusim: {}\n", e);
    if (!player.finished())
        fmt::print(stderr, "smmusim: the simulation ended before the trace did (results are incomplete)\n");
    for (const std::string& e : output_errors)
        fmt::print(stderr, "smmusim: {} (the output is incomplete)\n", e);
    if (!output_errors.empty())
        return 3;
    return player.finished() && player.failures().empty() ? 0 : 1;
}

}  // namespace

// SystemC's main() calls sc_main() (see sc_entry.cc).
int sc_main(int argc, char** argv)
{
    CLI::App app{"smmusim: cycle-accurate SMMUv3 + Tegra241 CMDQV simulator"};
    app.require_subcommand(1);
    app.footer("Exit status: 0 ok, 1 an expectation in the trace failed or the run stopped early, "
               "2 bad usage/config/output path/trace (nothing simulated), 3 an output could not be written "
               "after the run.");
    app.set_version_flag("--version", [] {
        return fmt::format("smmusim {}\ncommit {}\nkernel shim: {}", smmusim_version(), smmusim_commit(),
                           smmusim_kernel_info());
    });

    RunOptions ro;
    auto* run_cmd = app.add_subcommand("run", "play a trace (default: traces/guest-vcmdq.trace, or smmu-bringup.trace without the kernel shim)");
    // A path given as "" would otherwise read as "not given" and pass silently.
    const CLI::Validator non_empty(
        [](std::string& s) { return s.empty() ? std::string("an empty path") : std::string(); }, "PATH");
    run_cmd->add_option("trace", ro.trace, "trace file (format: traces/FORMAT.md)")
        ->check(non_empty)
        ->check(CLI::ExistingFile);
    run_cmd->add_option("--config", ro.config, "TOML configuration file")->check(non_empty)->check(CLI::ExistingFile);
    run_cmd->add_option("--set", ro.sets, "override one parameter: key=value (repeatable, each key once)");
    run_cmd->add_option("--stats", ro.stats, "write statistics as JSON to this file")->check(non_empty);
    run_cmd->add_option("--timeline", ro.timeline,
                        "write a Chrome trace-event timeline (open in Perfetto): one track per queue, commands and IRQs")
        ->check(non_empty);
    run_cmd->add_option("--vcd", ro.vcd,
                        "write a value-change dump (open in GTKWave): queue PROD/CONS, enables, GERROR, IRQ lines")
        ->check(non_empty);
    run_cmd->add_flag("--dmesg", ro.dmesg, "print the kernel log (traces with kernel-level operations)");
    run_cmd->add_flag("--quiet,-q", ro.quiet, "no summary table");

    auto* params = app.add_subcommand("params", "list every parameter with its default, unit and source");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }

    if (*params) {
        smmusim::Config cfg;
        smmusim::declare_all_params(cfg);
        std::cout << cfg.describe();
        return 0;
    }
    return run(ro);
}
