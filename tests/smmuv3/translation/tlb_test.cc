// SPDX-License-Identifier: GPL-2.0-only
// The TLB (models/smmuv3/translation/tlb.h): lookups across sizes and tags,
// LRU replacement, geometry checks, and for every TLBI command (IHI 0070
// 4.4) exactly which entries survive it; then a randomised comparison with
// a reference rule written separately from the model's.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "cache_scopes.h"
#include "platform/params.h"
#include "smmuv3/translation/tlb.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::test;
using Ids = std::vector<uint64_t>;

namespace {

constexpr uint64_t k4K = 0x1000, k16K = 0x4000, k2M = 0x200000;

TlbTag nh(uint16_t vmid, uint16_t asid, bool global = false) { return {Regime::Nh, TlbStage::S1, vmid, asid, global}; }
TlbTag s2(uint16_t vmid) { return {Regime::Nh, TlbStage::S2, vmid, 0, false}; }
TlbTag s12(uint16_t vmid, uint16_t asid, bool global = false) { return {Regime::Nh, TlbStage::S12, vmid, asid, global}; }
TlbTag el2() { return {Regime::El2, TlbStage::S1, 0, 0, true}; }
TlbTag e2h(uint16_t asid, bool global = false) { return {Regime::El2E2h, TlbStage::S1, 0, asid, global}; }

// An entry whose output address is its id (the tests' name for it).
TlbEntry entry(uint64_t id, TlbTag tag, uint64_t base, uint64_t size = k4K, unsigned level = 3,
               Granule g = Granule::k4K)
{
    TlbEntry e;
    e.tag = tag;
    e.result.oa = id;
    e.result.page_base_in = base;
    e.result.page_size = size;
    e.result.level = level;
    e.s1.granule = e.s2.granule = g;
    e.s1.level = e.s2.level = level;
    return e;
}

uint64_t id_of(const TlbEntry& e) { return e.result.oa; }

Ids survivors(const std::vector<TlbEntry>& fill, const InvalidationScope& s)
{
    Tlb tlb("t.tlb", CacheGeometry{256, 256});
    for (const TlbEntry& e : fill)
        tlb.insert(e);
    EXPECT_EQ(tlb.size(), fill.size());
    tlb.invalidate(s);
    EXPECT_EQ(tlb.stats().invalidated.value(), fill.size() - tlb.size());
    return ids(tlb, id_of);
}

// One 4 KiB page in each context: the tag tests.
std::vector<TlbEntry> contexts()
{
    return {entry(1, nh(1, 5), 0x10000),        entry(2, nh(1, 5, true), 0x11000), entry(3, nh(1, 6), 0x12000),
            entry(4, nh(2, 5), 0x13000),        entry(5, s2(1), 0x14000),          entry(6, s12(1, 5), 0x15000),
            entry(7, el2(), 0x16000),           entry(8, e2h(5), 0x17000),         entry(9, e2h(6, true), 0x18000),
            entry(10, s2(2), 0x19000),          entry(11, nh(0, 5), 0x1a000)};
}

struct TagCase {
    const char* test;
    const char* command;
    Fields fields;
    Ids kept;
};

// gtest prints a row by its name (ctest shows it in the test's name).
void PrintTo(const TagCase& c, std::ostream* os) { *os << c.command << " (" << c.test << ")"; }

class TlbiByTag : public ::testing::TestWithParam<TagCase> {};

}  // namespace

TEST_P(TlbiByTag, RemovesExactlyItsScope)
{
    const TagCase& c = GetParam();
    EXPECT_EQ(survivors(contexts(), scope(c.command, c.fields)), c.kept);
}

INSTANTIATE_TEST_SUITE_P(
    Tlb, TlbiByTag,
    ::testing::Values(
        // NH_ALL: stage 1 and combined of the VMID, global too; stage 2, other VMIDs, EL2 stay.
        TagCase{"NH_ALL", "TLBI_NH_ALL", {{"vmid", 1}}, {4, 5, 7, 8, 9, 10, 11}},
        // NH_ASID: the ASID's non-global entries of the VMID.
        TagCase{"NH_ASID", "TLBI_NH_ASID", {{"vmid", 1}, {"asid", 5}}, {2, 3, 4, 5, 7, 8, 9, 10, 11}},
        TagCase{"NH_ASID_vmid0", "TLBI_NH_ASID", {{"vmid", 0}, {"asid", 5}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
        // NH_VA: the ASID's entry, or a global one, holding the VA.
        TagCase{"NH_VA", "TLBI_NH_VA", {{"vmid", 1}, {"asid", 5}, {"addr", 0x10000}}, {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"NH_VA_global", "TLBI_NH_VA", {{"vmid", 1}, {"asid", 7}, {"addr", 0x11000}},
                {1, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"NH_VA_other_asid", "TLBI_NH_VA", {{"vmid", 1}, {"asid", 5}, {"addr", 0x12000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"NH_VA_combined", "TLBI_NH_VA", {{"vmid", 1}, {"asid", 5}, {"addr", 0x15000}},
                {1, 2, 3, 4, 5, 7, 8, 9, 10, 11}},
        // NH_VA does not reach a stage-2-only entry at the same address.
        TagCase{"NH_VA_not_s2", "TLBI_NH_VA", {{"vmid", 1}, {"asid", 0}, {"addr", 0x14000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        // NH_VAA: every ASID's entry holding the VA.
        TagCase{"NH_VAA", "TLBI_NH_VAA", {{"vmid", 1}, {"addr", 0x12000}}, {1, 2, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"NH_VAA_other_vmid", "TLBI_NH_VAA", {{"vmid", 1}, {"addr", 0x13000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        // EL2: both EL2 regimes, no Nh entry.
        TagCase{"EL2_ALL", "TLBI_EL2_ALL", {}, {1, 2, 3, 4, 5, 6, 10, 11}},
        // EL2_ASID: E2H entries of the ASID; EL2 (no ASID) and global ones stay.
        TagCase{"EL2_ASID", "TLBI_EL2_ASID", {{"asid", 5}}, {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}},
        TagCase{"EL2_VA_no_asid", "TLBI_EL2_VA", {{"asid", 6}, {"addr", 0x16000}}, {1, 2, 3, 4, 5, 6, 8, 9, 10, 11}},
        TagCase{"EL2_VA_other_asid", "TLBI_EL2_VA", {{"asid", 6}, {"addr", 0x17000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"EL2_VA_global", "TLBI_EL2_VA", {{"asid", 5}, {"addr", 0x18000}}, {1, 2, 3, 4, 5, 6, 7, 8, 10, 11}},
        TagCase{"EL2_VAA", "TLBI_EL2_VAA", {{"addr", 0x17000}}, {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}},
        // EL2_VA never reaches an Nh entry at the VA.
        TagCase{"EL2_VAA_not_nh", "TLBI_EL2_VAA", {{"addr", 0x10000}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        // S12_VMALL: every entry of the VMID, both stages.
        TagCase{"S12_VMALL", "TLBI_S12_VMALL", {{"vmid", 1}}, {4, 7, 8, 9, 10, 11}},
        // S2_IPA: the stage-2-only entry; the combined entry at the same address stays (not required).
        TagCase{"S2_IPA", "TLBI_S2_IPA", {{"vmid", 1}, {"addr", 0x14000}}, {1, 2, 3, 4, 6, 7, 8, 9, 10, 11}},
        TagCase{"S2_IPA_keeps_combined", "TLBI_S2_IPA", {{"vmid", 1}, {"addr", 0x15000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"S2_IPA_other_vmid", "TLBI_S2_IPA", {{"vmid", 2}, {"addr", 0x14000}},
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        // NSNH_ALL: every Nh entry; EL2 stays.
        TagCase{"NSNH_ALL", "TLBI_NSNH_ALL", {}, {7, 8, 9}},
        // Other kinds reach no TLB entry.
        TagCase{"CFGI_ALL", "CFGI_ALL", {}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"CFGI_STE", "CFGI_STE", {{"sid", 1}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"CFGI_CD_ALL", "CFGI_CD_ALL", {{"sid", 1}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
        TagCase{"ATC_INV", "ATC_INV", {{"sid", 1}, {"size", 52}}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}),
    [](const ::testing::TestParamInfo<TagCase>& i) { return std::string(i.param.test); });

namespace {

// Pages 0x200000, 0x201000, 0x203000, 0x204000 and a 2 MiB block at 0x200000
// (all VMID 1, ASID 5), a block elsewhere, and a 16 KiB-granule page.
std::vector<TlbEntry> ranged()
{
    return {entry(1, nh(1, 5), 0x200000), entry(2, nh(1, 5), 0x201000), entry(3, nh(1, 5), 0x203000),
            entry(4, nh(1, 5), 0x204000), entry(5, nh(1, 5), 0x400000, k2M, 2), entry(6, nh(1, 5), 0x200000, k2M, 2),
            entry(7, nh(1, 5), 0x800000, k16K, 3, Granule::k16K)};
}

Fields range(uint64_t addr, uint64_t tg, uint64_t num, uint64_t scale, uint64_t ttl = 0, uint64_t leaf = 0)
{
    return {{"vmid", 1}, {"asid", 5}, {"addr", addr}, {"tg", tg}, {"num", num}, {"scale", scale}, {"ttl", ttl},
            {"leaf", leaf}};
}

}  // namespace

TEST(Tlb, RangeStartingInsideABlockRemovesTheBlockAndThePagesInRange)
{
    // TG = 4K, NUM = 2, SCALE = 0: three pages from 0x201000, [0x201000, 0x204000).
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x201000, 1, 2, 0))), (Ids{1, 4, 5, 7}));
    // SCALE = 1, NUM = 1: four pages from 0x1ff000 reach 0x200000..0x202fff.
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x1ff000, 1, 1, 1))), (Ids{3, 4, 5, 7}));
}

TEST(Tlb, LeafChangesNothingForLeafEntries)
{
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x201000, 1, 2, 0, 0, 1))), (Ids{1, 4, 5, 7}));
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", {{"vmid", 1}, {"asid", 5}, {"addr", 0x203000}, {"leaf", 1}})),
              (Ids{1, 2, 4, 5, 7}));
}

TEST(Tlb, TtlHintKeepsLeavesOfOtherLevels)
{
    // [0x200000, 0x204000) at level 3: the pages go, the block (level 2) stays.
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x200000, 1, 3, 0, 3))), (Ids{4, 5, 6, 7}));
    // The same range at level 2: only the block goes.
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x200000, 1, 3, 0, 2))), (Ids{1, 2, 3, 4, 5, 7}));
    // No hint: both.
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x200000, 1, 3, 0, 0))), (Ids{4, 5, 7}));
    // 16K granule: TTL = 1 names no level (no IDR5.DS), so it is no hint; TTL = 2 keeps the level-3 page.
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x800000, 2, 1, 0, 1))), (Ids{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(survivors(ranged(), scope("TLBI_NH_VA", range(0x800000, 2, 1, 0, 2))), (Ids{1, 2, 3, 4, 5, 6, 7}));
}

TEST(Tlb, CombinedEntryIsInvalidatedByItsStage1Leaf)
{
    // A 2 MiB stage-1 block split by a 4 KiB stage-2 page: the entry covers
    // 0x203000 only, but any VA of the stage-1 block reaches it.
    TlbEntry split = entry(1, s12(1, 5), 0x203000);
    split.s1 = LeafRange{Granule::k4K, 2, 0x200000, k2M};
    split.s2 = LeafRange{Granule::k4K, 3, 0x80003000, k4K};
    const std::vector<TlbEntry> fill = {split, entry(2, s2(1), 0x80003000)};
    EXPECT_EQ(survivors(fill, scope("TLBI_NH_VA", {{"vmid", 1}, {"asid", 5}, {"addr", 0x3ff000}})), (Ids{2}));
    EXPECT_EQ(survivors(fill, scope("TLBI_NH_VA", range(0x200000, 1, 0, 0, 2))), (Ids{2}));
    EXPECT_EQ(survivors(fill, scope("TLBI_NH_VA", range(0x203000, 1, 0, 0, 3))), (Ids{1, 2}));
    // TLBI_S2_IPA removes the stage-2-only entry for the IPA, not the combined one.
    EXPECT_EQ(survivors(fill, scope("TLBI_S2_IPA", {{"vmid", 1}, {"addr", 0x80003000}})), (Ids{1}));
}

TEST(Tlb, S2IpaByAddressRangeAndTtl)
{
    const std::vector<TlbEntry> fill = {entry(1, s2(1), 0x40000000), entry(2, s2(1), 0x40001000),
                                        entry(3, s2(1), 0x40200000, k2M, 2), entry(4, s2(3), 0x40001000)};
    const auto ipa_range = [](uint64_t addr, uint64_t num, uint64_t ttl) {
        return Fields{{"vmid", 1}, {"addr", addr}, {"tg", 1}, {"num", num}, {"ttl", ttl}};
    };
    EXPECT_EQ(survivors(fill, scope("TLBI_S2_IPA", ipa_range(0x40001000, 1, 0))), (Ids{1, 3, 4}));
    EXPECT_EQ(survivors(fill, scope("TLBI_S2_IPA", {{"vmid", 1}, {"addr", 0x40205000}})), (Ids{1, 2, 4}));
    EXPECT_EQ(survivors(fill, scope("TLBI_S2_IPA", ipa_range(0x40000000, 31, 3))), (Ids{3, 4}));
    EXPECT_EQ(survivors(fill, scope("TLBI_S2_IPA", ipa_range(0x40000000, 31, 2))), (Ids{1, 2, 3, 4}));
}

TEST(Tlb, LookupMatchesTagAndSizeAndCounts)
{
    Tlb tlb("t.tlb", CacheGeometry{64, 4});
    tlb.insert(entry(1, nh(1, 5), 0x1000));
    tlb.insert(entry(2, nh(1, 5), 0x200000, k2M, 2));
    tlb.insert(entry(3, nh(1, 6, true), 0x5000));
    tlb.insert(entry(4, s2(1), 0x1000));
    tlb.insert(entry(5, el2(), 0x1000));
    const auto hit = [&](TlbTag key, uint64_t addr) {
        const TlbEntry* e = tlb.lookup(key, addr);
        return e ? e->result.oa : 0;
    };
    EXPECT_EQ(hit(nh(1, 5), 0x1fff), 1u);
    EXPECT_EQ(hit(nh(1, 5), 0x3ff123), 2u);       // inside the block
    EXPECT_EQ(hit(nh(1, 9), 0x5008), 3u);         // global: any ASID
    EXPECT_EQ(hit(s2(1), 0x1000), 4u);            // the stage-2-only entry, not the stage-1 one
    EXPECT_EQ(hit(TlbTag{Regime::El2, TlbStage::S1, 7, 9, false}, 0x1000), 5u);  // EL2: no VMID, no ASID
    EXPECT_EQ(hit(nh(1, 6), 0x1000), 0u);         // another ASID
    EXPECT_EQ(hit(nh(2, 5), 0x1000), 0u);         // another VMID
    EXPECT_EQ(hit(s12(1, 5), 0x1000), 0u);        // another stage
    EXPECT_EQ(hit(nh(1, 5), 0x2000), 0u);         // another page
    EXPECT_EQ(tlb.stats().lookups.value(), 9u);
    EXPECT_EQ(tlb.stats().hits.value(), 5u);
    EXPECT_EQ(tlb.stats().misses.value(), 4u);
    EXPECT_EQ(tlb.stats().fills.value(), 5u);
    EXPECT_EQ(tlb.stats().evictions.value(), 0u);
}

TEST(Tlb, LeastRecentlyUsedIsEvictedAndRefillReplaces)
{
    Tlb tlb("t.tlb", CacheGeometry{4, 4});  // one set: every entry competes
    for (uint64_t i = 1; i <= 4; i++)
        tlb.insert(entry(i, nh(1, 5), i * k4K));
    ASSERT_NE(tlb.lookup(nh(1, 5), 1 * k4K), nullptr);  // 1 becomes the most recent; 2 the least
    tlb.insert(entry(5, nh(1, 5), 5 * k4K));
    EXPECT_EQ(ids(tlb, id_of), (Ids{1, 3, 4, 5}));
    EXPECT_EQ(tlb.stats().evictions.value(), 1u);
    // The same tag and range again replaces, without an eviction.
    tlb.insert(entry(6, nh(1, 5), 5 * k4K));
    EXPECT_EQ(ids(tlb, id_of), (Ids{1, 3, 4, 6}));
    EXPECT_EQ(tlb.stats().evictions.value(), 1u);
    EXPECT_EQ(tlb.stats().fills.value(), 6u);
}

TEST(Tlb, SetAssociativeEvictsWithinASetOnly)
{
    Tlb tlb("t.tlb", CacheGeometry{64, 2});
    for (uint64_t i = 0; i < 64; i++)
        tlb.insert(entry(i + 1, nh(1, 5), i * k4K));
    // 64 entries in 32 two-way sets by a hash: some sets overflowed.
    EXPECT_EQ(tlb.size() + tlb.stats().evictions.value(), 64u);
    EXPECT_LE(tlb.size(), 64u);
    EXPECT_GT(tlb.stats().evictions.value(), 0u);
}

TEST(Tlb, GeometryThatMakesNoSenseIsRefused)
{
    const auto message = [](CacheGeometry g) {
        try {
            Tlb tlb("t.tlb", g);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message({0, 1}), "smmu.tlb.entries = 0, smmu.tlb.ways = 1: a cache needs at least one entry and one way");
    EXPECT_EQ(message({8, 0}), "smmu.tlb.entries = 8, smmu.tlb.ways = 0: a cache needs at least one entry and one way");
    EXPECT_EQ(message({8, 3}), "smmu.tlb.ways = 3 does not divide smmu.tlb.entries = 8 into whole sets");
    EXPECT_EQ(message({4, 8}), "smmu.tlb.ways = 8 does not divide smmu.tlb.entries = 4 into whole sets");
    EXPECT_EQ(message({12, 3}), "accepted");  // 4 sets: not a power of two, still whole sets
}

TEST(Tlb, RangeNotAlignedToItselfIsACallersError)
{
    Tlb tlb("t.tlb", CacheGeometry{4, 4});
    EXPECT_THROW(tlb.insert(entry(1, nh(1, 5), 0x1800)), std::logic_error);
    EXPECT_THROW(tlb.insert(entry(1, nh(1, 5), 0x1000, 0x3000)), std::logic_error);
    EXPECT_EQ(tlb.size(), 0u);
}

namespace {

// The reference: which entries a TLBI removes, command by command, read
// from its raw fields (IHI 0070 4.4), independently of tlbi_covers().
bool reference_removes(const RawTlbi& c, const TlbEntry& e)
{
    const TlbTag& t = e.tag;
    const bool nh = t.regime == Regime::Nh, stage1 = t.stage != TlbStage::S2;
    const bool vmid = t.vmid == c.vmid;
    const bool va = c.meets(e.s1.base, e.s1.size) && !c.other_level(e.s1.level);
    if (c.name == "TLBI_NH_ALL") return nh && stage1 && vmid;
    if (c.name == "TLBI_NH_ASID") return nh && stage1 && vmid && !t.global && t.asid == c.asid;
    if (c.name == "TLBI_NH_VA") return nh && stage1 && vmid && (t.global || t.asid == c.asid) && va;
    if (c.name == "TLBI_NH_VAA") return nh && stage1 && vmid && va;
    if (c.name == "TLBI_EL2_ALL") return !nh;
    if (c.name == "TLBI_EL2_ASID") return t.regime == Regime::El2E2h && !t.global && t.asid == c.asid;
    if (c.name == "TLBI_EL2_VA") return !nh && (t.regime == Regime::El2 || t.global || t.asid == c.asid) && va;
    if (c.name == "TLBI_EL2_VAA") return !nh && va;
    if (c.name == "TLBI_S12_VMALL") return nh && vmid;
    if (c.name == "TLBI_S2_IPA")
        return nh && t.stage == TlbStage::S2 && vmid && c.meets(e.s2.base, e.s2.size) && !c.other_level(e.s2.level);
    if (c.name == "TLBI_NSNH_ALL") return nh;
    ADD_FAILURE() << "no reference for " << c.name;
    return false;
}

// A random leaf of the 4K granule: a page, a 2 MiB or a 1 GiB block.
LeafRange random_leaf(std::mt19937_64& rng)
{
    const unsigned level = 1 + static_cast<unsigned>(rng() % 3);
    const uint64_t size = 1ull << (12 + 9 * (3 - level));
    return LeafRange{Granule::k4K, level, (rng() % (1ull << 31)) & ~(size - 1), size};
}

// A random entry, its tag already in the TLB's normal form.
TlbEntry random_entry(std::mt19937_64& rng, uint64_t id)
{
    TlbEntry e;
    const unsigned kind = static_cast<unsigned>(rng() % 5);  // S1, S2, S12, El2, El2E2h
    e.tag.regime = kind == 3 ? Regime::El2 : kind == 4 ? Regime::El2E2h : Regime::Nh;
    e.tag.stage = kind == 1 ? TlbStage::S2 : kind == 2 ? TlbStage::S12 : TlbStage::S1;
    e.tag.vmid = kind < 3 ? static_cast<uint16_t>(rng() % 3) : 0;
    e.tag.global = kind == 3 || (kind != 1 && rng() % 4 == 0);
    e.tag.asid = kind == 1 || kind == 3 ? 0 : static_cast<uint16_t>(rng() % 3);
    e.s1 = random_leaf(rng);
    e.s2 = random_leaf(rng);
    const LeafRange& own = e.tag.stage == TlbStage::S2 ? e.s2 : e.s1;
    e.result.page_base_in = own.base;
    e.result.page_size = own.size;
    if (e.tag.stage == TlbStage::S12) {  // the smaller of the two leaves, inside the stage-1 one
        e.result.page_size = std::min(e.s1.size, e.s2.size);
        e.result.page_base_in = e.s1.base + (rng() % (e.s1.size / e.result.page_size)) * e.result.page_size;
    }
    e.result.oa = id;
    return e;
}

bool same_slot(const TlbEntry& a, const TlbEntry& b)
{
    return a.tag.regime == b.tag.regime && a.tag.stage == b.tag.stage && a.tag.vmid == b.tag.vmid &&
           a.tag.asid == b.tag.asid && a.tag.global == b.tag.global &&
           a.result.page_base_in == b.result.page_base_in && a.result.page_size == b.result.page_size;
}

}  // namespace

TEST(Tlb, RandomisedAgainstReference)
{
    std::mt19937_64 rng(0x5eed12);
    Tlb tlb("t.tlb", CacheGeometry{4096, 4096});  // fully associative and large: no eviction to model
    std::vector<TlbEntry> ref;
    uint64_t next_id = 1, removed = 0;
    for (int round = 0; round < 400; round++) {
        for (int i = 0; i < 12; i++) {
            const TlbEntry e = random_entry(rng, next_id++);
            tlb.insert(e);
            ref.erase(std::remove_if(ref.begin(), ref.end(), [&](const TlbEntry& o) { return same_slot(o, e); }),
                      ref.end());
            ref.push_back(e);
        }
        const RawTlbi c = random_tlbi(rng);
        tlb.invalidate(scope(c.name, c.fields()));
        const size_t before = ref.size();
        ref.erase(std::remove_if(ref.begin(), ref.end(), [&](const TlbEntry& e) { return reference_removes(c, e); }),
                  ref.end());
        removed += before - ref.size();
        Ids want;
        for (const TlbEntry& e : ref)
            want.push_back(e.result.oa);
        std::sort(want.begin(), want.end());
        ASSERT_EQ(ids(tlb, id_of), want) << "round " << round << ": " << c.name << " vmid " << c.vmid << " asid "
                                         << c.asid << " addr " << std::hex << c.addr << " tg " << c.tg << " ttl "
                                         << c.ttl << " num " << c.num << " scale " << c.scale;
    }
    EXPECT_EQ(tlb.stats().evictions.value(), 0u);
    EXPECT_GT(removed, 1000u);  // the commands did remove entries
    EXPECT_GT(ref.size(), 50u);  // and left some
}
