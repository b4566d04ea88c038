// SPDX-License-Identifier: GPL-2.0-only
// The figures of the study "VCMDQ vs trapped" that are not the simulator's
// (`study.*`, set with `smmusim study ... --set study.KEY=VALUE`): how much
// code the guest's driver runs to build and issue its commands, in the
// units of the kernel shim's CPU cost model (basic blocks, atomics,
// barriers: priced by cpu.block_cycles, cpu.atomic_cycles, cpu.dmb_cycles
// at cpu.clock_mhz, so the guest's code costs what the host's does), which
// the study writes into its trace as waits; and how often each unmap is
// repeated. The simulator's own parameters (`smmusim params`) go to the
// run as they are. The guest runs the driver model (guest_driver.h), not
// counted code, so its counts are read from the code: assumptions.
#pragma once

#include "platform/params.h"

namespace smmusim::studies {

#define SMMUSIM_STUDY_PARAMS(X)                                                                              \
    X(uint64_t, cmd_blocks, "study.guest.cmd_blocks", 26, 0, 100000, "basic blocks",                          \
      "the guest driver's code per command: one turn of arm_smmu_cmdq_batch_add_range's loop, "             \
      "arm_smmu_cmdq_batch_add_cmd_p and the command's copy into the queue (queue_write)",                   \
      "assumed: read from the code, about 26 basic blocks (times cpu.block_cycles)")                       \
    X(uint64_t, submit_blocks, "study.guest.submit_blocks", 80, 0, 100000, "basic blocks",                    \
      "the guest driver's code per arm_smmu_cmdq_issue_cmdlist() besides its commands and MMIO: the "       \
      "space reservation loop, the valid-map and owner hand-off, the shared lock, the CMD_SYNC's build",     \
      "assumed: read from the code of an uncontended submission, about 80 basic blocks")                   \
    X(uint64_t, submit_atomics, "study.guest.submit_atomics", 6, 0, 1000, "atomics",                          \
      "atomic read-modify-writes per submission (the cmpxchg of the reservation, the shared lock's "         \
      "increment and decrement, the valid map's two XORs, the owner's release)",                             \
      "assumed: counted in the code of an uncontended submission (times cpu.atomic_cycles)")                 \
    X(uint64_t, submit_dmbs, "study.guest.submit_dmbs", 2, 0, 1000, "barriers",                               \
      "DMBs per submission (dma_wmb() before PROD, the acquire of the poll)",                                \
      "assumed: counted in the code (times cpu.dmb_cycles)")                                                 \
    X(uint64_t, repeats, "study.repeats", 3, 1, 64, "unmaps",                                                \
      "unmaps of each size and path; the row's latency is their mean", "study design")

SMMUSIM_PARAM_STRUCT(StudyParams, SMMUSIM_STUDY_PARAMS);

}  // namespace smmusim::studies
