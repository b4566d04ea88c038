// SPDX-License-Identifier: GPL-2.0-only
// The trace player's pacing: how its "driver" waits for the hardware. Every
// figure the player uses when it polls a handshake or waits for room in a
// full command queue; none of them is the hardware's. Listed by
// `./smmusim params`; the defaults are what the player always did.
#pragma once

#include "platform/params.h"

namespace smmusim {

#define SMMUSIM_PLAYER_PARAMS(X)                                                                               \
    X(uint64_t, poll_reads, "player.poll_reads", 1000000, 1, 1000000000, "reads",                              \
      "reads of a handshake register (CR0ACK, STATUS) before a poll fails; the reads follow each other "      \
      "back to back, paced by the register latency",                                                           \
      "assumed: a driver's bounded poll; Linux bounds it by time instead, ARM_SMMU_POLL_TIMEOUT_US = 1000000 (1 s, drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h)")                                    \
    X(uint64_t, room_recheck_cycles, "player.room_recheck_cycles", 1000, 1, 1000000000, "cycles",              \
      "with the command queue full, the longest wait for the consumer's progress before CONS is read again",   \
      "assumed: a pacing of the player, not the hardware; 1 us at 1 GHz")                                                                                               \
    X(uint64_t, room_timeout_cycles, "player.room_timeout_cycles", 1000000, 1, 1ull << 62, "cycles",           \
      "how long a command waits for room in a full queue before it fails (not written)",                      \
      "assumed: the trace's default wait timeout (traces/FORMAT.md)")

SMMUSIM_PARAM_STRUCT(PlayerParams, SMMUSIM_PLAYER_PARAMS);

}  // namespace smmusim
