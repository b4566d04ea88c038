// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's command-execution engine: one pipeline, shared by the SMMU's own
// command queue and every CMDQV virtual command queue. A queue acquires the
// engine for a batch of commands, executes them one at a time and releases
// it.
//
// The engine is a one-slot timed resource (models/platform/resource.h):
// round robin among the sources waiting at the moment of arbitration,
// starting after the last source served; an arbitration takes
// smmu.exec.arb_cycles and happens whenever the engine is free and someone
// waits, so every requester that asks during that window competes. A grant
// covers at most one batch (the requester's own limit: smmu.cmdq.batch for
// the SMMU CMDQ, CMDQ_MAX_CMD_BATCH for a VCMDQ), which bounds what any queue
// can make the others wait.
//
// Execution costs one parameter per command class (smmuv3_params.h), for
// which the command occupies the engine. ATC invalidations are split-phase:
// issuing costs atc_inv_cycles, completion arrives atc_complete_cycles
// later (atc_done()); the queue holds a CMD_SYNC until the completions of
// its source's ATC invalidations have arrived (cmdq_consumer.h).
// Each invalidation command's decoded scope goes to every
// InvalidationTarget (invalidation.h) as the command completes.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

#include "../platform/resource.h"
#include "../platform/stats.h"
#include "commands.h"
#include "invalidation.h"

namespace smmusim {
class Smmuv3;

class CommandEngine {
public:
    CommandEngine(Smmuv3& smmu);

    // Registers a requester (a command queue); returns its id.
    unsigned add_source(const std::string& name);
    const std::string& source_name(unsigned src) const { return slot_.requester_name(src); }

    // Both block the calling SC_THREAD.
    void acquire(unsigned src) { slot_.acquire(src); }
    void release(unsigned src) { slot_.release(src); }

    // Executes one decoded, legal command on behalf of `src`, which must hold
    // the engine (and, for a CMD_SYNC, have waited for atc_done(src)).
    // `retire` (the queue's CONS advance) runs once the command has
    // completed and before its completion is signalled: a CMD_SYNC's MSI,
    // wired IRQ or SEV never becomes visible before the CMD_SYNC is seen
    // consumed in CONS (IHI 0070, "Interrupts and notifications": new
    // information is visible before the notification of it; Linux's
    // MSI-polled CMD_SYNC takes CONS past the sync when the MSI lands). A
    // CMD_SYNC whose MSI write aborts still completes (MSI_CMDQ_ABT_ERR), as
    // the architecture says.
    // `lead`: the command starts that long after now (a queue running ahead
    // of the clock in a quiet window: nobody runs before then), which is
    // only allowed while starts_unobserved().
    void execute(unsigned src, const smmuv3::Command& cmd, const std::function<void()>& retire = {},
                 const sc_core::sc_time& lead = sc_core::SC_ZERO_TIME);
    // No start observer reads the time a command starts.
    bool starts_unobserved() const { return start_observers_.empty(); }

    // Host cost: a queue that holds the engine in a quiet window
    // (models/platform/quiet.h) may execute several commands with one wait,
    // and take and give back an uncontended engine without the arbiter.
    // quiet_run_length(): how many of cmds[0, n), executed back to back by
    // `src` from where it is, run quietly: each signals nothing and waits
    // for nothing (no ATC invalidation, no PRI/stall response, no CMD_SYNC
    // that signals or must wait for ATC completions), costs at least one
    // cycle and at most `left`, and the run so far ends strictly within
    // `room`; none when an observer that reads the time is registered
    // (start observers, observers; span observers are told the times),
    // asked once for the run.
    size_t quiet_run_length(unsigned src, const smmuv3::Command* cmds, size_t n, uint64_t left,
                            const sc_core::sc_time& room) const;
    // Cycles the command occupies the engine: the parameters are fixed when
    // the SMMU is built, so they are read into a table by class once.
    uint64_t cost(const smmuv3::Command& cmd) const { return cost_[size_t(cmd.cls)]; }
    // Executes cmds[0, n) back to back from `start` (>= now), each exactly as
    // execute() would, without waiting, and writes in end_cycles[i] the
    // cycles from `start` to command i's completion (the sum of the costs
    // of commands 0 to i: command i completed at start + that many cycles):
    // the caller retires them afterwards (nobody runs before the last one
    // ends, and span observers, told each command as it completes, do not
    // read the queues' registers or statistics). For commands
    // quiet_run_length() accepted (their times do not saturate). Returns
    // when the last one completed; the caller owes the wait until then.
    sc_core::sc_time execute_run(unsigned src, const smmuv3::Command* cmds, size_t n, const sc_core::sc_time& start,
                                 uint64_t* end_cycles);
    // Resource::acquire_at / release_at on the engine's slot (`horizon`:
    // the caller's quiet window's end, its LocalTime's).
    bool acquire_at(unsigned src, const sc_core::sc_time& at, const sc_core::sc_time& horizon,
                    sc_core::sc_time& granted)
    {
        return slot_.acquire_at(src, at, horizon, granted);
    }
    bool release_at(unsigned src, const sc_core::sc_time& at) { return slot_.release_at(src, at); }

    // The caches the commands invalidate (invalidation.h); not owned. A
    // scope goes to the targets of its kind (InvalidationTarget::kinds()),
    // in the order they were added.
    void add_invalidation_target(smmuv3::InvalidationTarget& t);
    // An endpoint's ATC while its ATS is disabled, or gone (ats_endpoint.h).
    void remove_invalidation_target(smmuv3::InvalidationTarget& t);

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
    unsigned num_sources() const { return slot_.num_requesters(); }
    // When the source's last outstanding ATC invalidation completes (a
    // CMD_SYNC of that source waits for it without holding the engine).
    sc_core::sc_time atc_done(unsigned src) const { return atc_done_[src]; }

    StatGroup& stats() { return stats_; }

private:
    void note_atc_issued(unsigned src);
    void signal_sync(const smmuv3::Command& cmd);
    void invalidate(const smmuv3::Command& cmd);

    Smmuv3& smmu_;
    StatGroup stats_;
    Resource slot_;
    static constexpr size_t kClasses = size_t(smmuv3::CmdClass::Sync) + 1;
    std::array<uint64_t, kClasses> cost_;  // by CmdClass
    std::vector<sc_core::sc_time> atc_done_;  // per source: its last outstanding ATC invalidation completes
    std::array<std::vector<smmuv3::InvalidationTarget*>, smmuv3::kScopeKinds> targets_;  // by scope kind
    std::vector<Observer> observers_;
    std::vector<SpanObserver> span_observers_;
    std::vector<Observer> start_observers_;
    smmuv3::InvalidationScope scope_;  // the executing command's (invalidate())
    Counter& executed_;
    Counter& busy_cycles_;
};

}  // namespace smmusim
