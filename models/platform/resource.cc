// SPDX-License-Identifier: GPL-2.0-only
// The timed resource of resource.h: arbitration, grants and statistics.
#include "resource.h"

#include <stdexcept>

#include <sysc/kernel/sc_dynamic_processes.h>  // sc_spawn

namespace smmusim {

Resource::Resource(const std::string& what, const ClockDomain& clk, const Timing& t, StatGroup& stats)
    : what_(what), clk_(clk), t_(t), stats_(stats),
      waits_(stats.counter("waits", what + " grants that waited for a slot held by or given to another requester")),
      wait_cycles_(stats.counter("wait_cycles", "cycles from asking for the " + what + " to its grant, summed")),
      held_cycles_(stats.counter("held_cycles", "cycles the " + what + "'s slots were held, summed over slots")),
      queue_length_(stats.histogram("queue_length", "requesters waiting for the " + what + " at each grant",
                                    "requesters"))
{
    if (t.slots == 0)
        throw std::invalid_argument("resource " + what + ": no slots");
    sc_core::sc_spawn_options opts;
    opts.spawn_method();
    opts.set_sensitivity(&arb_ev_);
    opts.dont_initialize();
    sc_core::sc_spawn([this] { arbitrate(); }, sc_core::sc_gen_unique_name("arbiter"), &opts);
}

unsigned Resource::add_requester(const std::string& name)
{
    Requester r;
    r.name = name;
    r.grants = &stats_.counter("grants." + name, what_ + " grants to " + name);
    reqs_.push_back(std::move(r));
    return static_cast<unsigned>(reqs_.size() - 1);
}

void Resource::acquire(unsigned r)
{
    Requester& q = reqs_[r];
    q.waiting = true;
    q.asked = sc_core::sc_time_stamp();
    q.waited = held_ == t_.slots;
    if (held_ < t_.slots)
        schedule_arbitration();
    while (!q.holding)
        sc_core::wait(grant_ev_);
}

void Resource::occupy(unsigned r, uint64_t cycles)
{
    (void)r;  // the holder: its slot is what stays busy
    sc_core::wait(clk_.cycles(cycles));
}

void Resource::use(unsigned r)
{
    acquire(r);
    occupy(r, t_.use_cycles);
    release(r);
}

void Resource::release(unsigned r)
{
    Requester& q = reqs_[r];
    if (!q.holding)
        return;
    q.holding = false;
    held_--;
    held_cycles_ += clk_.to_cycles(sc_core::sc_time_stamp() - q.granted);
    if (anyone_waiting())
        schedule_arbitration();
}

bool Resource::anyone_waiting() const
{
    for (const Requester& q : reqs_)
        if (q.waiting)
            return true;
    return false;
}

void Resource::grant(unsigned r, size_t waiting)
{
    Requester& q = reqs_[r];
    q.waiting = false;
    q.holding = true;
    q.granted = sc_core::sc_time_stamp();
    held_++;
    last_ = r;
    (*q.grants)++;
    if (q.waited)
        waits_++;
    wait_cycles_ += clk_.to_cycles(q.granted - q.asked);
    queue_length_.add(waiting);
}

void Resource::arbitrate()
{
    const unsigned n = num_requesters();
    const unsigned after = last_;  // round robin from the one granted last
    bool granted = false;
    for (unsigned i = 1; i <= n && held_ < t_.slots; i++) {
        const unsigned cand = (after == kNone ? i - 1 : after + i) % n;
        if (!reqs_[cand].waiting)
            continue;
        size_t waiting = 0;
        for (const Requester& q : reqs_)
            waiting += q.waiting;
        grant(cand, waiting);
        granted = true;
    }
    for (Requester& q : reqs_)
        q.waited |= q.waiting;  // passed over: every free slot went to others
    if (granted)
        grant_ev_.notify();
}

}  // namespace smmusim
