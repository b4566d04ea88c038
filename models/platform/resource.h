// SPDX-License-Identifier: GPL-2.0-only
// A timed resource: `slots` identical units that requesters (SystemC
// threads) acquire, occupy for some cycles and release, with a latency per
// arbitration and a round-robin policy. gem5's `<res>_slots` and `<res>_lat`
// parameters as one object: the SMMU's command engine is one today (one
// slot, a grant per batch of commands); TLB lookups, table walkers and ATS
// will be others.
//
// Contract
// - Requesters register once (add_requester) and are named by the index it
//   returns, at elaboration or while the simulation runs (a requester that
//   waits meanwhile keeps its place: records never move). A requester holds
//   at most one slot at a time.
// - acquire(r) blocks the calling SC_THREAD until r holds a slot.
// - Arbitration. Whenever a slot is free and someone waits, an arbitration
//   takes place `grant_cycles` later (one already due earlier stands): every
//   requester that asked by then competes. It gives the free slots to the
//   waiting requesters in round-robin order of their indices, starting
//   after the requester granted last (with none granted yet, at index 0).
//   So a grant always costs at least grant_cycles, even uncontended, and
//   grant_cycles = 0 grants one delta cycle after the request.
// - occupy(r, cycles): the holder r keeps its slot `cycles` longer (waits).
//   use(r) is one whole use as a pipeline stage reads it: acquire, occupy
//   for use_cycles, release.
// - release(r) frees r's slot; a requester holding none is ignored. The
//   slot can be granted again at the next arbitration (grant_cycles later).
//
// Statistics, registered in the owner's StatGroup (so reports walk them):
//   grants.<requester>  grants to each requester (its uses)
//   waits               grants that had to wait: no slot was free when
//                       asked, or an arbitration gave the free slots to others
//   wait_cycles         request to grant, summed (grant latency included)
//   held_cycles         grant to release, summed over the slots
//   queue_length        requesters waiting at each grant (the granted one
//                       included: 1 means nobody else wanted a slot)
//
// Host cost: an arbitration visits only the waiting requesters (a bitmap of
// them, scanned a 64-bit word at a time), never every registered one; the
// engine has a requester per command queue (129 with the CMDQV). A thread
// running ahead of the clock in a quiet window (quiet.h) may take an
// uncontended grant without the arbiter (acquire_at) and release at its
// own time (release_at): the same grant, times and statistics.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <systemc>

#include "clock.h"
#include "stats.h"

namespace smmusim {

class Resource {
public:
    struct Timing {
        unsigned slots = 1;
        uint64_t grant_cycles = 0;  // per arbitration
        uint64_t use_cycles = 0;    // occupancy of one use()
    };

    // `what` names the resource in the statistics' descriptions ("engine").
    // At least one slot (std::invalid_argument otherwise). Spawns its
    // arbiter, so it is built during elaboration or by a running process.
    Resource(const std::string& what, const ClockDomain& clk, const Timing& t, StatGroup& stats);

    unsigned add_requester(const std::string& name);
    unsigned num_requesters() const { return static_cast<unsigned>(reqs_.size()); }
    const std::string& requester_name(unsigned r) const { return reqs_[r].name; }

    // All block the calling SC_THREAD but release().
    void acquire(unsigned r);
    void occupy(unsigned r, uint64_t cycles);
    // The same from `lead` after now (the holder ran ahead of the clock in a
    // quiet window, quiet.h: it waits what it owes and the cycles at once).
    void occupy(unsigned r, uint64_t cycles, const sc_core::sc_time& lead);
    void use(unsigned r);
    void release(unsigned r);

    // acquire(r) asked at `at` (>= now) without waiting, when the grant is
    // certain and nothing else can run before it: a slot free, nobody
    // waiting, and the grant (grant_cycles after `at`) inside the quiet
    // window. Then r holds the slot from the grant, returned in `granted`,
    // which the caller owes the wait to; false (nothing done) otherwise.
    // `horizon` is the window's end as the caller knows it (quiet_until()
    // asked since it last waited or notified: a LocalTime's horizon()), so
    // the kernel is not asked again.
    bool acquire_at(unsigned r, const sc_core::sc_time& at, const sc_core::sc_time& horizon,
                    sc_core::sc_time& granted);
    // release(r) at `at` (>= now, inside the caller's quiet window); false
    // (nothing done) when someone waits for a slot: that needs the
    // arbiter, so the caller catches up with the clock and calls release().
    bool release_at(unsigned r, const sc_core::sc_time& at);

    bool holds(unsigned r) const { return reqs_[r].holding; }
    unsigned free_slots() const { return t_.slots - held_; }
    const Timing& timing() const { return t_; }

private:
    void arbitrate();  // SC_METHOD
    void ask(unsigned r, const sc_core::sc_time& at);
    void grant(unsigned r, const sc_core::sc_time& at);
    void set_waiting(unsigned r, bool w);
    // The first waiting requester in [from, end), or kNone.
    unsigned next_waiting(unsigned from, unsigned end) const;
    void schedule_arbitration() { arb_ev_.notify(clk_.cycles(t_.grant_cycles)); }

    struct Requester {
        std::string name;
        bool waiting = false;
        bool holding = false;
        bool waited = false;       // asked with every slot held
        uint64_t arbs_at_ask = 0;  // arbitrations_ when it asked: a later one passed it over
        sc_core::sc_time asked;
        sc_core::sc_time granted;
        Counter* grants = nullptr;
    };
    std::string what_;
    const ClockDomain& clk_;
    const Timing t_;
    StatGroup& stats_;
    std::deque<Requester> reqs_;  // a deque: acquire() holds a reference across registrations
    unsigned held_ = 0;
    static constexpr unsigned kNone = ~0u;
    unsigned last_ = kNone;  // granted last
    std::vector<uint64_t> waiting_bits_;  // bit r: requester r waits
    unsigned waiting_ = 0;                // how many wait
    uint64_t arbitrations_ = 0;           // arbitrations held so far
    sc_core::sc_event arb_ev_;
    sc_core::sc_event grant_ev_;
    Counter& waits_;
    Counter& wait_cycles_;
    Counter& held_cycles_;
    Histogram& queue_length_;
};

}  // namespace smmusim
