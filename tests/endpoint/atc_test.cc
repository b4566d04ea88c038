// SPDX-License-Identifier: GPL-2.0-only
// The endpoint's ATC (models/endpoint/atc.h): fill it, invalidate it with
// ATC_INV in every form, encoded by the command encoder and decoded into
// a scope as the SMMU's command engine does (IHI 0070 4.5.1), and check
// exactly which entries survive; then its organisation (sets, ways, LRU).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "endpoint/atc.h"
#include "smmuv3/commands.h"
#include "smmuv3/invalidation.h"

using namespace smmusim;
using namespace smmusim::endpoint;
using smmuv3::InvalidationScope;

namespace {

// ATC_INV from its fields by name, decoded into the scope the engine hands
// to its targets.
InvalidationScope atc_inv(const std::vector<std::pair<std::string, uint64_t>>& fields)
{
    const auto enc = smmuv3::encode_command("ATC_INV", fields);
    const smmuv3::Decoded d = smmuv3::decode_command(enc.dw0, enc.dw1, smmuv3::CommandFeatures{});
    EXPECT_TRUE(d.ok) << d.why;
    InvalidationScope s;
    EXPECT_TRUE(smmuv3::invalidation_scope(d.cmd, s));
    return s;
}

AtcEntry entry(uint32_t sid, uint64_t va, uint64_t size = 4096, int pasid = -1, bool global = false)
{
    AtcEntry e;
    e.sid = sid;
    e.ssv = pasid >= 0;
    e.pasid = pasid >= 0 ? static_cast<uint32_t>(pasid) : 0;
    e.global = global;
    e.untranslated = va;
    e.size = size;
    e.translated = 0x80000000ull + va;
    e.perms.read = e.perms.write = true;
    return e;
}

// "sid:pasid:va" of every valid entry (pasid "-" without one), sorted.
std::vector<std::string> tags(const Atc& atc)
{
    std::vector<std::string> v;
    for (const AtcEntry& e : atc.entries())
        v.push_back(std::to_string(e.sid) + ":" + (e.ssv ? std::to_string(e.pasid) : "-") + ":" +
                    std::to_string(e.untranslated >> 12));
    std::sort(v.begin(), v.end());
    return v;
}

EndpointParams params(uint64_t entries, uint64_t ways)
{
    EndpointParams p;
    p.atc_entries = entries;
    p.atc_ways = ways;
    return p;
}

// A fully associative ATC holding, for stream 1: pages 0, 1, 2 without a
// PASID, a 64 KiB entry at 0x10000, a 2 MiB entry at 0x200000, page 1 for
// PASIDs 5 and 6 (6 global), page 3 for PASID 7; for stream 2: page 1.
class AtcInv : public ::testing::Test {
protected:
    AtcInv() : atc_(::testing::UnitTest::GetInstance()->current_test_info()->name(), params(64, 64))
    {
        for (const AtcEntry& e : {entry(1, 0x0), entry(1, 0x1000), entry(1, 0x2000), entry(1, 0x10000, 0x10000),
                                  entry(1, 0x200000, 0x200000), entry(1, 0x1000, 4096, 5),
                                  entry(1, 0x1000, 4096, 6, true), entry(1, 0x3000, 4096, 7), entry(2, 0x1000)})
            EXPECT_TRUE(atc_.insert(e));
    }
    Atc atc_;
};

}  // namespace

TEST_F(AtcInv, WithoutSsvTheRangeGoesForEveryPasidOfThatStreamOnly)
{
    // IHI 0070 4.5.1: SSV = 0 sends the Invalidation Request without a PASID
    // prefix, which covers the range's entries with and without a PASID.
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 0}, {"addr", 0x1000}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:16", "1:-:2", "1:-:512", "1:7:3", "2:-:1"}));
    EXPECT_EQ(atc_.stats().value("invalidations"), 1u);
    EXPECT_EQ(atc_.stats().value("invalidated"), 3u);
}

TEST_F(AtcInv, WithSsvOnlyThatPasid)
{
    atc_.invalidate(atc_inv({{"sid", 1}, {"ssv", 1}, {"ssid", 5}, {"size", 0}, {"addr", 0x1000}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:1", "1:-:16", "1:-:2", "1:-:512", "1:6:1",
                                                    "1:7:3", "2:-:1"}));
}

TEST_F(AtcInv, GlobalWithSsvAlsoTakesEveryPasidsGlobalEntries)
{
    // PASID 6's entry is a global mapping: G = 1 covers it too; PASID 7's is
    // outside the range and the entry without a PASID is not a PASID's.
    atc_.invalidate(atc_inv({{"sid", 1}, {"ssv", 1}, {"ssid", 5}, {"global", 1}, {"size", 0}, {"addr", 0x1000}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:1", "1:-:16", "1:-:2", "1:-:512", "1:7:3",
                                                    "2:-:1"}));
}

TEST_F(AtcInv, SizeNamesANaturallyAlignedPowerOfTwoRange)
{
    // Size = 1: 2 pages. addr 0x3000 is not aligned to 8 KiB: its low bit is
    // ignored, so the range is [0x2000, 0x4000).
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 1}, {"addr", 0x3000}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:1", "1:-:16", "1:-:512", "1:5:1", "1:6:1",
                                                    "2:-:1"}));
}

TEST_F(AtcInv, ARangeTouchingPartOfALargeEntryRemovesIt)
{
    // The last page of the 64 KiB entry, and one page inside the 2 MiB one.
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 0}, {"addr", 0x1f000}}));
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 0}, {"addr", 0x3ff000}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:1", "1:-:2", "1:5:1", "1:6:1", "1:7:3", "2:-:1"}));
    // The pages just outside them: nothing.
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 0}, {"addr", 0x20000}}));
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 0}, {"addr", 0x400000}}));
    EXPECT_EQ(atc_.valid(), 7u);
}

TEST_F(AtcInv, SizeFiftyTwoIsTheWholeAtcOfThatStream)
{
    // What the driver's arm_smmu_atc_inv_master() sends (ATC_INV_SIZE_ALL).
    atc_.invalidate(atc_inv({{"sid", 1}, {"size", 52}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"2:-:1"}));
    atc_.invalidate(atc_inv({{"sid", 3}, {"size", 52}}));
    EXPECT_EQ(atc_.valid(), 1u);
}

TEST_F(AtcInv, WholeRangeWithSsvKeepsOtherPasidsAndNonPasidEntries)
{
    atc_.invalidate(atc_inv({{"sid", 1}, {"ssv", 1}, {"ssid", 7}, {"size", 52}}));
    EXPECT_EQ(tags(atc_), (std::vector<std::string>{"1:-:0", "1:-:1", "1:-:16", "1:-:2", "1:-:512", "1:5:1",
                                                    "1:6:1", "2:-:1"}));
}

TEST_F(AtcInv, OtherScopesAreIgnored)
{
    InvalidationScope tlbi;  // Kind::Tlb, every entry of every VMID
    InvalidationScope ste;
    ste.kind = InvalidationScope::Kind::Ste;
    ste.sid = 1;
    atc_.invalidate(tlbi);
    atc_.invalidate(ste);
    EXPECT_EQ(atc_.valid(), 9u);
    EXPECT_EQ(atc_.stats().value("invalidations"), 0u);
}

TEST(Atc, LookupMatchesStreamPasidAndRange)
{
    Atc atc("atc_lookup", params(16, 16));
    ASSERT_TRUE(atc.insert(entry(4, 0x40000, 0x10000)));
    ASSERT_TRUE(atc.insert(entry(4, 0x1000, 4096, 9)));
    const AtcEntry* e = atc.lookup(4, false, 0, 0x4f123);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->translated, 0x80040000ull);
    EXPECT_EQ(atc.lookup(4, false, 0, 0x50000), nullptr);  // past the 64 KiB
    EXPECT_EQ(atc.lookup(5, false, 0, 0x40000), nullptr);  // another stream
    EXPECT_EQ(atc.lookup(4, true, 9, 0x40000), nullptr);   // a PASID's request: not the RID's entry
    EXPECT_NE(atc.lookup(4, true, 9, 0x1fff), nullptr);
    EXPECT_EQ(atc.lookup(4, true, 8, 0x1000), nullptr);
    EXPECT_EQ(atc.lookup(4, false, 0, 0x1000), nullptr);   // the PASID's entry serves only it
    EXPECT_EQ(atc.stats().value("lookups"), 7u);
    EXPECT_EQ(atc.stats().value("hits"), 2u);
    EXPECT_EQ(atc.stats().value("misses"), 5u);
}

TEST(Atc, MalformedTranslationsAreNotCached)
{
    Atc atc("atc_malformed", params(16, 16));
    EXPECT_FALSE(atc.insert(entry(1, 0x1000, 0x3000)));     // not a power of two
    EXPECT_FALSE(atc.insert(entry(1, 0x0, 0x800)));         // below 4 KiB
    EXPECT_FALSE(atc.insert(entry(1, 0x1000, 0x2000)));     // not aligned to its size
    AtcEntry e = entry(1, 0x2000, 0x2000);
    e.translated = 0x81000;  // output not aligned
    EXPECT_FALSE(atc.insert(e));
    EXPECT_FALSE(atc.insert(entry(1, 0xffffffffffff0000ull, 0x100000)));  // would pass 2^64: unaligned
    EXPECT_EQ(atc.valid(), 0u);
    EXPECT_EQ(atc.stats().value("fills"), 0u);
}

TEST(Atc, TheSameTranslationAgainReplacesItsEntry)
{
    Atc atc("atc_replace", params(4, 4));
    ASSERT_TRUE(atc.insert(entry(1, 0x1000)));
    AtcEntry again = entry(1, 0x1000);
    again.translated = 0x90001000;
    ASSERT_TRUE(atc.insert(again));
    ASSERT_EQ(atc.valid(), 1u);
    EXPECT_EQ(atc.entries()[0].translated, 0x90001000ull);
    EXPECT_EQ(atc.stats().value("evictions"), 0u);
}

TEST(Atc, AFullSetEvictsItsLeastRecentlyUsedEntry)
{
    Atc atc("atc_lru", params(4, 4));  // one set of four ways
    for (uint64_t p = 0; p < 4; p++)
        ASSERT_TRUE(atc.insert(entry(1, p << 12)));
    ASSERT_NE(atc.lookup(1, false, 0, 0x0), nullptr);  // page 0 is now the most recent
    ASSERT_TRUE(atc.insert(entry(1, 0x4000)));          // evicts page 1
    EXPECT_EQ(tags(atc), (std::vector<std::string>{"1:-:0", "1:-:2", "1:-:3", "1:-:4"}));
    EXPECT_EQ(atc.stats().value("evictions"), 1u);
}

TEST(Atc, SetsAreChosenByStreamAndPasid)
{
    Atc atc("atc_sets", params(8, 2));  // four sets of two ways
    EXPECT_EQ(atc.sets(), 4u);
    EXPECT_EQ(atc.ways(), 2u);
    for (uint64_t p = 0; p < 3; p++)  // one stream, no PASID: one set, so one is evicted
        ASSERT_TRUE(atc.insert(entry(1, p << 12)));
    EXPECT_EQ(atc.valid(), 2u);
    EXPECT_EQ(atc.stats().value("evictions"), 1u);
    EXPECT_EQ(tags(atc), (std::vector<std::string>{"1:-:1", "1:-:2"}));
}

TEST(Atc, WaysMustDivideEntries)
{
    EXPECT_THROW(Atc("atc_bad_ways", params(12, 8)), ConfigError);
    EXPECT_THROW(Atc("atc_zero", params(0, 1)), ConfigError);  // below the declared range
}
