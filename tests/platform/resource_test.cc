// SPDX-License-Identifier: GPL-2.0-only
// The timed resource (models/platform/resource.h) on its own: grant latency
// and occupancy probed one cycle before and at their end, round-robin order,
// several slots, and its registered statistics.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <systemc>
#include <sysc/kernel/sc_dynamic_processes.h>  // sc_spawn

#include "platform/resource.h"

using namespace smmusim;

namespace {

// A resource at 1 GHz (one cycle per ns) and threads that use it.
struct Rig {
    ClockDomain clk{"clk", 1000};
    StatGroup stats;
    Resource res;
    std::vector<std::string> grants;  // requester names in grant order

    explicit Rig(Resource::Timing t, const char* group = "rig") : stats(group), res("unit", clk, t, stats) {}

    uint64_t now() const { return clk.now(); }
    void at(uint64_t cycle, std::function<void()> fn)
    {
        sc_core::sc_spawn_options o;
        o.set_stack_size(1 << 20);
        sc_core::sc_spawn(
            [this, cycle, fn] {
                sc_core::wait(clk.cycles(cycle));
                fn();
            },
            sc_core::sc_gen_unique_name("t"), &o);
    }
    // r asks at `cycle`, holds for `hold` cycles and releases; `granted`
    // gets the cycle of its grant.
    void use_at(uint64_t cycle, unsigned r, uint64_t hold, uint64_t* granted = nullptr)
    {
        at(cycle, [this, r, hold, granted] {
            res.acquire(r);
            grants.push_back(res.requester_name(r));
            if (granted)
                *granted = now();
            res.occupy(r, hold);
            res.release(r);
        });
    }
    uint64_t value(const char* name) const { return stats.value(name); }
};

}  // namespace

TEST(Resource, AGrantTakesTheGrantLatencyEvenUncontended)
{
    Rig rig({1, 3, 0});
    const unsigned a = rig.res.add_requester("a");
    uint64_t granted = 0;
    bool held_before = true, held_at = false;
    rig.use_at(0, a, 5, &granted);
    rig.at(2, [&] { held_before = rig.res.holds(a); });  // 3 - 1 cycles: not yet
    rig.at(3, [&] {
        sc_core::wait(sc_core::SC_ZERO_TIME);  // after the grant's delta
        held_at = rig.res.holds(a);
    });
    sc_core::sc_start();
    EXPECT_EQ(granted, 3u);
    EXPECT_FALSE(held_before);
    EXPECT_TRUE(held_at);
    EXPECT_EQ(rig.now(), 8u);  // released after its 5 cycles
    EXPECT_EQ(rig.value("grants.a"), 1u);
    EXPECT_EQ(rig.value("waits"), 0u);
    EXPECT_EQ(rig.value("wait_cycles"), 3u);
    EXPECT_EQ(rig.value("held_cycles"), 5u);
}

TEST(Resource, AGrantLatencyOfZeroGrantsInTheSameCycle)
{
    Rig rig({1, 0, 0});
    const unsigned a = rig.res.add_requester("a");
    uint64_t granted = 99;
    rig.use_at(4, a, 1, &granted);
    sc_core::sc_start();
    EXPECT_EQ(granted, 4u);
}

TEST(Resource, OccupancyKeepsTheSlotUntilItsLastCycle)
{
    // b asks while a holds the slot for 5 cycles: b is granted grant_cycles
    // after a's release, and not a cycle earlier.
    Rig rig({1, 2, 0});
    const unsigned a = rig.res.add_requester("a"), b = rig.res.add_requester("b");
    uint64_t ga = 0, gb = 0;
    rig.use_at(0, a, 5, &ga);
    rig.use_at(3, b, 1, &gb);  // after a's grant at 2
    bool b_held_early = true;
    rig.at(8, [&] { b_held_early = rig.res.holds(b); });  // release at 7 + 2 - 1
    sc_core::sc_start();
    EXPECT_EQ(ga, 2u);
    EXPECT_EQ(gb, 9u);  // a releases at 7, the arbitration 2 cycles later
    EXPECT_FALSE(b_held_early);
    EXPECT_EQ(rig.value("waits"), 1u);             // b asked with the slot held
    EXPECT_EQ(rig.value("wait_cycles"), 2u + 6u);  // a: 0 -> 2, b: 3 -> 9
    EXPECT_EQ(rig.value("held_cycles"), 5u + 1u);
    const Histogram* q = rig.stats.find_histogram("queue_length");
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(q->count(), 2u);
    EXPECT_EQ(q->max(), 1u);  // b asked after a's grant: nobody competed
}

TEST(Resource, RequestersInsideTheArbitrationWindowCompete)
{
    // a asks at 0, so an arbitration is due at 4; c asks at 3, inside that
    // window, and wins it by index order (none granted yet: index 0 first).
    Rig rig({1, 4, 0});
    const unsigned c = rig.res.add_requester("c"), a = rig.res.add_requester("a");
    uint64_t gc = 0, ga = 0;
    rig.use_at(0, a, 2, &ga);
    rig.use_at(3, c, 2, &gc);
    sc_core::sc_start();
    EXPECT_EQ(gc, 4u);
    EXPECT_EQ(ga, 4u + 2u + 4u);  // after c's 2 cycles and another arbitration
    EXPECT_EQ(rig.grants, (std::vector<std::string>{"c", "a"}));
    EXPECT_EQ(rig.value("waits"), 1u);  // a was passed over
    const Histogram* q = rig.stats.find_histogram("queue_length");
    EXPECT_EQ(q->max(), 2u);
}

TEST(Resource, RoundRobinStartsAfterTheRequesterGrantedLast)
{
    Rig rig({1, 1, 0});
    const unsigned a = rig.res.add_requester("a"), c = rig.res.add_requester("c"), d = rig.res.add_requester("d");
    for (unsigned r : {d, a, c})  // asking order differs from the round robin's on purpose
        rig.at(0, [&rig, r] {
            for (int i = 0; i < 3; i++) {
                rig.res.acquire(r);
                rig.grants.push_back(rig.res.requester_name(r));
                rig.res.occupy(r, 10);
                rig.res.release(r);
            }
        });
    sc_core::sc_start();
    EXPECT_EQ(rig.grants, (std::vector<std::string>{"a", "c", "d", "a", "c", "d", "a", "c", "d"}));
    EXPECT_EQ(rig.now(), 9u * (1 + 10));
    EXPECT_EQ(rig.value("grants.c"), 3u);
    EXPECT_EQ(rig.value("held_cycles"), 90u);
}

TEST(Resource, SeveralSlotsAreGrantedInOneArbitration)
{
    // Two slots, three requesters at cycle 0: the arbitration at 1 fills
    // both slots; the third gets the first slot freed (at 1 + 4), one
    // arbitration later.
    Rig rig({2, 1, 4});
    const unsigned a = rig.res.add_requester("a"), b = rig.res.add_requester("b"), c = rig.res.add_requester("c");
    std::vector<uint64_t> done(3);
    for (unsigned r : {a, b, c})
        rig.at(0, [&rig, &done, r] {
            rig.res.use(r);
            done[r] = rig.now();
        });
    unsigned free_at_2 = 9;
    rig.at(2, [&] { free_at_2 = rig.res.free_slots(); });
    sc_core::sc_start();
    EXPECT_EQ(done, (std::vector<uint64_t>{5, 5, 10}));
    EXPECT_EQ(free_at_2, 0u);
    EXPECT_EQ(rig.res.free_slots(), 2u);
    EXPECT_EQ(rig.value("waits"), 1u);
    EXPECT_EQ(rig.value("held_cycles"), 12u);
}

TEST(Resource, ReleaseWithoutHoldingIsIgnored)
{
    Rig rig({1, 1, 0});
    const unsigned a = rig.res.add_requester("a"), b = rig.res.add_requester("b");
    uint64_t gb = 0;
    rig.use_at(0, a, 6);
    rig.at(3, [&] { rig.res.release(b); });  // b holds nothing: a keeps the slot
    rig.use_at(2, b, 1, &gb);
    sc_core::sc_start();
    EXPECT_EQ(gb, 1u + 6u + 1u);
}

TEST(Resource, StatisticsAreRegisteredWithUnitsAndDescriptions)
{
    Rig rig({1, 1, 0}, "rig.unit");
    rig.res.add_requester("q0");
    std::vector<std::string> names;
    StatRegistry::global().for_each([&](const StatInfo& i) {
        if (i.name.rfind("rig.unit.", 0) != 0)
            return;
        names.push_back(i.name.substr(9) + ":" + i.unit);
        EXPECT_FALSE(i.description.empty()) << i.name;
    });
    EXPECT_EQ(names, (std::vector<std::string>{"grants.q0:count", "held_cycles:cycles", "queue_length:requesters",
                                               "wait_cycles:cycles", "waits:count"}));
}

TEST(Resource, AResourceWithoutSlotsIsRefused)
{
    ClockDomain clk{"clk", 1000};
    StatGroup stats("rig.none");
    EXPECT_THROW(Resource("unit", clk, Resource::Timing{0, 1, 0}, stats), std::invalid_argument);
}

TEST(Resource, ARequesterMayRegisterWhileAnotherWaits)
{
    // The translation unit registers each DMA master's thread at its first
    // transaction, while others may already wait for a slot.
    Rig rig({1, 1, 0});
    const unsigned a = rig.res.add_requester("a");
    const unsigned b = rig.res.add_requester("b");
    uint64_t granted_a = 0, granted_b = 0;
    rig.use_at(0, a, 4, &granted_a);  // holds cycles 1..5
    rig.use_at(2, b, 1, &granted_b);  // waits in acquire()
    rig.at(3, [&] {
        for (int i = 0; i < 64; i++)  // what b waits on must not move
            rig.res.add_requester("r" + std::to_string(i));
    });
    sc_core::sc_start();
    EXPECT_EQ(granted_a, 1u);
    EXPECT_EQ(granted_b, 6u);  // a releases at 5, the next arbitration is a cycle later
    EXPECT_EQ(rig.grants, (std::vector<std::string>{"a", "b"}));
}

TEST(Resource, AGrantTakenAheadOfTheClockIsTheArbitersGrant)
{
    // The same uses twice: `arb` grants a through its arbiter, `ahead` by
    // acquire_at / release_at as a thread running ahead of the clock takes
    // it (translation_unit.cc). Then b and c compete; the round robin
    // starts after the requester granted last (a), so b goes first, not c
    // (index 0). Every statistic of the two is the same.
    Rig arb({1, 2, 0}, "arb"), ahead({1, 2, 0}, "ahead");
    std::vector<std::string> order[2];
    Rig* rigs[2] = {&arb, &ahead};
    for (int i = 0; i < 2; i++) {
        Rig& rig = *rigs[i];
        const unsigned c = rig.res.add_requester("c"), a = rig.res.add_requester("a"),
                       b = rig.res.add_requester("b");
        rig.at(0, [&rig, a, i] {
            if (i == 0) {
                rig.res.acquire(a);
                rig.res.occupy(a, 4);
                rig.res.release(a);
                return;
            }
            sc_core::sc_time granted;
            ASSERT_TRUE(rig.res.acquire_at(a, sc_core::sc_time_stamp(), sc_core::sc_max_time(), granted));
            EXPECT_EQ(rig.clk.to_cycles(granted), 2u);
            const sc_core::sc_time end = granted + rig.clk.cycles(4);
            ASSERT_TRUE(rig.res.release_at(a, end));
            sc_core::wait(end - sc_core::sc_time_stamp());
        });
        for (unsigned r : {c, b})
            rig.at(7, [&rig, &order, i, r] {
                rig.res.acquire(r);
                order[i].push_back(rig.res.requester_name(r));
                rig.res.occupy(r, 1);
                rig.res.release(r);
            });
    }
    sc_core::sc_start();
    EXPECT_EQ(order[0], (std::vector<std::string>{"b", "c"}));
    EXPECT_EQ(order[1], order[0]);
    for (const char* name : {"grants.a", "grants.b", "grants.c", "waits", "wait_cycles", "held_cycles"})
        EXPECT_EQ(ahead.value(name), arb.value(name)) << name;
    // a 2; b 2; c from 7 to 12 (b's grant at 9, its cycle, the next grant)
    EXPECT_EQ(arb.value("wait_cycles"), 2u + 2u + 5u);
    EXPECT_EQ(arb.value("waits"), 1u);  // c
    EXPECT_EQ(ahead.stats.find_histogram("queue_length")->summary_json(),
              arb.stats.find_histogram("queue_length")->summary_json());
}
