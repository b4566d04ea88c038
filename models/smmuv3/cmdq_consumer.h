// SPDX-License-Identifier: GPL-2.0-only
// The command-queue consumer pipeline shared by the SMMU's own command queue
// (cmdq.h) and the CMDQV's virtual command queues (models/cmdqv/vcmdq.h):
//
//   wait for work -> fetch up to batch() commands in one burst (never across
//   the ring's end) -> decode each (decode_cycles) and let the queue admit
//   it -> win the shared engine -> execute, advancing CONS per command ->
//   release the engine.
//
// Host cost: a queue whose admission cannot change while a burst is decoded
// (admission_fixed(): the SMMU CMDQ) decodes the whole burst at once and
// waits once for its summed decode cycles instead of once per command; the
// cycles are the same (a restart meanwhile still ends the burst at the end
// of the command then being decoded). When nothing else can run before a
// step ends (a quiet window, models/platform/quiet.h), the pipeline takes
// the step without waiting and runs ahead of the clock, owing the wait:
// the fetch (the memory returns its completion time, bus_access.h), the
// decode and admission of a burst (as many of its first commands at once
// as fit in the window with each one's steps at their most:
// decode_quiet_burst()), an uncontended engine grant and its release
// (Resource::acquire_at), and a run of quiet commands, each command's
// invalidation and statistics applied with the command's own times, CONS
// written once at the run's end (nobody can see it in between). It catches up with the clock (one wait for all it
// owes) before any step that cannot be taken so: waiting for work, a step
// that would end at or after the window's end, a per-command step. Nobody
// ran in between to see anything early. Otherwise (someone reads CONS,
// writes a register, translates, waits for progress(), watches the
// registers, or a command signals) the pipeline waits once per command per
// stage, as the per-command model does; the cycles and every value any
// process reads are the same either way (tests/cmdqv/quiet_window_test.cc
// compares the two).
//
// A command the queue holds back (admit() says kHold) ends the batch
// without an error: CONS stays at it until the queue admits again.
// The first command that fails to decode or is not admitted stops the
// batch: CONS points at it and the queue reports the error (CONS.ERR, its
// GERROR, interrupts) and halts until software acknowledges. A fetch that
// aborts does the same with the abort code. What the queue's registers are
// and how it reports errors is the subclass's business.
//
// A queue that cannot consume before its first restart() (a VCMDQ: only
// restart() makes enabled() true) may be made with its thread deferred
// (`Thread::OnFirstRestart`): the first restart() makes the thread, with
// waiting on the same event as the thread made at construction would be by
// then (host start-up: a CMDQV has 128 VCMDQs and a run uses few).
// Simulated time and process order are the same; see make_thread() in the
// .cc.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <systemc>

#include "../platform/local_time.h"
#include "../platform/stats.h"
#include "command_array.h"
#include "commands.h"
#include "queue.h"

namespace smmusim {
class Smmuv3;

class CommandQueueConsumer : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(CommandQueueConsumer);
    enum class Thread { AtConstruction, OnFirstRestart };
    CommandQueueConsumer(sc_core::sc_module_name name, Smmuv3& smmu, Thread thread = Thread::AtConstruction);

    // Register hooks.
    void prod_written(uint32_t old_prod, uint32_t new_prod);
    void restart();  // the queue was (re)enabled: PROD/CONS were initialised
    void kick() { work_ev_.notify(sc_core::SC_ZERO_TIME); }

    // Notified whenever CONS moves or the queue stops on an error, while a
    // process watches it: call watch_progress(true) before waiting on it and
    // watch_progress(false) after (an unwatched queue may take a quiet
    // window's commands with one wait; a notification in the current delta
    // cycle before watching began is still delivered).
    const sc_core::sc_event& progress() const { return progress_ev_; }
    void watch_progress(bool on);
    // For one process that needs to know only when CONS's index and wrap
    // reach `target` (or the queue stops on an error): progress() is
    // notified then and not at the moves before, which the queue may still
    // take in a quiet window; the command whose completion reaches `target`
    // runs on its own, so the notification comes at its cycle, as with
    // watch_progress(). (The trace player's `wait consumed`.) One at a time;
    // unwatch_cons() ends it.
    void watch_cons(uint32_t target);
    void unwatch_cons() { cons_watched_ = false; }
    // The consumer's thread exists (always, unless deferred to the first restart()).
    bool has_thread() const { return has_thread_; }
    // A command is executing on the engine right now.
    bool executing() const { return executing_; }
    unsigned source() const { return src_; }
    StatGroup& stats() { return stats_; }
    // Commands executed / decoded in quiet windows so far (tests; host
    // speed only, so not a statistic).
    uint64_t quiet_executed() const { return quiet_executed_; }
    uint64_t quiet_decoded() const { return quiet_decoded_; }

    // Errors are CONS.ERR codes (smmuv3::CError in smmuv3_regs.h; the
    // CMDQV adds its own in cmdqv_regs.h).
    // admit(): not now. The command stays in the queue (CONS points at it,
    // no error) until admitting() holds again and kick() is called.
    static constexpr uint8_t kHold = 0xff;

    virtual smmuv3::QueueGeometry geometry() const = 0;
    virtual uint64_t base_pa() const = 0;

protected:
    virtual uint32_t prod() const = 0;
    virtual uint32_t cons() const = 0;            // the register, ERR included
    virtual void set_cons(uint32_t value) = 0;    // the register, ERR included
    virtual bool enabled() const = 0;
    virtual bool halted() const = 0;              // an error awaits acknowledgement
    virtual uint32_t batch() const = 0;
    // A timed bus read issued `delay` ahead of now; leaves in `delay` what the
    // caller still owes (bus_access_timed, models/platform/bus_access.h).
    virtual bool fetch(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay) = 0;
    // 0 to execute the (possibly rewritten) command, kHold to leave it (and
    // what follows) in the queue for now, else its CONS.ERR code.
    virtual uint8_t admit(smmuv3::Command& cmd) { return 0; }
    // The queue may admit commands now (a VCMDQ whose VINTF's configuration
    // is changing may not: its commands wait in the queue).
    virtual bool admitting() const { return true; }
    // admit() takes no time and nothing can change its answer while a burst
    // is decoded: the burst may be decoded at once (see above).
    virtual bool admission_fixed() const { return false; }
    // admit() without its waits, for a quiet window: the same answer, with
    // the cycles admit() would have waited in `cycles`.
    virtual uint8_t admit_now(smmuv3::Command& cmd, uint64_t& cycles)
    {
        cycles = 0;
        return admit(cmd);
    }
    // admit_now() for cmds[0, n) in order, in a quiet burst (nobody observes
    // admissions and nothing can change them in between): returns how many
    // were admitted; the one after them, if any, got `error` (kHold or its
    // CONS.ERR code), else `error` is 0. `cycles`: the admission cycles of
    // those admitted and of the one that got `error`.
    virtual uint32_t admit_now_burst(smmuv3::Command* cmds, uint32_t n, uint64_t& cycles, uint8_t& error);
    // At least the most cycles admit() waits for one command now.
    virtual uint64_t admit_cycles() { return 0; }
    // For admit(): its own timed step (the thread's time passes `t`; see
    // the .cc), instead of a wait.
    void admission_step(const sc_core::sc_time& t);
    // Someone watches admissions as they happen (observers that may read the time).
    virtual bool admission_observed() const { return false; }
    // Someone watches the register bank that holds CONS (change observers).
    virtual bool cons_observed() const = 0;
    // The retirements consumed() would do nothing at all for (no SEV, no
    // memory write, no statistic), which a quiet run does not call it for:
    // kQuietPlain a command that is not a CMD_SYNC and kQuietSync a
    // CMD_SYNC, each from a queue that was not full; kQuietFromFull any
    // command from a full queue. Nothing it reads changes during a run.
    enum : unsigned { kQuietPlain = 1, kQuietSync = 2, kQuietFromFull = 4 };
    virtual unsigned consumes_quietly() const { return kQuietPlain | kQuietSync; }
    virtual void report_error(uint8_t code) = 0;
    // After CONS moved past a command; `was_full` if the queue was full
    // before, `sync` if the command was a CMD_SYNC.
    virtual void consumed(uint32_t new_cons, bool was_full, bool sync) {}
    // The queue was disabled while a command executed; that command has now
    // completed and nothing more will run.
    virtual void quiesced() {}

    Smmuv3& smmu_;

private:
    void run();  // SC_THREAD
    void make_thread();  // the deferred thread, at the first restart()
    // The stages of one burst of n commands at CONS (run() drives them).
    bool fetch_burst(const smmuv3::QueueGeometry& g, uint32_t cons_ptr, uint32_t n, uint64_t epoch);
    uint8_t decode_each(uint32_t n, uint64_t epoch);
    uint8_t decode_burst(uint32_t n, uint64_t epoch);
    void wait_decoding(uint32_t k, uint64_t epoch);
    bool decode_quiet_burst(uint32_t first, uint32_t n, uint32_t& taken, uint8_t& error);
    size_t execute_burst(uint32_t& cons_ptr, uint64_t epoch);
    bool execute_one(const smmuv3::Command& c, const smmuv3::QueueGeometry& g, uint32_t& cons_ptr, uint64_t epoch);
    size_t quiet_run(size_t first, const smmuv3::QueueGeometry& g, uint32_t cons_ptr);
    void execute_quiet(size_t first, size_t n, const smmuv3::QueueGeometry& g, uint32_t& cons_ptr);
    void retire(const smmuv3::QueueGeometry& g, uint32_t& cons_ptr, const sc_core::sc_time& when, bool sync);
    void acquire_engine();
    void release_engine();
    bool can_consume(smmuv3::QueueGeometry& g, uint32_t& prod_ptr, uint32_t& cons_ptr) const;
    void note_consumed(const sc_core::sc_time& when);
    void note_consumed_run(const sc_core::sc_time& start, const uint64_t* end_cycles, size_t n);
    void note_progress(bool stopped = false);
    void stop_on_error(uint32_t cons_ptr, uint8_t code);

    unsigned src_;
    bool has_thread_ = false;
    bool executing_ = false;
    uint64_t epoch_ = 0;  // restarts so far: a batch from an older epoch is stale
    LocalTime time_;  // this thread's time, ahead of the clock in a quiet window
    sc_core::sc_event work_ev_;
    sc_core::sc_event restart_ev_;  // epoch_ moved (ends a burst's decode wait)
    sc_core::sc_event progress_ev_;
    unsigned progress_watchers_ = 0;
    bool cons_watched_ = false;  // watch_cons()
    uint32_t cons_target_ = 0;
    uint64_t quiet_executed_ = 0;
    uint64_t quiet_decoded_ = 0;
    bool unnotified_ = false;          // progress in delta cycle unnotified_delta_ nobody watched
    uint64_t unnotified_delta_ = 0;

    struct Doorbell {
        uint64_t total;  // commands produced once this PROD write landed
        sc_core::sc_time when;
    };
    std::deque<Doorbell> doorbells_;
    uint64_t produced_ = 0;
    uint64_t consumed_ = 0;
    // Members, not locals: a SystemC thread still blocked when the
    // simulation ends never unwinds its stack.
    std::vector<uint64_t> buf_;          // the batch being fetched
    smmuv3::CommandArray cmds_;          // its admitted prefix
    std::vector<uint64_t> ends_;  // a quiet run's completions, in cycles from its start

    StatGroup stats_;
    Counter& consumed_ctr_;
    Counter& errors_;
    Counter& batches_;
    Counter& fetch_aborts_;
    Counter& stall_cycles_;
    Histogram& latency_;
};

}  // namespace smmusim
