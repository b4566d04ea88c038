// SPDX-License-Identifier: GPL-2.0-only
// Plays a trace on the platform: a simulated CPU thread executes the
// operations in order, in simulated time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "soc.h"
#include "trace.h"

namespace smmusim {

class TracePlayer {
public:
    TracePlayer(Soc& soc, std::string path);

    // Pass 1: reads the whole trace once (streaming) and checks every line,
    // including register names. Throws TraceError; nothing has run yet.
    void validate();
    // Spawns the CPU thread (before sc_start).
    void start();

    bool finished() const { return finished_; }
    uint64_t ops() const { return ops_; }
    // Expectation failures and timeouts, each "file:line:col: what".
    const std::vector<std::string>& failures() const { return failures_; }

private:
    struct QueueState {
        bool enabled = false;
        uint64_t base = 0;
        unsigned log2size = 0;
        uint32_t prod = 0;
    };
    void resolve(TraceOp& op) const;
    void run();
    void execute(const TraceOp& op);
    void fail(const TraceOp& op, const std::string& what);
    uint64_t mmio_addr(const TraceOp& op) const;

    Soc& soc_;
    std::string path_;
    QueueState cmdq_;
    bool finished_ = false;
    uint64_t ops_ = 0;
    std::vector<std::string> failures_;
    uint64_t lost_failures_ = 0;
};

}  // namespace smmusim
