// SPDX-License-Identifier: GPL-2.0-only
// SetAssoc's invalidation by key (set_assoc.h): an invalidation naming a key
// visits that key's entries only, however full the cache, and the per-key
// lists stay true across fills, replacements, LRU evictions that change a
// line's key, and removals.
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/translation/set_assoc.h"

using namespace smmusim::smmuv3;

namespace {

struct Entry {
    uint64_t addr = 0;
    uint64_t key = 0;
};

struct Rig {
    CacheStats stats{"test.setassoc"};
    SetAssoc<Entry> cache{"test.setassoc", CacheGeometry{64, 4}, stats};
    void fill(uint64_t addr, uint64_t key)
    {
        cache.insert(addr % cache.sets(), Entry{addr, key}, [&](const Entry& o) { return o.addr == addr; }, key);
    }
    // key -> addresses held, from a walk of every line.
    std::map<uint64_t, std::set<uint64_t>> held() const
    {
        std::map<uint64_t, std::set<uint64_t>> m;
        cache.for_each([&](const Entry& e) { m[e.key].insert(e.addr); });
        return m;
    }
};

}  // namespace

TEST(SetAssocByKey, AnInvalidationVisitsOnlyItsKeysEntries)
{
    Rig r;
    for (uint64_t a = 0; a < 60; a++)
        r.fill(a, a % 6 == 0 ? 7 : 1);  // 10 entries of key 7, 50 of key 1
    size_t visited = 0;
    const size_t removed = r.cache.erase_if_key(
        7, [&](const Entry&) { return ++visited % 2 == 0; }, [](const Entry&) {});
    EXPECT_EQ(visited, 10u);  // not the 60 lines held, nor the 64 of the cache
    EXPECT_EQ(removed, 5u);
    EXPECT_EQ(r.cache.size(), 55u);
    EXPECT_EQ(r.held()[7].size(), 5u);
    EXPECT_EQ(r.held()[1].size(), 50u);
    visited = 0;
    EXPECT_EQ(r.cache.erase_if_key(
                  3, [&](const Entry&) { return ++visited > 0; }, [](const Entry&) {}),
              0u);
    EXPECT_EQ(visited, 0u);  // a key with no entries costs nothing
}

TEST(SetAssocByKey, ListsFollowReplacementsEvictionsAndRemovals)
{
    // Fill far more than the cache holds with keys that change as lines are
    // evicted; after each step erase_if_key(k, everything) must remove
    // exactly the entries of key k that a walk of every line finds.
    Rig r;
    uint64_t seed = 1;
    for (int step = 0; step < 2000; step++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        const uint64_t addr = (seed >> 33) % 200, key = (seed >> 17) % 5;
        r.fill(addr, key);
        if (step % 97 == 0) {
            const size_t want = r.held()[key].size();
            std::set<uint64_t> seen;
            EXPECT_EQ(r.cache.erase_if_key(
                          key, [&](const Entry& e) { return seen.insert(e.addr).second && e.key == key; },
                          [](const Entry&) {}),
                      want)
                << step;
            EXPECT_EQ(r.held().count(key) ? r.held()[key].size() : 0u, 0u) << step;
        }
    }
    const size_t before = r.cache.size();
    size_t total = 0;
    for (uint64_t k = 0; k < 5; k++)
        total += r.cache.erase_if_key(k, [](const Entry&) { return true; }, [](const Entry&) {});
    EXPECT_EQ(total, before);  // every valid line is on its key's list
    EXPECT_EQ(r.cache.size(), 0u);
    EXPECT_TRUE(r.held().empty());
}

TEST(SetIndex, APowerOfTwoOfSetsTakesTheRemainderByAMask)
{
    // set_index() masks a power-of-two count of sets instead of dividing:
    // every key must still fall in the set the remainder of its mix names
    // (the mix written out again here), so no cache's placement moves.
    auto mix = [](uint64_t a, uint64_t b) {
        uint64_t x = a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull);
        x ^= x >> 31;
        x *= 0xbf58476d1ce4e5b9ull;
        return x ^ (x >> 29);
    };
    uint64_t a = 1, b = 0;
    for (uint64_t sets : {1ull, 2ull, 4ull, 64ull, 512ull, 1ull << 40, 3ull, 6ull, 100ull, 1000ull}) {
        for (int i = 0; i < 1000; i++) {
            a = a * 6364136223846793005ull + 1442695040888963407ull;  // keys of every magnitude
            b = (b << 7 | b >> 57) ^ a;
            const uint64_t set = set_index(a >> (i % 64), b, sets);
            ASSERT_EQ(set, mix(a >> (i % 64), b) % sets) << "sets " << sets;
            ASSERT_LT(set, sets);
        }
    }
}
