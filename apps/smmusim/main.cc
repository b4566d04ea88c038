// SPDX-License-Identifier: GPL-2.0-only
// The smmusim program: parses the command line into a run (sim/run.h), a
// study (studies/) or a listing of the parameters. Everything else lives in the libraries; the
// exit statuses are the run's (sim/run.h, traces/FORMAT.md), and 2 for bad
// usage.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <systemc>  // declares sc_main with the linkage SystemC calls it by

#include "complain.h"
#include "kernel_ops_provider.h"
#include "platform/params.h"
#include "run.h"
#include "study_params.h"
#include "usage_error.h"
#include "vcmdq_vs_trap.h"
#include "version.h"

#ifndef SMMUSIM_TRACE_DIR
#define SMMUSIM_TRACE_DIR "traces"
#endif

namespace {

// The headline with kernel-level operations (a VM's HW queue through the
// real iommufd and drivers), the SMMU's bring-up without.
std::string default_trace()
{
    return smmusim::kernel_ops_provider() ? SMMUSIM_TRACE_DIR "/guest-vcmdq.trace"
                                          : SMMUSIM_TRACE_DIR "/smmu-bringup.trace";
}

std::string version_text()
{
    const smmusim::KernelOpsProvider* k = smmusim::kernel_ops_provider();
    return fmt::format("smmusim {}\ncommit {}\nkernel shim: {}", smmusim_version(), smmusim_commit(),
                       k ? k->describe() : "no kernel shim");
}

// A path given as "" would otherwise read as "not given" and pass silently.
const CLI::Validator non_empty(
    [](std::string& s) { return s.empty() ? std::string("an empty path") : std::string(); }, "PATH");
// An output named "-" would be a file of that name in the current folder
// (not standard output, as `plot --describe -` is).
const CLI::Validator output_path(
    [](std::string& s) {
        return s.empty() ? std::string("an empty path")
               : s == "-" ? std::string("'-' would be a file named '-': for standard output give /dev/stdout (with "
                                        "--quiet)")
                          : std::string();
    },
    "PATH");

// The `run` subcommand's options, into `ro`.
CLI::App* add_run_command(CLI::App& app, smmusim::RunOptions& ro)
{
    auto* run_cmd = app.add_subcommand("run", "play a trace (default: traces/guest-vcmdq.trace, or smmu-bringup.trace without the kernel shim)");
    run_cmd->add_option("trace", ro.trace, "trace file (format: traces/FORMAT.md)")
        ->check(non_empty)
        ->check(CLI::ExistingFile);
    run_cmd->add_option("--config", ro.config, "TOML configuration file")->check(non_empty)->check(CLI::ExistingFile);
    run_cmd->add_option("--set", ro.sets, "override one parameter: key=value (repeatable, each key once)");
    run_cmd->add_option("--stats", ro.stats, "write statistics as JSON to this file")->check(output_path);
    run_cmd->add_option("--timeline", ro.timeline,
                        "write a Chrome trace-event timeline (open in Perfetto): one track per queue, commands and IRQs")
        ->check(output_path);
    run_cmd->add_option("--vcd", ro.vcd,
                        "write a value-change dump (open in GTKWave): queue PROD/CONS, enables, GERROR, IRQ lines")
        ->check(output_path);
    run_cmd->add_flag("--dmesg", ro.dmesg, "print the kernel log (traces with kernel-level operations)");
    run_cmd->add_flag("--quiet,-q", ro.quiet, "no summary table");
    return run_cmd;
}

// The `study` subcommand's options, into `so` and `name`.
CLI::App* add_study_command(CLI::App& app, smmusim::studies::StudyOptions& so, std::string& name)
{
    auto* cmd = app.add_subcommand("study", "run a study (docs/studies.md): vcmdq-vs-trap");
    cmd->add_option("name", name, "the study")->required()->check(CLI::IsMember(smmusim::studies::study_names()));
    cmd->add_option("--json", so.json, "write the rows as JSON to this file")->check(output_path);
    cmd->add_option("--emit-trace", so.emit_trace, "keep the study's trace in this directory (play it with run)")
        ->check(non_empty)
        ->check(CLI::ExistingDirectory);
    cmd->add_option("--config", so.config, "TOML configuration file of the simulator")
        ->check(non_empty)
        ->check(CLI::ExistingFile);
    // A size is a positive number of bytes; CLI11's size parser would read
    // "-4K" as 2^64 - 4 and speak of an overflow. CLI11 runs the transform
    // added last first: this check, then the parser.
    // A number past 2^64 - 1, or one its unit takes past it, is refused
    // here as typed.
    const CLI::Validator positive(
        [](std::string& s) {
            if (s.find('-') != std::string::npos)
                return "'" + s + "': a size is a positive number of bytes, e.g. 4K";
            uint64_t v = 0;
            const std::string digits = s.substr(0, s.find_first_not_of("0123456789"));
            const std::string too_large = "'" + s + "': a size is at most 2^64 - 1 bytes";
            if (!digits.empty() && !smmusim::parse_number(digits, v))
                return too_large;
            // N times its unit's factor (CLI11's own table, asked with "1UNIT")
            // past 2^64 - 1: said as typed. A unit CLI11 does not know it
            // names itself.
            std::string factor = "1" + s.substr(digits.size());
            uint64_t f = 0;
            try {
                if (!digits.empty() && digits.size() < s.size() && CLI::AsSizeValue(false)(factor).empty() &&
                    smmusim::parse_number(factor, f) && f > 1 && v > UINT64_MAX / f)
                    return too_large;
            } catch (const CLI::ValidationError&) {
            }
            return std::string();
        },
        "SIZE");
    cmd->add_option("--sizes", so.sizes, "the unmap sizes (default 4K,16K,64K,128K,256K)")
        ->delimiter(',')
        ->transform(CLI::AsSizeValue(false))
        ->transform(positive);
    cmd->add_option("--set", so.sets, "override one parameter: key=value (study.* the study's, repeatable)");
    cmd->add_flag("--quiet,-q", so.quiet, "no table");
    cmd->footer("Through the launcher, ./smmusim study NAME ... --plot FILE.svg|png also draws the rows "
                "(tools/plot/README.md).\n\n" + cmd->get_footer());
    return cmd;
}

// A --sizes list with an empty item ("4K,,8K", "4K,"): CLI11 drops empty
// items of a delimited list without a word, so it is looked for here.
std::string empty_size_item(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        std::string v;
        if (a == "--sizes" && i + 1 < argc)
            v = argv[i + 1];
        else if (a.rfind("--sizes=", 0) == 0)
            v = a.substr(8);
        if (!v.empty() && (v.front() == ',' || v.back() == ',' || v.find(",,") != std::string::npos))
            return fmt::format("--sizes {}: an empty size between commas", v);
    }
    return "";
}

// `--OPT=` with nothing after the '=': CLI11 reads it as the option with
// its value still to come and takes the next argument (`run -q --vcd=
// t.trace` wrote the VCD over t.trace). Refused for every option of
// `command` that takes a value, up to a "--".
std::string empty_value_after_equals(const CLI::App& command, int argc, char** argv)
{
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--")
            break;
        if (a.size() < 4 || a.rfind("--", 0) != 0 || a.back() != '=')
            continue;
        const std::string name = a.substr(0, a.size() - 1);
        const CLI::Option* opt = command.get_option_no_throw(name);
        if (opt == nullptr)
            continue;  // an unknown option: CLI11's own words
        // CLI11 takes a flag's empty value as the flag given.
        if (opt->get_items_expected_max() == 0)
            return fmt::format("{}: {} is a flag and takes no value (got '{}')", command.get_name(), name, a);
        // (The type name holds its checks' names: "TEXT:PATH".)
        const bool path = opt->get_type_name().find("PATH") != std::string::npos;
        return fmt::format("{}: {}: an empty {} (after the '=' in '{}')", command.get_name(), name,
                           path ? "path" : "value", a);
    }
    return "";
}

bool known_command(const CLI::App& app, const std::string& word)
{
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->check_name(word))
            return true;
    return false;
}

// The options the program takes before a command.
bool is_program_option(const std::string& word)
{
    return word == "--help" || word == "-h" || word == "--help-all" || word == "--version";
}

std::string command_names(const CLI::App& app)
{
    std::string names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
    return names;
}

}  // namespace

// SystemC's main() calls sc_main() (see sc_entry.cc).
int sc_main(int argc, char** argv)
{
    // Past a file-size limit (ulimit -f) a write fails with EFBIG, and the
    // program says what could not be written (the spool falls back to
    // reading the trace again), rather than being killed by SIGXFSZ with
    // no word.
    std::signal(SIGXFSZ, SIG_IGN);
    // Named "smmusim" in usage lines, not by the build path ./smmusim runs.
    CLI::App app{"smmusim: cycle-accurate SMMUv3 + Tegra241 CMDQV simulator", "smmusim"};
    app.require_subcommand(1);
    app.footer("Exit status: 0 ok, 1 an expectation in the trace failed or the run stopped early, "
               "2 bad usage/config/output path/trace (nothing simulated), 3 an output could not be written "
               "after the run.");
    app.set_version_flag("--version", version_text);

    smmusim::RunOptions ro;
    ro.trace = default_trace();
    add_run_command(app, ro);
    auto* params = app.add_subcommand("params", "list every parameter with its default, unit and source (study.*: "
                                                "the studies' own, set with `smmusim study ... --set`)");
    bool markdown = false;
    params->add_flag("--markdown", markdown,
                     "as Markdown tables per model (what docs/timing.md holds: ./smmusim params --markdown > "
                     "docs/timing.md)");
    smmusim::studies::StudyOptions so;
    std::string study_name;
    auto* study = add_study_command(app, so, study_name);
    // Handled below, before the parse: declared so that the usage and the
    // "commands:" lists name it, and `help help` has a usage to print.
    std::string help_of;
    app.add_subcommand("help", "this usage, or COMMAND's (as COMMAND --help)")
        ->add_option("COMMAND", help_of, "the command whose usage to print");

    // `smmusim help [COMMAND]`: what --help prints (the command's, when
    // named), as the launcher's `./smmusim help` is its own usage.
    if (argc > 1 && std::string_view(argv[1]) == "help") {
        // `help -h`, `help --help`: help's own usage.
        if (argc == 3 && (std::string_view(argv[2]) == "-h" || std::string_view(argv[2]) == "--help")) {
            std::cout << app.get_subcommand("help")->help(app.get_name());
            return 0;
        }
        if (argc > 3) {
            smmusim::complain(fmt::format("help takes at most one command, got '{}' after '{}'", argv[3], argv[2]));
            return 2;
        }
        if (argc == 3 && !known_command(app, argv[2])) {
            smmusim::complain(fmt::format("help: unknown command '{}' (commands: {})", argv[2], command_names(app)));
            return 2;
        }
        // (The command's usage under the program's name, as `smmusim run --help` shows it.)
        std::cout << (argc == 3 ? app.get_subcommand(argv[2])->help(app.get_name()) : app.help());
        return 0;
    }
    // An unknown command word would only get CLI11's "A subcommand is
    // required": name it, and the commands there are.
    if (argc > 1 && argv[1][0] != '-' && !known_command(app, argv[1])) {
        smmusim::complain(fmt::format("unknown command '{}' (commands: {}; --help for more)", argv[1],
                                      command_names(app)));
        return 2;
    }
    // No command, or an option before it that is not the program's own.
    if (argc == 1 || (argv[1][0] == '-' && !is_program_option(argv[1]))) {
        smmusim::complain(argc == 1 ? fmt::format("a command is required (commands: {}; --help for more)",
                                                  command_names(app))
                                    : fmt::format("unknown option '{}' before the command (commands: {}; --help "
                                                  "for more)",
                                                  argv[1], command_names(app)));
        return 2;
    }
    // CLI11 prints the version whatever follows it.
    if (argc > 2 && std::string_view(argv[1]) == "--version") {
        smmusim::complain(fmt::format("--version takes nothing after it, got '{}'", argv[2]));
        return 2;
    }
    if (const std::string e = known_command(app, argv[1]) ? empty_value_after_equals(*app.get_subcommand(argv[1]), argc, argv) : "";
        !e.empty()) {
        smmusim::complain(e);
        return 2;
    }
    if (const std::string e = empty_size_item(argc, argv); !e.empty()) {
        smmusim::complain(e);
        return 2;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)  // --help, --version
            return app.exit(e);
        smmusim::complain(smmusim::usage_error(e, app, argc, argv));
        return 2;
    }

    if (*params) {
        smmusim::Config cfg;
        smmusim::declare_run_params(cfg);
        smmusim::studies::StudyParams::declare(cfg);  // study.*: `smmusim study --set` only
        std::cout << (markdown ? cfg.markdown() : cfg.describe());
        return 0;
    }
    if (*study) {
        so.simulator_version = smmusim_version();
        so.simulator_commit = smmusim_commit();
        return smmusim::studies::run_vcmdq_vs_trap(so).exit_status;
    }
    // A progress line on a terminal, for runs longer than a second.
    ro.progress = isatty(fileno(stderr)) && !ro.quiet;
    ro.simulator_version = smmusim_version();
    ro.simulator_commit = smmusim_commit();
    return smmusim::run(ro).exit_status;
}
