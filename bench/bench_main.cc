// SPDX-License-Identifier: GPL-2.0-only
// `./smmusim bench` (bench/README.md): host-speed benchmarks, each host time
// compared with a bare SystemC timed wait measured in the same process.
//
//   smmusim_bench [--quick] [--json FILE] [--max-ops N]
//       the table of issue #13's figures and targets (report.h), from child
//       processes of this program
//   smmusim_bench --child NAME [--ops N] [--quick]
//       one measurement (children.h), its answer as one JSON line
//   smmusim_bench --gbench [Google Benchmark flags]
//       the Google Benchmark suite on the benchmarks' platform (gbench.h)
#include <string>

#include <CLI/CLI.hpp>
#include <systemc>  // declares sc_main with the linkage SystemC calls it by

#include "children.h"
#include "gbench.h"
#include "report.h"

using namespace smmusim::bench;

namespace {

int child_main(int argc, char** argv)
{
    CLI::App app{"smmusim_bench --child: one measurement, one JSON line"};
    ChildArgs a;
    app.add_option("--child", a.name, "model, trace or driver")->required();
    app.add_option("--ops", a.ops, "trace: commands; driver: map+unmap pairs");
    app.add_flag("--quick", a.quick, "tiny sizes");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return run_child(a);
}

}  // namespace

// SystemC's main() calls sc_main() (apps/smmusim/sc_entry.cc).
int sc_main(int argc, char** argv)
{
    const std::string first = argc > 1 ? argv[1] : "";
    if (first == "--child")
        return child_main(argc, argv);
    if (first == "--gbench") {
        argv[1] = argv[0];
        return run_gbench(argc - 1, argv + 1);
    }
    CLI::App app{"smmusim bench: host-speed benchmarks against a bare SystemC timed wait (bench/README.md)"};
    BenchOptions o;
    app.add_option("--json", o.json, "write every figure, the scaling sweep and the targets as JSON to this file");
    app.add_flag("--quick", o.quick, "tiny sizes (a smoke run of a few seconds; the figures are rough)");
    app.add_option("--max-ops", o.max_ops, "the scaling sweep's largest size at most (1 to 10^7, default 10^7)")
        ->check(CLI::Range(uint64_t(1), uint64_t(10000000)));
    app.footer("Also: --gbench [Google Benchmark flags] runs the Google Benchmark suite on the same platform.\n"
               "Exit status: 0 measured (targets met or not), 1 a measurement or --json failed, 2 bad usage.");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return run_bench(o);
}
