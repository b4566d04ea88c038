// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn (the deferred thread)
#include "cmdq_consumer.h"

#include <algorithm>

#include "../platform/clock.h"
#include "../platform/quiet.h"
#include "decode_rules.h"
#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

CommandQueueConsumer::CommandQueueConsumer(sc_core::sc_module_name name, Smmuv3& smmu, Thread thread)
    : sc_module(name), smmu_(smmu), work_ev_("work"), restart_ev_("restart"), progress_ev_("progress"),
      stats_(this->name()),
      consumed_ctr_(stats_.counter("consumed", "commands consumed (CONS advanced past them)")),
      errors_(stats_.counter("errors", "command errors (illegal, not admitted, fetch abort)")),
      batches_(stats_.counter("batches", "read bursts")),
      fetch_aborts_(stats_.counter("fetch_aborts", "command reads that got a bus error")),
      stall_cycles_(stats_.counter("stall_cycles", "cycles spent waiting for the shared execution engine")),
      latency_(stats_.histogram("latency_cycles", "doorbell (PROD write) to CONS update, per command"))
{
    src_ = smmu_.engine().add_source(this->name());
    if (thread == Thread::AtConstruction) {
        SC_THREAD(run);
        has_thread_ = true;
    }
}

// The deferred thread. A thread made at construction would by now have run
// once at initialisation (can_consume() false: nothing owed, no effect) and
// be waiting on work_ev_, and nothing before the first restart() could
// have let it consume (enabled() is false until then: its wake-ups changed
// nothing). This one is made not to run at initialisation and statically
// sensitive to work_ev_, so the restart's kick() wakes it in the next delta
// cycle at the place in the kernel's runnable queue the waiting thread
// would have had (an event's trigger queues its one waiting thread
// alike, statically or dynamically sensitive), and it starts at run()'s
// top, which begins as that thread's return from wait(work_ev_) continues:
// with can_consume(). Its own waits are dynamic, which suspends the static
// sensitivity, so later kicks wake it exactly as before. It is spawned in
// the module's hierarchy: the same name, <queue>.run, whoever's process
// calls restart().
void CommandQueueConsumer::make_thread()
{
    has_thread_ = true;
    sc_core::sc_spawn_options opts;
    opts.dont_initialize();
    opts.set_sensitivity(&work_ev_);
    sc_core::sc_simcontext* const sim = sc_core::sc_get_curr_simcontext();
    sim->hierarchy_push(this);
    try {
        sc_core::sc_spawn([this] { run(); }, "run", &opts);
    } catch (...) {
        sim->hierarchy_pop();
        throw;
    }
    sim->hierarchy_pop();
}

void CommandQueueConsumer::prod_written(uint32_t old_prod, uint32_t new_prod)
{
    produced_ += geometry().used(new_prod, old_prod);
    doorbells_.push_back(Doorbell{produced_, time_stamp()});
    kick();
}

void CommandQueueConsumer::restart()
{
    if (!has_thread_)
        make_thread();
    epoch_++;  // whatever was fetched before belongs to the old queue
    restart_ev_.notify(sc_core::SC_ZERO_TIME);
    const QueueGeometry g = geometry();
    doorbells_.clear();
    consumed_ = 0;
    produced_ = g.used(prod(), cons());
    if (produced_)
        doorbells_.push_back(Doorbell{produced_, time_stamp()});
    kick();
}

// Whether the queue can consume now; `g`, `prod_ptr` and `cons_ptr` are
// what it read of the queue (valid when true: run() starts its burst with
// them, nothing running in between).
bool CommandQueueConsumer::can_consume(QueueGeometry& g, uint32_t& prod_ptr, uint32_t& cons_ptr) const
{
    if (!enabled() || halted() || !admitting())
        return false;
    g = geometry();
    prod_ptr = prod() & g.ptr_mask();
    cons_ptr = cons() & g.ptr_mask();
    return !g.empty(prod_ptr, cons_ptr);
}

void CommandQueueConsumer::note_consumed(const sc_core::sc_time& when)
{
    consumed_++;
    consumed_ctr_++;
    while (!doorbells_.empty() && doorbells_.front().total < consumed_)
        doorbells_.pop_front();
    if (!doorbells_.empty())
        latency_.add(smmu_.clock().to_cycles(when - doorbells_.front().when));
}

// note_consumed() for each of a quiet run's n commands in turn, the i-th
// completed end_cycles[i] cycles after `start`: the same samples in the
// same order, the doorbell at the front looked up again only when one is
// dropped, the counters added to once. A sample is the whole cycles from
// the doorbell to the completion, (start - when + end_cycles[i] cycles) /
// cycle: a doorbell's whole cycles to `start` plus end_cycles[i] exactly
// (whole cycles added to a time add as many whole cycles), one division a
// doorbell instead of one a command.
void CommandQueueConsumer::note_consumed_run(const sc_core::sc_time& start, const uint64_t* end_cycles, size_t n)
{
    const ClockDomain& clk = smmu_.clock();
    const uint64_t first = consumed_;
    consumed_ += n;
    consumed_ctr_ += n;
    for (size_t i = 0; i < n; i++) {
        const uint64_t total = first + i + 1;
        while (!doorbells_.empty() && doorbells_.front().total < total)
            doorbells_.pop_front();
        if (doorbells_.empty())
            return;  // no later command has a doorbell either
        const Doorbell& d = doorbells_.front();
        // The commands this doorbell produced, up to the run's end.
        const size_t last = std::min<uint64_t>(n, d.total - first);
        if (d.when <= start) {
            const uint64_t to_start = clk.to_cycles(start - d.when);
            for (; i < last; i++)
                latency_.add(to_start + end_cycles[i]);
        } else {  // a doorbell after the run's start (none is: its commands were fetched after it)
            for (; i < last; i++)
                latency_.add(clk.to_cycles(start + clk.cycles(end_cycles[i]) - d.when));
        }
        i--;
    }
}

// progress_ev_ is notified only while someone waits on it: a notification
// nobody waits for wakes nobody, and an unwatched queue may use quiet
// windows. A watcher that starts in the delta cycle of a progress it was not
// told of gets it as it would have (a delta notification made anywhere in
// the evaluation phase fires at its end).
void CommandQueueConsumer::note_progress(bool stopped)
{
    if (progress_watchers_ ||
        (cons_watched_ && (stopped || (cons() & geometry().ptr_mask()) == cons_target_))) {
        progress_ev_.notify(sc_core::SC_ZERO_TIME);
        return;
    }
    unnotified_ = true;
    unnotified_delta_ = sc_core::sc_delta_count();
}

void CommandQueueConsumer::watch_progress(bool on)
{
    if (!on) {
        progress_watchers_--;
        return;
    }
    if (progress_watchers_++ == 0 && unnotified_ && unnotified_delta_ == sc_core::sc_delta_count())
        progress_ev_.notify(sc_core::SC_ZERO_TIME);
}

void CommandQueueConsumer::watch_cons(uint32_t target)
{
    cons_watched_ = true;
    cons_target_ = target;
}

void CommandQueueConsumer::stop_on_error(uint32_t cons_ptr, uint8_t code)
{
    errors_++;
    set_cons(static_cast<uint32_t>(q::CONS_ERR.set(cons_ptr, code)));
    report_error(code);
    note_progress(true);
}

// Reads n commands at cons_ptr into buf_ (g: the queue's geometry, as
// run() just read it). False when the queue was disabled or re-initialised
// meanwhile (the burst is dropped) or the read aborted (reported).
bool CommandQueueConsumer::fetch_burst(const QueueGeometry& g, uint32_t cons_ptr, uint32_t n, uint64_t epoch)
{
    // The read writes all of it when it succeeds (and nothing reads it when
    // it does not): grown, never cleared first.
    if (buf_.size() < 2 * size_t(n))
        buf_.resize(2 * size_t(n));
    batches_++;
    sc_core::sc_time delay = time_.hand_over();  // issued where this thread is
    const bool fetched =
        fetch(base_pa() + uint64_t(g.idx(cons_ptr)) * kCmdBytes, buf_.data(), size_t(n) * kCmdBytes, delay);
    time_.take_back(delay);
    if (epoch_ != epoch || !enabled())
        return false;
    if (!fetched) {
        time_.catch_up();
        fetch_aborts_++;
        stop_on_error(cons_ptr, CERROR_ABT);
        return false;
    }
    return true;
}

// One decode step per command, each command admitted at the end of its own
// (the queue's admission may change meanwhile): taken without a wait when
// it ends inside a quiet window, else waited. Fills cmds_ with the admitted
// prefix; returns the error that ended it, or 0. The commands that fit the
// window are taken at once (decode_quiet_burst()), again after each command
// that waits: a command fits exactly when the burst from it takes at least
// one (a burst takes each command whose steps, at their most, end inside the
// window, from its own start), so the repeated bursts take the commands a
// per-command check of the window would. Every command is decoded in its
// place in cmds_ and dropped again unless admitted.
uint8_t CommandQueueConsumer::decode_each(uint32_t n, uint64_t epoch)
{
    const sc_core::sc_time step = smmu_.clock().cycles(smmu_.params().decode_cycles);
    // The quiet window's end is asked again only after a wait (LocalTime):
    // a quiet step notifies nothing (it runs no admission observer), so
    // nothing it does moves the window's end.
    const DecodeRuleTable& rules = smmu_.decode_rules();
    uint8_t error = 0;
    uint32_t i = 0;  // the commands decoded and admitted
    while (i < n && epoch_ == epoch) {
        uint32_t taken = 0;
        if (decode_quiet_burst(i, n, taken, error))
            return error;
        i += taken;
        if (taken)
            continue;  // the window ended inside the burst, or moved: asked again
        // Command i does not fit the window: its steps are waited. A
        // function of the fetched words and the ID registers only: the
        // decode is the same whether taken before or after the step's wait.
        Command& c = *cmds_.extend(1);
        const bool ok = decode_command_into(c, buf_[2 * i], buf_[2 * i + 1], rules);
        // The decode step alone may still end inside the window (the
        // admission's step after it would not): owed, and the admission's
        // step waits both (admission_step()).
        if (step == sc_core::SC_ZERO_TIME || admission_observed() || !time_.owe(step))
            time_.wait_owed_and(step);
        error = ok ? admit(c) : uint8_t{CERROR_ILL};
        i++;
        if (error)
            cmds_.truncate(cmds_.size() - 1);
        if (error == kHold)
            return 0;
        if (error)
            return error;
    }
    return error;
}

// The first k of commands [first, n) at once, for the largest k whose
// decode and admission steps, each at its most (decode_cycles +
// admit_cycles()), end inside the quiet window: a per-command check of the
// window would take each of them (the j-th ends by j times the most), with
// the same answers, quiet_decoded_ and cycles, and the thread owes their
// sum, added up in cycles and converted once. True when that ended the
// decode (a hold or an error, or every command taken); false with `taken`
// (0 to k) commands decoded and admitted: decode_each() goes on from there.
bool CommandQueueConsumer::decode_quiet_burst(uint32_t first, uint32_t n, uint32_t& taken, uint8_t& error)
{
    taken = 0;
    n -= first;  // the commands left
    const uint64_t cycles = smmu_.params().decode_cycles;
    if (cycles == 0 || n == 0 || admission_observed())
        return false;
    const ClockDomain& clk = smmu_.clock();
    const uint64_t most = cycles + admit_cycles();
    if (most < cycles)
        return false;
    // k × most cycles from now end strictly before the horizon: k × M < R
    // in ticks, M the ticks of `most` cycles (the largest time when they
    // do not fit a time: no k then). Such k × most cycles never pass the
    // end of simulated time (the horizon is at most there, and now at
    // least the kernel's time), so no bound by clk.cycles_left() is needed.
    const sc_core::sc_time from = time_.now();
    const sc_core::sc_time& horizon = time_.horizon();
    if (!(from < horizon))
        return false;
    const uint64_t room = (horizon - from).value() - 1;
    const uint64_t k = std::min<uint64_t>(n, room / clk.cycles(most).value());
    if (k == 0)
        return false;
    // Decoded first, up to the first illegal command, then admitted at
    // once (admit_now_burst()): a decode depends on the fetched words and
    // the ID registers only, and nothing admits or observes in between.
    // Each is decoded in its place in cmds_ (an illegal one is dropped
    // below with the refused ones).
    const size_t base = cmds_.size();
    Command* const out = cmds_.extend(k);
    const auto decoded =
        static_cast<uint32_t>(decode_commands_into(out, buf_.data() + 2 * size_t(first), k, smmu_.decode_rules()));
    uint64_t admitting = 0;
    uint8_t refused = 0;
    taken = decoded ? admit_now_burst(out, decoded, admitting, refused) : 0;
    // The command that ended it, if any: refused (held or an error), or
    // illegal; a held one is not counted decoded.
    error = taken < decoded ? refused : decoded < k ? uint8_t{CERROR_ILL} : uint8_t{0};
    const bool stopped = taken < k;
    cmds_.truncate(base + taken);
    quiet_decoded_ += taken;
    if (stopped && error != kHold)
        quiet_decoded_++;
    if (error == kHold)
        error = 0;
    time_.advance_to(time_.now() + clk.cycles((taken + (stopped ? 1 : 0)) * cycles + admitting));
    return stopped || k == n;
}

// The default: admit_now() command by command.
uint32_t CommandQueueConsumer::admit_now_burst(Command* cmds, uint32_t n, uint64_t& cycles, uint8_t& error)
{
    cycles = 0;
    error = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t c = 0;
        error = admit_now(cmds[i], c);
        cycles += c;
        if (error)
            return i;
    }
    return n;
}

// admit()'s own step of `t` (a guest VINTF's filter), after the command's
// decode step: owed when it ends inside the quiet window and nobody
// watches admissions (admit() checks the admission before and after it:
// nobody runs before the window's end to change it), else waited together
// with what the thread owes. A zero step stays a delta cycle of its own.
void CommandQueueConsumer::admission_step(const sc_core::sc_time& t)
{
    if (t == sc_core::SC_ZERO_TIME) {
        time_.catch_up();
        wait(t);
        return;
    }
    if (!admission_observed() && time_.owe(t))
        return;
    time_.wait_owed_and(t);
}

// The same result as decode_each() for a queue whose admission is fixed
// (admission_fixed()): every command decoded now, then one wait for the
// decode cycles of those decode_each() would have decoded.
// The burst is decoded in its place in cmds_ up to its first illegal
// command at once (a decode reads only the fetched words and the ID
// registers), then admitted in order; a command not admitted, and what
// follows it, is dropped again. `k`: the commands the per-command loop
// would have decoded (up to and including the one that ended it).
uint8_t CommandQueueConsumer::decode_burst(uint32_t n, uint64_t epoch)
{
    const size_t base = cmds_.size();
    Command* const out = cmds_.extend(n);
    const auto legal = static_cast<uint32_t>(decode_commands_into(out, buf_.data(), n, smmu_.decode_rules()));
    uint8_t error = 0;
    uint32_t k = 0;
    while (k < legal && !error)
        error = admit(out[k++]);
    if (error) {
        cmds_.truncate(base + k - 1);
        if (error == kHold)
            error = 0;
    } else if (legal < n) {
        cmds_.truncate(base + legal);
        error = CERROR_ILL;
        k = legal + 1;
    }
    wait_decoding(k, epoch);
    return error;
}

// Waits the decode cycles of k commands. A restart meanwhile ends the wait
// where the per-command loop would have stopped: at the end of the command
// being decoded when it happened (a restart exactly at the end of one
// command's decode lets the next one finish, as when the consumer's own
// wake-up ran first in that cycle).
void CommandQueueConsumer::wait_decoding(uint32_t k, uint64_t epoch)
{
    const ClockDomain& clk = smmu_.clock();
    const uint64_t d = smmu_.params().decode_cycles;
    if (d != 0 && time_.owe(clk.cycles(uint64_t(k) * d)))
        return;  // no restart can come meanwhile
    if (d == 0) {
        time_.catch_up();
        for (uint32_t i = 0; i < k && epoch_ == epoch; i++)
            wait(sc_core::SC_ZERO_TIME);
        return;
    }
    // The decode starts where this thread is (what it owes is part of the
    // first wait: nobody runs before then, so no restart comes before it).
    const sc_core::sc_time start = time_.now();
    const sc_core::sc_time end = start + clk.cycles(uint64_t(k) * d);
    (void)time_.hand_over();
    while (time_stamp() < end && epoch_ == epoch)
        wait(end - time_stamp(), restart_ev_);
    if (epoch_ == epoch || time_stamp() >= end)
        return;
    const uint64_t elapsed = clk.to_cycles(time_stamp() - start);
    wait(clk.cycles((elapsed / d + 1) * d - elapsed));
}

// CONS moves past the command at cons_ptr (a CMD_SYNC if `sync`): it has
// completed at `when`.
void CommandQueueConsumer::retire(const QueueGeometry& g, uint32_t& cons_ptr, const sc_core::sc_time& when,
                                  bool sync)
{
    const bool was_full = g.full(prod() & g.ptr_mask(), cons_ptr);
    cons_ptr = g.inc(cons_ptr);
    set_cons(static_cast<uint32_t>(q::CONS_ERR.set(cons_ptr, q::CONS_ERR.get(cons()))));
    note_consumed(when);
    note_progress();
    consumed(cons_ptr, was_full, sync);
}

// Executes one command, one wait (the per-command model). False when the
// burst ends here: the queue was disabled or re-initialised.
bool CommandQueueConsumer::execute_one(const Command& c, const QueueGeometry& g, uint32_t& cons_ptr, uint64_t epoch)
{
    CommandEngine& engine = smmu_.engine();
    if (c.op == OP_CMD_SYNC && engine.atc_done(source()) > time_.now()) {
        // The sync completes when this queue's ATC invalidations have:
        // wait for them off the engine, so other queues' commands run
        // meanwhile, then ask for it again (the engine's execute() expects
        // them done).
        time_.catch_up();
        engine.release(source());
        wait(engine.atc_done(source()) - time_stamp());
        engine.acquire(source());
        if (!enabled() || epoch_ != epoch)
            return false;
    }
    // CONS moves past the command when it has completed, before its
    // completion is signalled (CommandEngine::execute).
    bool retired = false;
    auto done = [&] {
        if (epoch_ != epoch)
            return;  // re-initialised meanwhile: the pointers are the new queue's
        retire(g, cons_ptr, time_stamp(), c.op == OP_CMD_SYNC);
        retired = true;
    };
    // The command starts where this thread is: what it owes becomes part
    // of the command's own wait when nothing watches the start (quiet.h:
    // nobody runs before it), else the thread catches up first.
    if (!engine.starts_unobserved())
        time_.catch_up();
    const sc_core::sc_time lead = time_.hand_over();
    executing_ = true;
    // A one-reference wrapper: std::function keeps it in place, with no heap
    // allocation a thread still waiting in execute() when the simulation ends
    // would leave behind.
    engine.execute(source(), c, [&done] { done(); }, lead);
    executing_ = false;
    if (!retired && !enabled())
        quiesced();  // disabled and re-initialised while it executed
    return retired;
}

// How many of cmds_ from `first` (CONS at cons_ptr) may execute without a
// wait of their own: each runs quietly on the engine and retires quietly,
// and the last ends before anything else can run (quiet.h).
size_t CommandQueueConsumer::quiet_run(size_t first, const QueueGeometry& g, uint32_t cons_ptr)
{
    if (progress_watchers_ || cons_observed())
        return 0;
    const ClockDomain& clk = smmu_.clock();
    const sc_core::sc_time start = time_.now();
    const sc_core::sc_time& horizon = time_.horizon();
    // No command ends before a horizon the thread has reached
    // (ends_before()): asked once, and the room left is taken once.
    if (!(start < horizon))
        return 0;
    const sc_core::sc_time room = horizon - start;
    const uint64_t left = clk.cycles_left();
    // Only the first command can retire from a full queue (PROD stays, CONS
    // moves on), and nothing consumes_quietly() reads changes during the
    // run: it is asked once, not per command. The run ends before the first
    // command after the first that would not retire quietly (none when
    // every retirement is quiet).
    const unsigned quiet = consumes_quietly();
    size_t most = cmds_.size() - first;
    if (quiet != (kQuietPlain | kQuietSync | kQuietFromFull)) {
        const unsigned first_kind = g.full(prod() & g.ptr_mask(), cons_ptr) ? kQuietFromFull
                                    : cmds_[first].op == OP_CMD_SYNC       ? kQuietSync
                                                                           : kQuietPlain;
        if (!(quiet & first_kind))
            return 0;
        if ((quiet & (kQuietPlain | kQuietSync)) != (kQuietPlain | kQuietSync))
            for (size_t i = 1; i < most; i++)
                if (!(quiet & (cmds_[first + i].op == OP_CMD_SYNC ? kQuietSync : kQuietPlain))) {
                    most = i;
                    break;
                }
    }
    // The command whose completion reaches a watch_cons() target wakes its
    // watcher: it does not run quietly, nor anything after it.
    if (cons_watched_) {
        uint32_t p = cons_ptr;
        for (size_t i = 0; i < most; i++) {
            p = g.inc(p);
            if (p == cons_target_) {
                most = i;
                break;
            }
        }
    }
    if (most == 0)
        return 0;
    // The engine asks its observers once and each command's cost and kind.
    return smmu_.engine().quiet_run_length(source(), &cmds_[first], most, left, room);
}

// A quiet run retires each command as retire() would, with its own
// completion time, once the engine has run them all (execute_run()), but
// for what quiet_run() found does nothing or nobody sees per command:
// consumed() does nothing for it (consumes_quietly(): a VCMDQ's SEV check
// and CONFIG read per command), the progress is noted once (nobody watches
// progress() and no command of the run reaches a watch_cons() target: each
// command's note_progress() would have noted unnotified progress in this
// same delta cycle), and CONS is written once, at the run's last command
// (nobody runs before the run ends, nobody observes the register's changes
// (cons_observed()), and the engine's invalidation targets and span
// observers do not read it: only the last value can be seen).
void CommandQueueConsumer::execute_quiet(size_t first, size_t n, const QueueGeometry& g, uint32_t& cons_ptr)
{
    quiet_executed_ += n;
    if (ends_.size() < n)
        ends_.resize(n);
    executing_ = true;
    const sc_core::sc_time start = time_.now();
    const sc_core::sc_time end = smmu_.engine().execute_run(source(), &cmds_[first], n, start, ends_.data());
    executing_ = false;
    cons_ptr = g.inc(cons_ptr, static_cast<uint32_t>(n));
    note_consumed_run(start, ends_.data(), n);
    set_cons(static_cast<uint32_t>(q::CONS_ERR.set(cons_ptr, q::CONS_ERR.get(cons()))));
    note_progress();
    time_.advance_to(end);
}

// Executes cmds_ on the shared engine, advancing cons_ptr and CONS past each
// as it completes; returns how many completed.
size_t CommandQueueConsumer::execute_burst(uint32_t& cons_ptr, uint64_t epoch)
{
    const QueueGeometry g = geometry();
    acquire_engine();
    size_t executed = 0;
    // After a quiet run the next command is one quiet_run() stopped at (it
    // would end the window, or is not quiet): nothing moved since, so it
    // is not asked again.
    bool ask_quiet = true;
    while (executed < cmds_.size()) {
        if (!enabled() || epoch_ != epoch)
            break;  // disabled mid-batch: stop before the next command
        if (ask_quiet) {
            if (const size_t n = quiet_run(executed, g, cons_ptr)) {
                execute_quiet(executed, n, g, cons_ptr);
                executed += n;
                ask_quiet = false;
                continue;
            }
        }
        ask_quiet = true;
        if (!execute_one(cmds_[executed], g, cons_ptr, epoch))
            break;
        executed++;
        if (!enabled())
            quiesced();
    }
    release_engine();
    return executed;
}

// The engine for this queue's burst: granted without the arbiter when that
// can be owed (Resource::acquire_at), else asked for and waited for.
void CommandQueueConsumer::acquire_engine()
{
    CommandEngine& engine = smmu_.engine();
    const sc_core::sc_time asked = time_.now();
    sc_core::sc_time granted;
    if (engine.acquire_at(source(), asked, time_.horizon(), granted)) {
        time_.advance_to(granted);
    } else {
        time_.catch_up();
        engine.acquire(source());
        granted = time_stamp();
    }
    stall_cycles_ += smmu_.clock().to_cycles(granted - asked);
}

void CommandQueueConsumer::release_engine()
{
    CommandEngine& engine = smmu_.engine();
    if (time_.owed() != sc_core::SC_ZERO_TIME && engine.release_at(source(), time_.now()))
        return;
    time_.catch_up();
    engine.release(source());
}

void CommandQueueConsumer::run()
{
    QueueGeometry g{};
    uint32_t prod_ptr = 0, cons_ptr = 0;
    for (;;) {
        if (!can_consume(g, prod_ptr, cons_ptr)) {
            time_.catch_up();  // nothing changed meanwhile: nobody else ran
            while (!can_consume(g, prod_ptr, cons_ptr))
                wait(work_ev_);
        }

        uint32_t n = g.contiguous(prod_ptr, cons_ptr);
        if (const uint32_t most = batch(); n > most)
            n = most;
        // A queue disabled (or disabled and re-initialised) while its batch
        // was fetched or decoded drops the batch: CONS is software's again.
        const uint64_t epoch = epoch_;
        if (!fetch_burst(g, cons_ptr, n, epoch))
            continue;
        cmds_.clear();
        const uint8_t error = admission_fixed() ? decode_burst(n, epoch) : decode_each(n, epoch);
        if (epoch_ != epoch)
            continue;
        const size_t executed = cmds_.empty() ? 0 : execute_burst(cons_ptr, epoch);
        if (error && executed == cmds_.size() && enabled() && epoch_ == epoch) {
            time_.catch_up();
            stop_on_error(cons_ptr, error);
        }
    }
}

}  // namespace smmusim
