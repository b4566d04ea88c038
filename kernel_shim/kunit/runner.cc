// SPDX-License-Identifier: GPL-2.0-only
// smmusim_kunit: boots the shim's kernel (built with CONFIG_KUNIT, see
// CMakeLists.txt) on the simulated platform, runs every linked KUnit suite
// as the kernel's kernel_init_freeable() does (kunit_run_all_tests()), and
// prints the kernel log, whose KTAP lines are KUnit's own output. Then it
// reads the KTAP (ktap.h) and prints one line per suite,
//   kunit <suite>: N run, P pass, S skip, F fail
// (N: the cases the suite reported), each skipped case with the reason
// KUnit gave, and each failing case with its diagnostics.
// Exit status 0 only when a suite ran, the KTAP is well formed, no case
// failed and the kernel recorded no failure (WARN, BUG, trap, ...).
//
//   smmusim_kunit [GLOB]   GLOB: KUnit's kunit.filter_glob ("suite" or
//                          "suite.case", with * and ?), set as the kernel
//                          command line would
// Any other argument, or a GLOB KUnit refuses, is an error (exit 2).
// Not here: what the suites test (the upstream files).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <systemc>

#include "kernel_shim.h"
#include "ktap.h"
#include "platform/errno_names.h"
#include "soc.h"

extern "C" int kunit_run_all_tests(void);

namespace smmusim::kunit {
namespace {

// KUnit names the arm-smmu-v3 suite "arm-smmu-v3-kunit-test"; the summary
// says "arm-smmu-v3", as the launcher and the README do.
std::string short_name(const std::string& suite)
{
    const std::string tail = "-kunit-test";
    if (suite.size() > tail.size() && suite.compare(suite.size() - tail.size(), tail.size(), tail) == 0)
        return suite.substr(0, suite.size() - tail.size());
    return suite;
}

// One line per suite, then skips and failures; false if any case failed.
bool report(const KtapLog& log)
{
    bool ok = true;
    for (const auto& suite : log.tests) {
        const CaseCounts c = count_cases(suite);
        fmt::print("kunit {}: {} run, {} pass, {} skip, {} fail\n", short_name(suite.name), c.run, c.pass, c.skip,
                   c.fail);
        ok = ok && c.fail == 0 && suite.ok;
        for (const auto& t : suite.subtests) {
            if (t.skipped)
                fmt::print("  skipped: {}: {}\n", t.name, t.skip_reason);
            else if (!t.ok) {
                fmt::print("  FAILED: {}\n", t.name);
                for (const auto& d : t.diagnostics)
                    fmt::print("    {}\n", d);
            }
        }
    }
    return ok;
}

// Why kunit.filter_glob did not take `glob` (the setter's -errno).
std::string glob_refused(const std::string& glob, int e)
{
    const std::string shown = glob.size() > 60 ? glob.substr(0, 60) + "..." : glob;
    if (e == -ENOSPC)
        return fmt::format("kunit.filter_glob '{}': {} bytes is too long: a string module parameter of the shim "
                           "holds at most 1024 (kernel_shim/kunit/src/params.c; ENOSPC)", shown, glob.size());
    return fmt::format("kunit.filter_glob '{}': refused: {} ({})", shown, std::strerror(-e), errno_name(-e));
}

int run(int argc, char** argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        fmt::print(stderr, "usage: {} [FILTER_GLOB]  (kunit.filter_glob, e.g. 'arm-smmu-v3-kunit-test.*abort*')\n",
                   argv[0]);
        return 2;
    }
    Config cfg;
    declare_all_params(cfg);
    validate_config(cfg);
    Soc soc("soc", cfg);
    kshim::KernelShim ks(soc);
    ks.boot();
    if (argc == 2) {
        const int e = ks.set_module_param("kunit.filter_glob", argv[1]);
        if (e) {
            fmt::print(stderr, "{}\n", glob_refused(argv[1], e));
            return 2;
        }
    }
    int err = -1;
    // KUnit's own timeout per case is 300 s (CONFIG_KUNIT_DEFAULT_TIMEOUT);
    // the whole run gets the same, in simulated time.
    const bool finished = ks.run([&] { err = kunit_run_all_tests(); }, sc_core::sc_time(300, sc_core::SC_SEC));

    std::string text;
    for (const auto& r : ks.log())
        text += r.text + "\n";
    std::fputs(text.c_str(), stdout);

    const KtapLog log = parse_ktap(text);
    bool ok = finished && err == 0 && log.errors.empty() && !log.tests.empty();
    ok = report(log) && ok;
    for (const auto& e : log.errors)
        fmt::print("KTAP error: {}\n", e);
    if (log.tests.empty())
        fmt::print("kunit: no suite ran\n");
    if (!finished || err != 0)
        fmt::print("kunit: kunit_run_all_tests() {}\n", finished ? fmt::format("returned {}", err) : "did not finish");
    if (!ks.failures().empty()) {
        fmt::print("kernel failures:\n{}", ks.failures_text());
        ok = false;
    }
    std::fflush(stdout);
    return ok ? 0 : 1;
}

}  // namespace
}  // namespace smmusim::kunit

// SystemC's main() calls sc_main() (apps/smmusim/sc_entry.cc).
int sc_main(int argc, char** argv) { return smmusim::kunit::run(argc, argv); }
