// SPDX-License-Identifier: GPL-2.0-only
// The kernel-integrity check (integrity.h): a baseline of the kernel's
// state taken in every forked process (pthread_atfork) and at start-up,
// compared at the process's _exit() (the case's end: iommufd_fail_nth.c's
// object is linked with --wrap=_exit; this file is not, so its own _exit()
// is the C library's).
#include <pthread.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <sstream>
#include <string>

#include "integrity.h"
#include "machine.h"
#include "smmusim/fs_calls.h"
#include "smmusim/kernel.h"
#include "syscalls.h"

namespace smmusim::kshim::selftest {

namespace {

struct Baseline {
    size_t reported = 0;  // failures() already reported (or before the case)
    std::set<std::string> live;  // live_kmallocs() lines
    uint64_t dma_live = 0;
    unsigned armed = 0, injected = 0;
    bool bad = false;
};

Baseline& base()
{
    static Baseline b;
    return b;
}

std::set<std::string> live_blocks()
{
    std::set<std::string> lines;
    std::istringstream in(machine().live_kmallocs());
    for (std::string l; std::getline(in, l);)
        lines.insert(l);
    return lines;
}

void take_baseline()
{
    KernelShim& ks = machine();
    Baseline& b = base();
    b = Baseline{};
    b.reported = ks.failures().size();
    b.live = live_blocks();
    b.dma_live = ks.alloc_stats().dma_live;
    smmusim_fail_nth_stats(&b.armed, &b.injected);
}

// After the machine (machine.cc, 102), before any case forks.
__attribute__((constructor(103))) void start()
{
    take_baseline();
    pthread_atfork(nullptr, nullptr, take_baseline);
}

// What the process's exit does first (do_exit(): exit_files()): its
// descriptors closed, so what they held is released before the leak check.
void exit_files()
{
    for (int fd = 0; fd < 256; fd++)
        if (simulated(fd))
            kernel_call([fd] { return static_cast<long>(smmusim_sys_close(fd)); });
}

// Leaks of the kernel itself, written down in ../README.md ("Findings"),
// by the function that allocated the block: reported, not failed.
constexpr const char* kKnownLeakSites[] = {
    // mock_dev_create(): iommu_mock_device_add() failing before device_add()
    "fwnode_create_software_node",
    "device_create_managed_software_node",
    "iommu_fwspec_init",
};

bool known_leak(const std::string& line)
{
    for (const char* site : kKnownLeakSites)
        if (line.size() > std::strlen(site) && line.compare(line.size() - std::strlen(site), std::string::npos, site) == 0 &&
            line.compare(line.size() - std::strlen(site) - 6, 6, " from ") == 0)
            return true;
    return false;
}

void report_leaks()
{
    KernelShim& ks = machine();
    Baseline& b = base();
    unsigned shown = 0, leaked = 0, known = 0;
    for (const std::string& l : live_blocks()) {
        if (b.live.count(l))
            continue;
        if (known_leak(l)) {
            known++;
            continue;
        }
        leaked++;
        if (shown++ < 20)
            std::printf("# kernel: leak: %s\n", l.c_str());
    }
    if (known)
        std::printf("# kernel: %u blocks of the known leak of mock_dev_create() (../README.md, Findings)\n",
                    known);
    if (leaked > shown)
        std::printf("# kernel: leak: ... %u blocks in all\n", leaked);
    const uint64_t dma = ks.alloc_stats().dma_live;
    if (dma > b.dma_live)
        std::printf("# kernel: leak: %llu DMA or page-table allocations\n",
                    static_cast<unsigned long long>(dma - b.dma_live));
    b.bad |= leaked || dma > b.dma_live;
}

// The sweep's figures; an armed sweep that never injected is a failure.
void report_sweep()
{
    Baseline& b = base();
    unsigned armed = 0, injected = 0;
    smmusim_fail_nth_stats(&armed, &injected);
    armed -= b.armed;
    injected -= b.injected;
    if (!armed)
        return;
    std::printf("# fail-nth: %u iterations, %u with a failure injected\n", armed, injected);
    if (!injected) {
        std::printf("# kernel: fault injection reached no fault point\n");
        b.bad = true;
    }
}

}  // namespace

void report_new_failures()
{
    KernelShim& ks = machine();
    Baseline& b = base();
    const auto& failures = ks.failures();
    unsigned armed = 0, injected = 0;
    smmusim_fail_nth_stats(&armed, &injected);
    for (; b.reported < failures.size(); b.reported++) {
        const Failure& f = failures[b.reported];
        std::printf("# kernel: %s: %s (fail-nth iteration %u)\n", f.kind.c_str(), f.message.c_str(),
                    armed - b.armed);
        b.bad = true;
    }
    std::fflush(stdout);
}

}  // namespace smmusim::kshim::selftest

extern "C" {

// The end of a case's process: its kernel-integrity verdict.
void __wrap__exit(int status)
{
    using namespace smmusim::kshim::selftest;
    exit_files();
    report_new_failures();
    report_leaks();
    report_sweep();
    std::fflush(stdout);
    // KSFT_FAIL (kselftest.h) unless the case failed already.
    _exit(base().bad && status == 0 ? 1 : status);
}

}  // extern "C"
