// SPDX-License-Identifier: GPL-2.0-only
// The selftest's machine (machine.h): one Soc with the default parameters
// and one KernelShim on it, booted on first use. The selftest's
// constructor (iommufd.c's setup_sizes) already maps memory, so the machine
// is made by a constructor that runs before it (priority 102, after
// syscalls.cc has set the descriptors aside at 101) as well as on
// demand.
#include "machine.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "platform/params.h"
#include "soc.h"

namespace smmusim::kshim::selftest {

namespace {

struct Machine {
    Config cfg;
    std::unique_ptr<Soc> soc;
    std::unique_ptr<KernelShim> ks;

    Machine()
    {
        declare_all_params(cfg);
        validate_config(cfg);
        soc = std::make_unique<Soc>("soc", cfg);
        ks = std::make_unique<KernelShim>(*soc);
        ks->boot();
        if (!ks->failures().empty()) {
            std::fprintf(stderr, "iommufd selftest: the kernel failed to boot:\n%s\n%s\n",
                         ks->failures_text().c_str(), ks->dmesg().c_str());
            std::exit(2);
        }
    }
};

}  // namespace

KernelShim& machine()
{
    static Machine* m = new Machine;  // never destroyed: forked children exit with _exit
    return *m->ks;
}

}  // namespace smmusim::kshim::selftest

__attribute__((constructor(102))) static void make_machine_early()
{
    smmusim::kshim::selftest::machine();
}

// libsystemc's own main() (which the selftest's main(), from
// kselftest_harness.h, replaces) refers to sc_main: never called.
int sc_main(int, char*[])
{
    std::fprintf(stderr, "iommufd selftest: sc_main is not this program's entry point\n");
    return 2;
}
