// SPDX-License-Identifier: GPL-2.0-only
// The figures of the study "VCMDQ vs trapped" that are not the simulator's
// (`study.*`, set with `smmusim study ... --set study.KEY=VALUE`): the CPU
// time the guest's driver spends building and issuing its commands, which
// the study writes into its trace as waits, and how often each unmap is
// repeated. The simulator's own parameters (`smmusim params`) go to the
// run as they are. No vendor publishes the per-command cost of Linux's
// command-queue code, so the costs are assumptions, stated as such.
#pragma once

#include "platform/params.h"

namespace smmusim::studies {

#define SMMUSIM_STUDY_PARAMS(X)                                                                              \
    X(uint64_t, cpu_mhz, "study.guest.cpu_mhz", 3000, 1, 100000, "MHz", "the guest CPU's clock",             \
      "assumed: NVIDIA publishes Grace's Neoverse V2 cores at about 3 GHz; no exact figure was found")       \
    X(uint64_t, cmd_cycles, "study.guest.cmd_cycles", 40, 0, 1000000, "CPU cycles",                          \
      "the guest driver's cost of building one command and adding it to its batch "                         \
      "(arm_smmu_cmdq_batch_add_range, arm_smmu_cmdq_batch_add_cmd_p, the copy into the queue)",             \
      "assumed: some 40 instructions per command at about one per cycle")                                   \
    X(uint64_t, submit_cycles, "study.guest.submit_cycles", 300, 0, 1000000, "CPU cycles",                   \
      "the guest driver's cost of one arm_smmu_cmdq_issue_cmdlist() besides its MMIO: the lock-free "       \
      "space reservation (cmpxchg), the shared lock, dma_wmb() and the owner hand-off",                     \
      "assumed: a few atomics and barriers of some 50 cycles each on an uncontended queue")                 \
    X(uint64_t, repeats, "study.repeats", 3, 1, 64, "unmaps",                                                \
      "unmaps of each size and path; the row's latency is their mean", "study design")

SMMUSIM_PARAM_STRUCT(StudyParams, SMMUSIM_STUDY_PARAMS);

}  // namespace smmusim::studies
