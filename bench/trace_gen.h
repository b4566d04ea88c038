// SPDX-License-Identifier: GPL-2.0-only
// The traces the benchmarks play through the real player (sim/run.h),
// generated into a temporary file (removed again by its owner). Each first
// idles kYardstickIdleCycles and ends idling as long again from a time far
// beyond its operations (yardstick.h: the process's yardstick runs alone
// in both), and between:
//   - command_trace: the SMMU CMDQ enabled (256 entries), then N commands
//     as the model benchmark's bursts (rig.h): TLBI_NH_VA, every 8th a
//     CMD_SYNC, a doorbell and `wait consumed` every 128; the tail from
//     kCommandsTail (a command takes some 25 cycles);
//   - map_unmap_trace: the kernel booted, an endpoint with a paging domain
//     of its own, then, between two idle waits until kMapUnmapStart and
//     kMapUnmapEnd (host_marks.h notes the host time at each), N times
//     `map` and `unmap` of one 4 KiB page through the real arm-smmu-v3
//     driver and io-pgtable-arm (the unmap's TLBI and CMD_SYNC on the queue
//     the driver picks); the tail from kMapUnmapEnd.
// A run ends at its tail's end exactly when the operations fitted.
// Not here: measuring them (child_run.cc).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace smmusim::bench {

// SMMU cycles: the commands are over by kCommandsTail (10^7 of them take
// some 2.5 * 10^8 cycles); the map+unmap pairs start at kMapUnmapStart, far
// beyond the kernel's boot (milliseconds of simulated time), and are over
// by kMapUnmapEnd (10^6 pairs: microseconds each).
constexpr uint64_t kCommandsTail = 100000000000, kMapUnmapStart = 10000000000, kMapUnmapEnd = 20000000000;

// A trace file in $TMPDIR (or /tmp), written by `write` (streamed: the
// generator holds no trace in memory, so a child's peak resident set is the
// run's own), removed when this goes.
class TempTrace {
public:
    explicit TempTrace(const std::function<void(std::FILE*)>& write);
    ~TempTrace();
    TempTrace(const TempTrace&) = delete;
    TempTrace& operator=(const TempTrace&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

void command_trace(std::FILE* out, uint64_t commands);
void map_unmap_trace(std::FILE* out, uint64_t pairs);

}  // namespace smmusim::bench
