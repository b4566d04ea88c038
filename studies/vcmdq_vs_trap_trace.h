// SPDX-License-Identifier: GPL-2.0-only
// The trace of the study "VCMDQ vs trapped" (docs/studies.md): the same
// kernel-level operations a user could write (traces/FORMAT.md), so one
// study is one `smmusim run` of this trace. Two VMs on the real iommufd
// and drivers: "vc" with an accelerated vIOMMU (TEGRA241_CMDQV, its HW
// queue 0 a VCMDQ it writes directly) and "trap" with a trapped one
// (ARM_SMMUV3: its command queue is emulated by the VMM), each with its
// own stage 1 and every buffer of the study mapped. Then, for each size
// and repetition and each VM: the guest unmaps the buffer and invalidates
// it as its driver does (guest_driver.h): for each submission a wait (the
// guest CPU's work, study_params.h), its commands, CMD_SYNC, the doorbell
// and the wait for CONS, followed by an `expect executed` of what the
// hardware ran. It builds text only; running it is vcmdq_vs_trap.h's.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "guest_driver.h"

namespace smmusim::studies {

enum class Path { Trapped, Vcmdq };
const char* path_name(Path p);

struct TraceSpec {
    std::vector<uint64_t> sizes;   // bytes, multiples of 4 KiB, at most 256 KiB
    unsigned repeats = 1;
    std::vector<Path> paths;       // which VMs the trace has
    GuestSmmu smmu;                // what the guests' drivers see (IDR3.RIL)
    // The guest CPU's work in SMMU cycles (fractional): per command and per
    // submission; a submission's wait is their sum rounded up.
    double cmd_cycles = 0, submit_cycles = 0;
};

// The lines of one measured unmap: from the first line of its
// invalidation to the `guest VM wait` that sees CONS reach PROD.
struct Window {
    uint64_t size = 0;
    unsigned rep = 0;
    Path path = Path::Vcmdq;
    unsigned first_line = 0, last_line = 0;
    unsigned commands = 0, submissions = 0;
};

struct StudyTrace {
    std::string text;
    std::vector<Window> windows;
};

// A size of --sizes the study cannot map (not whole pages, too large, given
// twice).
class SizeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Throws SizeError for a size the study cannot map, std::invalid_argument
// for a spec without sizes, paths or repetitions.
StudyTrace build_trace(const TraceSpec& spec);

}  // namespace smmusim::studies
