// SPDX-License-Identifier: GPL-2.0-only
// The timed resource of resource.h: arbitration, grants and statistics.
#include "resource.h"

#include <stdexcept>
#include <utility>

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
    waiting_bits_.resize((reqs_.size() + 63) / 64);
    return static_cast<unsigned>(reqs_.size() - 1);
}

void Resource::ask(unsigned r, const sc_core::sc_time& at)
{
    Requester& q = reqs_[r];
    set_waiting(r, true);
    q.asked = at;
    q.waited = held_ == t_.slots;
    q.arbs_at_ask = arbitrations_;
}

void Resource::acquire(unsigned r)
{
    ask(r, time_stamp());
    if (held_ < t_.slots)
        schedule_arbitration();
    while (!reqs_[r].holding)
        sc_core::wait(grant_ev_);
}

// What acquire() and the arbitration it schedules would do, when that
// arbitration finds r alone: nobody else can ask before it.
bool Resource::acquire_at(unsigned r, const sc_core::sc_time& at, const sc_core::sc_time& horizon,
                          sc_core::sc_time& granted)
{
    if (held_ >= t_.slots || waiting_ || t_.grant_cycles == 0)
        return false;
    granted = at + clk_.cycles(t_.grant_cycles);
    if (granted >= horizon)
        return false;
    // ask(r, at), then grant(r, granted) by an arbitration that finds r
    // alone, folded: r never shows as waiting (set and cleared again), it
    // did not wait (a slot was free, no arbitration passed it over), one
    // requester in the queue.
    Requester& q = reqs_[r];
    q.asked = at;
    q.waited = false;
    q.holding = true;
    q.granted = granted;
    held_++;
    last_ = r;
    (*q.grants)++;
    wait_cycles_ += clk_.to_cycles(granted - at);
    queue_length_.add(1);
    q.arbs_at_ask = arbitrations_++;
    return true;
}

bool Resource::release_at(unsigned r, const sc_core::sc_time& at)
{
    Requester& q = reqs_[r];
    if (waiting_ || !q.holding)
        return false;
    q.holding = false;
    held_--;
    held_cycles_ += clk_.to_cycles(at - q.granted);
    return true;
}

void Resource::occupy(unsigned r, uint64_t cycles)
{
    (void)r;  // the holder: its slot is what stays busy
    sc_core::wait(clk_.cycles(cycles));
}

void Resource::occupy(unsigned r, uint64_t cycles, const sc_core::sc_time& lead)
{
    (void)r;
    sc_core::wait(lead + clk_.cycles(cycles));
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
    held_cycles_ += clk_.to_cycles(time_stamp() - q.granted);
    if (waiting_)
        schedule_arbitration();
}

void Resource::set_waiting(unsigned r, bool w)
{
    Requester& q = reqs_[r];
    if (q.waiting == w)
        return;
    q.waiting = w;
    waiting_ += w ? 1 : -1;
    waiting_bits_[r / 64] ^= 1ull << (r % 64);
}

unsigned Resource::next_waiting(unsigned from, unsigned end) const
{
    for (unsigned w = from / 64; w * 64 < end; w++) {
        uint64_t bits = waiting_bits_[w];
        if (w == from / 64)
            bits &= ~0ull << (from % 64);
        if (bits) {
            const unsigned r = w * 64 + static_cast<unsigned>(__builtin_ctzll(bits));
            return r < end ? r : kNone;
        }
    }
    return kNone;
}

void Resource::grant(unsigned r, const sc_core::sc_time& at)
{
    Requester& q = reqs_[r];
    const size_t waiting = waiting_;  // the granted one included
    set_waiting(r, false);
    q.holding = true;
    q.granted = at;
    held_++;
    last_ = r;
    (*q.grants)++;
    // Waited: asked with every slot held, or still waiting when an earlier
    // arbitration gave the free slots to others.
    if (q.waited || arbitrations_ > q.arbs_at_ask)
        waits_++;
    wait_cycles_ += clk_.to_cycles(q.granted - q.asked);
    queue_length_.add(waiting);
}

void Resource::arbitrate()
{
    // Round robin from the one granted last: the waiting requesters after
    // it, then those up to it (each visited once).
    const unsigned n = num_requesters();
    const unsigned start = last_ == kNone ? 0 : (last_ + 1) % n;
    bool granted = false;
    for (const auto& [from, end] : {std::pair{start, n}, std::pair{0u, start}})
        for (unsigned r = next_waiting(from, end); r != kNone && held_ < t_.slots; r = next_waiting(r + 1, end)) {
            grant(r, time_stamp());
            granted = true;
        }
    arbitrations_++;
    if (granted)
        grant_ev_.notify();
}

}  // namespace smmusim
