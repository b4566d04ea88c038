// SPDX-License-Identifier: GPL-2.0-only
// A quiet window: the simulated time before which no SystemC process but the
// caller can run. When the calling thread is the only one runnable, with no
// delta notification or channel update pending, nothing else wakes before
// the earliest pending timed notification: no other process can see or
// change anything until then. Inside such a window a model may take several
// of its own steps with one wait for their summed time, applying each step's
// effects at the end with the step's own time (statistics, spans): whoever
// runs next finds the state the step-by-step model would have left, and
// nothing ran in between to see the difference. The command pipelines use
// it (models/smmuv3/cmdq_consumer.h) to fetch, decode, win the engine for
// and execute bursts with one wait instead of one per command per stage;
// the memory (memory.h) to take an access at once and return its
// completion time; a Resource (resource.h) to grant an uncontended slot
// without its arbiter. A thread running ahead so owes the kernel one wait
// for all its steps, and takes it before anything it cannot take so.
//
// The window ends strictly before the horizon: at the horizon another
// process wakes as well, and which of two processes woken at one time runs
// first is the kernel's choice, not reproduced here, so steps ending at or
// after it are taken one wait at a time as before.
//
// Not here: what a step may do inside a window (it must notify no event
// someone waits on, call no observer that reads the time, and take no time
// of its own beyond what the caller summed) — the caller checks that.
// Caveat: sc_start(duration) stops at its limit whatever is pending; a run
// stopped there (a test's or the kernel shim's hang limit) may find a
// window's steps not yet applied. Runs that end from a process (sc_stop,
// sc_pause, starvation) see nothing of it.
#pragma once

#include <systemc>

namespace smmusim {

// Whether models use quiet windows (on unless a test compares the models
// with and without them: the simulated results must be the same).
inline bool& quiet_windows()
{
    static bool on = true;
    return on;
}

// The absolute time before which only the calling process runs; the
// current time when anything else is pending now (no window), or when
// quiet windows are off. It is now + sc_time_to_pending_activity(), which
// libsystemc computes as the earliest timed notification (sc_max_time()
// when none) less now, or zero with activity pending now; asked of the
// simulation context directly, without the subtraction and the two library
// calls of sc_time_stamp() that it and the sum would make.
inline sc_core::sc_time quiet_until()
{
    const sc_core::sc_simcontext* ctx = sc_core::sc_get_curr_simcontext();
    if (!quiet_windows() || ctx->pending_activity_at_current_time())
        return ctx->time_stamp();
    sc_core::sc_time next = ctx->max_time();
    ctx->next_time(next);  // left at max_time() when nothing is pending
    return next;
}

// Whether `busy` of the caller's time from `from` (its local time: the
// kernel's, or ahead of it inside the window) ends strictly before
// `horizon` (quiet_until(), asked since the caller last waited or
// notified): only then may the caller take it without a wait. Written as
// a difference, so a horizon of sc_max_time() (nothing pending) does not
// overflow.
inline bool ends_before(const sc_core::sc_time& from, const sc_core::sc_time& busy, const sc_core::sc_time& horizon)
{
    return from < horizon && busy < horizon - from;
}

}  // namespace smmusim
