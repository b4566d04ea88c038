// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's command-execution engine: one pipeline, shared by the SMMU's own
// command queue and every CMDQV virtual command queue. A queue acquires the
// engine for a batch of commands, executes them one at a time and releases
// it.
//
// Arbitration policy: round robin among the sources waiting at the moment of
// arbitration, starting after the last source served. An arbitration takes
// smmu.exec.arb_cycles and happens whenever the engine is free and someone
// waits, so every requester that asks during that window competes. A grant
// covers at most one batch (the requester's own limit: smmu.cmdq.batch for
// the SMMU CMDQ, CMDQ_MAX_CMD_BATCH for a VCMDQ), which bounds what any queue
// can make the others wait.
//
// Execution costs one parameter per command class (smmuv3_params.h). ATC
// invalidations are split-phase: issuing costs atc_inv_cycles, completion
// arrives atc_complete_cycles later, and a CMD_SYNC from the same source waits
// for every completion still outstanding.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "../platform/stats.h"
#include "commands.h"

namespace smmusim {
class Smmuv3;

class CommandEngine {
public:
    CommandEngine(Smmuv3& smmu);

    // Registers a requester (a command queue); returns its id.
    unsigned add_source(const std::string& name);
    const std::string& source_name(unsigned src) const { return sources_[src].name; }

    // Both block the calling SC_THREAD.
    void acquire(unsigned src);
    void release(unsigned src);

    // Executes one decoded, legal command on behalf of `src`, which must hold
    // the engine. `retire` (the queue's CONS advance) runs once the command
    // has completed and before its completion is signalled: a CMD_SYNC's
    // MSI, wired IRQ or SEV never becomes visible before the CMD_SYNC is
    // seen consumed in CONS (IHI 0070, "Interrupts and notifications": new
    // information is visible before the notification of it; Linux's
    // MSI-polled CMD_SYNC takes CONS past the sync when the MSI lands).
    // Returns false if the command could not complete (a CMD_SYNC whose MSI
    // write aborted still completes, as the architecture says; no command
    // fails today, the result is for future ATC timeouts).
    bool execute(unsigned src, const smmuv3::Command& cmd, const std::function<void()>& retire = {});

    // Observers see every executed command (tests, traces, timelines).
    using Observer = std::function<void(unsigned src, const smmuv3::Command& cmd)>;
    void add_observer(Observer o) { observers_.push_back(std::move(o)); }
    // The same with the simulated time the command started and ended (timelines).
    using SpanObserver = std::function<void(unsigned src, const smmuv3::Command& cmd, const sc_core::sc_time& start,
                                            const sc_core::sc_time& end)>;
    void add_span_observer(SpanObserver o) { span_observers_.push_back(std::move(o)); }
    // The same as a command starts executing. A command's effects (a
    // CMD_SYNC's MSI) can reach software before its execution ends, so what
    // software did is matched against the commands that had started by then
    // (the trace player's `expect executed`).
    void add_start_observer(Observer o) { start_observers_.push_back(std::move(o)); }
    unsigned num_sources() const { return static_cast<unsigned>(sources_.size()); }
    // When the source's last outstanding ATC invalidation completes (a
    // CMD_SYNC of that source waits for it without holding the engine).
    sc_core::sc_time atc_done(unsigned src) const { return sources_[src].atc_done; }

    unsigned owner() const { return owner_; }
    static constexpr unsigned kNone = ~0u;

    StatGroup& stats() { return stats_; }

private:
    void arbitrate();  // SC_METHOD
    uint64_t cost(const smmuv3::Command& cmd) const;

    struct Source {
        std::string name;
        bool waiting = false;
        sc_core::sc_time atc_done;  // last outstanding ATC invalidation completes
        Counter* grants = nullptr;
    };
    Smmuv3& smmu_;
    std::vector<Source> sources_;
    unsigned owner_ = kNone;
    unsigned last_ = kNone;
    sc_core::sc_event arb_ev_;
    sc_core::sc_event grant_ev_;
    std::vector<Observer> observers_;
    std::vector<SpanObserver> span_observers_;
    std::vector<Observer> start_observers_;
    StatGroup stats_;
    Counter& executed_;
    Counter& busy_cycles_;
};

}  // namespace smmusim
