// SPDX-License-Identifier: GPL-2.0-only
// The walk cache (models/smmuv3/translation/walk_cache.h): the deepest
// cached table descriptor for an address, tags, LRU, and for every TLBI
// command (IHI 0070 4.4) exactly which table entries survive it — by tag,
// by VA/IPA with Leaf = 0 (removed) and Leaf = 1 (kept), TTL ignored.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "cache_scopes.h"
#include "smmuv3/translation/walk_cache.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::test;
using Ids = std::vector<uint64_t>;

namespace {

constexpr uint64_t k1G = 1ull << 30, k2M = 1ull << 21, k512G = 1ull << 39;

WalkTag s1(uint16_t vmid, uint16_t asid) { return {Regime::Nh, WalkStage::S1, vmid, asid}; }
WalkTag s2(uint16_t vmid) { return {Regime::Nh, WalkStage::S2, vmid, 0}; }
WalkTag el2() { return {Regime::El2, WalkStage::S1, 0, 0}; }
WalkTag e2h(uint16_t asid) { return {Regime::El2E2h, WalkStage::S1, 0, asid}; }

// A 4 KiB-granule table descriptor at `level` covering `base`; its table
// address is its id (the tests' name for it).
WalkEntry table(uint64_t id, WalkTag tag, unsigned level, uint64_t base)
{
    const uint64_t size = level == 0 ? k512G : level == 1 ? k1G : k2M;
    return WalkEntry{tag, Granule::k4K, level, base & ~(size - 1), size, id, 0};
}

uint64_t id_of(const WalkEntry& e) { return e.table; }

Ids survivors(const std::vector<WalkEntry>& fill, const InvalidationScope& s)
{
    WalkCache wc("t.walkcache", CacheGeometry{128, 128});
    for (const WalkEntry& e : fill)
        wc.insert(e);
    EXPECT_EQ(wc.size(), fill.size());
    wc.invalidate(s);
    EXPECT_EQ(wc.stats().invalidated.value(), fill.size() - wc.size());
    return ids(wc, id_of);
}

// Levels 0..2 of one VA in context (VMID 1, ASID 5), a level-2 one 2 MiB
// further, and one entry in each other context.
std::vector<WalkEntry> fill()
{
    return {table(1, s1(1, 5), 0, 0x40000000),  table(2, s1(1, 5), 1, 0x40000000), table(3, s1(1, 5), 2, 0x40000000),
            table(4, s1(1, 5), 2, 0x40200000),  table(5, s1(1, 6), 2, 0x40000000), table(6, s1(2, 5), 2, 0x40000000),
            table(7, s2(1), 2, 0x40000000),     table(8, s2(2), 2, 0x40000000),    table(9, el2(), 2, 0x40000000),
            table(10, e2h(5), 2, 0x40000000)};
}

struct Case {
    const char* test;
    const char* command;
    Fields fields;
    Ids kept;
};

// gtest prints a row by its name (ctest shows it in the test's name).
void PrintTo(const Case& c, std::ostream* os) { *os << c.command << " (" << c.test << ")"; }

class WalkCacheTlbi : public ::testing::TestWithParam<Case> {};

Fields va(uint64_t addr, uint64_t leaf, Fields more = {{"vmid", 1}, {"asid", 5}})
{
    more.push_back({"addr", addr});
    more.push_back({"leaf", leaf});
    return more;
}

}  // namespace

TEST_P(WalkCacheTlbi, RemovesExactlyItsScope)
{
    const Case& c = GetParam();
    EXPECT_EQ(survivors(fill(), scope(c.command, c.fields)), c.kept);
}

INSTANTIATE_TEST_SUITE_P(
    WalkCache, WalkCacheTlbi,
    ::testing::Values(
        Case{"NH_ALL", "TLBI_NH_ALL", {{"vmid", 1}}, {6, 7, 8, 9, 10}},
        Case{"NH_ASID", "TLBI_NH_ASID", {{"vmid", 1}, {"asid", 5}}, {5, 6, 7, 8, 9, 10}},
        // Leaf = 0: every level above the leaf holding the VA; the neighbour 2 MiB on stays.
        Case{"NH_VA_leaf0", "TLBI_NH_VA", va(0x40001000, 0), {4, 5, 6, 7, 8, 9, 10}},
        // Leaf = 1: table entries are not leaves, all stay.
        Case{"NH_VA_leaf1", "TLBI_NH_VA", va(0x40001000, 1), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        // A range reaching into the next 2 MiB: both level-2 entries go.
        Case{"NH_VA_range", "TLBI_NH_VA",
             {{"vmid", 1}, {"asid", 5}, {"addr", 0x401ff000}, {"tg", 1}, {"num", 1}},
             {5, 6, 7, 8, 9, 10}},
        // TTL names the leaf's level; the tables above it are in scope anyway.
        Case{"NH_VA_ttl", "TLBI_NH_VA",
             {{"vmid", 1}, {"asid", 5}, {"addr", 0x40001000}, {"tg", 1}, {"ttl", 3}},
             {4, 5, 6, 7, 8, 9, 10}},
        Case{"NH_VAA_leaf0", "TLBI_NH_VAA", va(0x40001000, 0, {{"vmid", 1}}), {4, 6, 7, 8, 9, 10}},
        Case{"NH_VAA_leaf1", "TLBI_NH_VAA", va(0x40001000, 1, {{"vmid", 1}}), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        Case{"EL2_ALL", "TLBI_EL2_ALL", {}, {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"EL2_ASID", "TLBI_EL2_ASID", {{"asid", 5}}, {1, 2, 3, 4, 5, 6, 7, 8, 9}},
        Case{"EL2_VA", "TLBI_EL2_VA", va(0x40001000, 0, {{"asid", 6}}), {1, 2, 3, 4, 5, 6, 7, 8, 10}},
        Case{"EL2_VAA", "TLBI_EL2_VAA", va(0x40001000, 0, {}), {1, 2, 3, 4, 5, 6, 7, 8}},
        Case{"S12_VMALL", "TLBI_S12_VMALL", {{"vmid", 1}}, {6, 8, 9, 10}},
        Case{"S2_IPA_leaf0", "TLBI_S2_IPA", va(0x40001000, 0, {{"vmid", 1}}), {1, 2, 3, 4, 5, 6, 8, 9, 10}},
        Case{"S2_IPA_leaf1", "TLBI_S2_IPA", va(0x40001000, 1, {{"vmid", 1}}), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        Case{"S2_IPA_elsewhere", "TLBI_S2_IPA", va(0x80000000, 0, {{"vmid", 1}}), {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        Case{"NSNH_ALL", "TLBI_NSNH_ALL", {}, {9, 10}},
        Case{"CFGI_ALL", "CFGI_ALL", {}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}),
    [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.test); });

TEST(WalkCache, LookupReturnsTheDeepestLevelOfTheTag)
{
    WalkCache wc("t.walkcache", CacheGeometry{64, 8});
    for (const WalkEntry& e : fill())
        wc.insert(e);
    const auto hit = [&](WalkTag key, uint64_t addr, Granule g = Granule::k4K) {
        const WalkEntry* e = wc.lookup(key, g, addr);
        return e ? e->table : 0;
    };
    EXPECT_EQ(hit(s1(1, 5), 0x40001000), 3u);  // level 2 beats levels 1 and 0
    EXPECT_EQ(hit(s1(1, 5), 0x40201000), 4u);
    EXPECT_EQ(hit(s1(1, 5), 0x40401000), 2u);  // only level 1 covers it
    EXPECT_EQ(hit(s1(1, 5), 0x80000000), 1u);  // only level 0
    EXPECT_EQ(hit(s1(1, 7), 0x40001000), 0u);  // no entry of ASID 7: walk cache entries are never global
    EXPECT_EQ(hit(s2(1), 0x40001000), 7u);
    EXPECT_EQ(hit(WalkTag{Regime::El2, WalkStage::S1, 3, 3}, 0x40001000), 9u);  // EL2: no VMID, no ASID
    EXPECT_EQ(hit(s1(1, 5), 0x40001000, Granule::k64K), 0u);  // another granule
    EXPECT_EQ(wc.stats().lookups.value(), 8u);
    EXPECT_EQ(wc.stats().hits.value(), 6u);
    EXPECT_EQ(wc.stats().misses.value(), 2u);
}

TEST(WalkCache, LeastRecentlyUsedIsEvicted)
{
    WalkCache wc("t.walkcache", CacheGeometry{2, 2});
    wc.insert(table(1, s1(1, 5), 2, 0x0));
    wc.insert(table(2, s1(1, 5), 2, k2M));
    ASSERT_NE(wc.lookup(s1(1, 5), Granule::k4K, 0x1000), nullptr);
    wc.insert(table(3, s1(1, 5), 2, 2 * k2M));
    EXPECT_EQ(ids(wc, id_of), (Ids{1, 3}));
    EXPECT_EQ(wc.stats().evictions.value(), 1u);
}

TEST(WalkCache, GeometryAndRangeChecks)
{
    EXPECT_THROW(WalkCache("t.walkcache", CacheGeometry{6, 4}), ConfigError);
    WalkCache wc("t.walkcache2", CacheGeometry{4, 4});
    WalkEntry bad = table(1, s1(1, 5), 2, 0);
    bad.base = 0x1000;
    EXPECT_THROW(wc.insert(bad), std::logic_error);
}

namespace {

// The reference: which table entries a TLBI removes, command by command,
// read from its raw fields (IHI 0070 4.4), apart from walk_tlbi_covers().
bool reference_removes(const RawTlbi& c, const WalkEntry& e)
{
    const WalkTag& t = e.tag;
    const bool nh = t.regime == Regime::Nh, stage1 = t.stage == WalkStage::S1, vmid = t.vmid == c.vmid;
    const bool va = !c.leaf && c.meets(e.base, e.size);  // TTL does not matter to table entries
    if (c.name == "TLBI_NH_ALL") return nh && stage1 && vmid;
    if (c.name == "TLBI_NH_ASID") return nh && stage1 && vmid && t.asid == c.asid;
    if (c.name == "TLBI_NH_VA") return nh && stage1 && vmid && t.asid == c.asid && va;
    if (c.name == "TLBI_NH_VAA") return nh && stage1 && vmid && va;
    if (c.name == "TLBI_EL2_ALL") return !nh;
    if (c.name == "TLBI_EL2_ASID") return t.regime == Regime::El2E2h && t.asid == c.asid;
    if (c.name == "TLBI_EL2_VA") return !nh && (t.regime == Regime::El2 || t.asid == c.asid) && va;
    if (c.name == "TLBI_EL2_VAA") return !nh && va;
    if (c.name == "TLBI_S12_VMALL") return nh && vmid;
    if (c.name == "TLBI_S2_IPA") return nh && !stage1 && vmid && va;
    if (c.name == "TLBI_NSNH_ALL") return nh;
    ADD_FAILURE() << "no reference for " << c.name;
    return false;
}

WalkEntry random_table(std::mt19937_64& rng, uint64_t id)
{
    const unsigned kind = static_cast<unsigned>(rng() % 4);  // S1, S2, El2, El2E2h
    WalkTag tag;
    tag.regime = kind == 2 ? Regime::El2 : kind == 3 ? Regime::El2E2h : Regime::Nh;
    tag.stage = kind == 1 ? WalkStage::S2 : WalkStage::S1;
    tag.vmid = kind < 2 ? static_cast<uint16_t>(rng() % 3) : 0;
    tag.asid = kind == 0 || kind == 3 ? static_cast<uint16_t>(rng() % 3) : 0;
    return table(id, tag, static_cast<unsigned>(rng() % 3), rng() % (1ull << 31));
}

}  // namespace

TEST(WalkCache, RandomisedAgainstReference)
{
    std::mt19937_64 rng(0x5eed34);
    WalkCache wc("t.walkcache", CacheGeometry{4096, 4096});
    std::vector<WalkEntry> ref;
    uint64_t next_id = 1, removed = 0;
    for (int round = 0; round < 400; round++) {
        for (int i = 0; i < 8; i++) {
            const WalkEntry e = random_table(rng, next_id++);
            wc.insert(e);
            ref.erase(std::remove_if(ref.begin(), ref.end(),
                                     [&](const WalkEntry& o) {
                                         return o.base == e.base && o.size == e.size && o.tag.regime == e.tag.regime &&
                                                o.tag.stage == e.tag.stage && o.tag.vmid == e.tag.vmid &&
                                                o.tag.asid == e.tag.asid;
                                     }),
                      ref.end());
            ref.push_back(e);
        }
        const RawTlbi c = random_tlbi(rng);
        wc.invalidate(scope(c.name, c.fields()));
        const size_t before = ref.size();
        ref.erase(std::remove_if(ref.begin(), ref.end(), [&](const WalkEntry& e) { return reference_removes(c, e); }),
                  ref.end());
        removed += before - ref.size();
        Ids want;
        for (const WalkEntry& e : ref)
            want.push_back(e.table);
        std::sort(want.begin(), want.end());
        ASSERT_EQ(ids(wc, id_of), want) << "round " << round << ": " << c.name << " leaf " << c.leaf;
    }
    EXPECT_EQ(wc.stats().evictions.value(), 0u);
    EXPECT_GT(removed, 500u);
    EXPECT_GT(ref.size(), 50u);
}
