// SPDX-License-Identifier: GPL-2.0-only
// A thread's local time inside a quiet window (quiet.h), in the loosely-timed
// style of TLM-2.0: the calling SC_THREAD takes its timed steps without
// waiting while they end strictly before anything else can run, keeps how
// far it has run ahead of the kernel's clock (`owed`), and pays it with one
// wait (or hands it to a b_transport as the access's annotated delay,
// bus_access.h, and to its own initiator the same way). A step that would
// reach the window's horizon is taken as without windows: the thread first
// catches up with the clock (waits what it owes), then waits the step. So
// every step's effect lands at the step's own simulated time, and whoever
// runs next finds what the step-by-step model would have left.
//
// Used by the translation pipeline (models/smmuv3/translation/
// translation_unit.cc, on the local time the SMMU's upstream.cc took the
// access's annotated delay into): slot grants, cache lookups, walk steps
// and table reads of one transaction with one wait, or none when the
// memory access that follows returns its completion time to the
// requester; by the DMA requester (dma_requester.h, carry()); and by the
// command-queue consumers (models/smmuv3/cmdq_consumer.h): a burst's fetch,
// decode, engine grant and quiet commands with one wait.
//
// The horizon (quiet_until()) and the kernel's time are asked of the kernel
// once, each when first needed (now() needs no horizon), and kept until
// the thread waits, catches up or hands its time over to an access: while
// it runs without waiting nobody else runs, and a step that could bring the
// horizon closer (notifying an event) is taken only after catch_up(), which
// forgets it, as hand_over() does (the access may wait or notify).
//
// Not here: deciding what a step may do early (it must notify no event and
// call no observer that reads the time before the thread caught up: the
// caller catches up first, e.g. before posting an event record), and
// resources (resource.h's acquire_at / release_at take the local time).
#pragma once

#include <systemc>

#include "kernel_time.h"
#include "quiet.h"

namespace smmusim {

class LocalTime {
public:
    // The calling thread's time: the kernel's plus what it owes.
    sc_core::sc_time now()
    {
        learn_stamp();
        return stamp_ + owed_;
    }
    const sc_core::sc_time& owed() const { return owed_; }

    // Owes `t` more if the thread then still ends strictly before the
    // window's horizon; false (nothing owed) otherwise.
    bool owe(const sc_core::sc_time& t)
    {
        if (!fits(t))
            return false;
        owed_ += t;
        return true;
    }
    // Whether `t` more of the thread's time would still end strictly
    // before the window's horizon (quiet.h's ends_before()).
    bool fits(const sc_core::sc_time& t)
    {
        learn();
        return ends_before(stamp_ + owed_, t, horizon_);
    }
    // The window's horizon (quiet_until(), asked once per stretch).
    const sc_core::sc_time& horizon()
    {
        learn();
        return horizon_;
    }
    // `t` of this thread's time passes: owed inside the window, else the
    // thread catches up and waits `t` (the step at its own time).
    void pass(const sc_core::sc_time& t)
    {
        if (t == sc_core::SC_ZERO_TIME || owe(t))
            return;
        catch_up();
        sc_core::wait(t);
    }
    // The thread's time moves on to `t` (>= now()), which the caller found
    // strictly before the window's horizon (as Resource::acquire_at does).
    void advance_to(const sc_core::sc_time& t)
    {
        learn_stamp();
        owed_ = t - stamp_;
    }
    // Owes `t` more without asking where the window ends, for a thread
    // that asks nothing of the window before it hands what it owes to an
    // access (whose target takes an access that arrives ahead of the clock
    // only inside the window and otherwise waits for its arrival first:
    // memory.h, the SMMU's upstream.cc) or to its caller, and that takes no
    // step of its own meanwhile (a DMA requester: dma_requester.h). Also
    // for what such an access returned: a target returns a delay only when
    // the access completes inside the window (bus_access.h).
    void carry(const sc_core::sc_time& t) { owed_ += t; }
    // Waits what the thread owes: its time is the kernel's again.
    void catch_up()
    {
        forget();
        if (owed_ == sc_core::SC_ZERO_TIME)
            return;
        const sc_core::sc_time t = owed_;
        owed_ = sc_core::SC_ZERO_TIME;
        sc_core::wait(t);
    }
    // What the thread owes and then `t` more, in one wait: nobody runs
    // before what is owed ends (quiet.h), so a wake-up there would see
    // nothing and change nothing anyone can see. For the step that would
    // end the window (pass() waits twice, one wake-up per step).
    void wait_owed_and(const sc_core::sc_time& t)
    {
        sc_core::wait(hand_over() + t);
    }
    // What the thread owes, handed over (to a b_transport's delay, or to
    // the caller that waits it): the thread owes nothing any more.
    sc_core::sc_time hand_over()
    {
        forget();  // the access may wait, or notify
        const sc_core::sc_time t = owed_;
        owed_ = sc_core::SC_ZERO_TIME;
        return t;
    }
    // The delay a b_transport returned (what its initiator still owes from
    // the kernel's time, bus_access.h), after hand_over() gave the access
    // what the thread owed: owed while inside the window, else waited.
    void take_back(const sc_core::sc_time& delay)
    {
        if (delay == sc_core::SC_ZERO_TIME)
            return;
        learn();
        if (ends_before(stamp_, delay, horizon_)) {
            owed_ = delay;
            return;
        }
        forget();
        sc_core::wait(delay);
    }

private:
    // The kernel's time and the window's horizon, each asked once per
    // stretch without a wait, and only when needed (now() needs no horizon).
    void learn_stamp()
    {
        if (stamp_known_)
            return;
        stamp_ = time_stamp();
        stamp_known_ = true;
    }
    void learn()
    {
        learn_stamp();
        if (horizon_known_)
            return;
        horizon_ = quiet_until();
        horizon_known_ = true;
    }
    void forget() { stamp_known_ = horizon_known_ = false; }

    sc_core::sc_time owed_;
    sc_core::sc_time stamp_, horizon_;  // sc_time_stamp() and quiet_until() when known
    bool stamp_known_ = false, horizon_known_ = false;
};

}  // namespace smmusim
