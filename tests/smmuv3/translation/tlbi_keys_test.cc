// SPDX-License-Identifier: GPL-2.0-only
// The TLBI index of the TLB and the walk cache (tlbi_rule.h: entries linked
// by VMID and by (regime, VMID, ASID | global | stage 2 only)): every entry a
// TLBI reaches (tlbi_reach, IHI 0070 4.4) is on a key tlbi_visit() names, for
// every command and every kind of entry; and on a full set-associative TLB a
// TLBI of one ASID leaves the other ASIDs' entries, the global entries (but
// for a VA that they hold) and the nested stage-2 entries. What each command
// removes is tlb_test.cc's and walk_cache_test.cc's.
#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "cache_scopes.h"
#include "smmuv3/translation/tlb.h"
#include "smmuv3/translation/tlbi_rule.h"

using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::test;

namespace {

// Every normalised tag kind of the TLB and the walk cache, over VMIDs and
// ASIDs 0..2.
std::vector<TlbiTag> all_tags()
{
    std::vector<TlbiTag> tags;
    for (uint16_t vmid = 0; vmid < 3; vmid++) {
        tags.push_back({Regime::Nh, true, vmid, 0, false});  // stage 2 only
        for (uint16_t asid = 0; asid < 3; asid++)
            for (bool global : {false, true})
                tags.push_back({Regime::Nh, false, vmid, asid, global});  // stage 1 / combined
    }
    tags.push_back({Regime::El2, false, 0, 0, true});
    for (uint16_t asid = 0; asid < 3; asid++)
        for (bool global : {false, true})
            tags.push_back({Regime::El2E2h, false, 0, asid, global});
    return tags;
}

bool on_visited_key(const TlbiVisit& v, const TlbiTag& t)
{
    if (v.how == TlbiVisit::How::Every)
        return true;
    const auto keys = tlbi_entry_keys(t);
    const uint64_t k = keys[v.how == TlbiVisit::How::ByVmid ? kTlbiByVmid : kTlbiByAsid];
    for (unsigned i = 0; i < v.n; i++)
        if (v.keys[i] == k)
            return true;
    return false;
}

}  // namespace

TEST(TlbiKeys, EveryReachableEntryIsOnAVisitedKey)
{
    std::mt19937_64 rng(0x7e15);
    unsigned reached = 0;
    for (int i = 0; i < 3000; i++) {
        const RawTlbi c = random_tlbi(rng);
        const InvalidationScope s = scope(c.name, c.fields());
        const TlbiVisit v = tlbi_visit(s);
        for (const TlbiTag& t : all_tags())
            if (tlbi_reach(s, t) != TlbiReach::None) {
                reached++;
                EXPECT_TRUE(on_visited_key(v, t)) << c.name << " vmid " << c.vmid << " asid " << c.asid << ": regime "
                                                  << static_cast<int>(t.regime) << " vmid " << t.vmid << " asid "
                                                  << t.asid << " global " << t.global << " s2 " << t.stage2_only;
            }
    }
    EXPECT_GT(reached, 10000u);
}

TEST(TlbiKeys, OnlyNsnhAllVisitsEveryLine)
{
    for (const char* name : {"TLBI_NH_ALL", "TLBI_NH_ASID", "TLBI_NH_VA", "TLBI_NH_VAA", "TLBI_EL2_ALL",
                             "TLBI_EL2_ASID", "TLBI_EL2_VA", "TLBI_EL2_VAA", "TLBI_S2_IPA", "TLBI_S12_VMALL"}) {
        RawTlbi c;
        c.name = name;
        c.vmid = 1;
        c.asid = 2;
        EXPECT_NE(tlbi_visit(scope(name, c.fields())).how, TlbiVisit::How::Every) << name;
    }
    EXPECT_EQ(tlbi_visit(scope("TLBI_NSNH_ALL")).how, TlbiVisit::How::Every);
    // One ASID's commands visit that ASID's key (and, by VA, the global one), not the VMID's.
    EXPECT_EQ(tlbi_visit(scope("TLBI_NH_ASID", {{"vmid", 1}, {"asid", 2}})).n, 1u);
    EXPECT_EQ(tlbi_visit(scope("TLBI_NH_VA", {{"vmid", 1}, {"asid", 2}})).n, 2u);
    EXPECT_EQ(tlbi_visit(scope("TLBI_EL2_VA", {{"asid", 2}})).n, 3u);
    EXPECT_EQ(tlbi_visit(scope("TLBI_S2_IPA", {{"vmid", 1}})).how, TlbiVisit::How::ByAsid);
}

namespace {

TlbEntry page(uint64_t id, TlbTag tag, uint64_t base)
{
    TlbEntry e;
    e.tag = tag;
    e.result.oa = id;
    e.result.page_base_in = base;
    e.result.page_size = 0x1000;
    return e;
}

// A 4-way TLB of 2048 entries holding 96 pages of each of ASIDs 1..3 (VMID 4,
// stage 1), 16 global pages, 16 nested (combined) pages of ASID 1 and 16
// stage-2-only pages, all of VMID 4.
struct Full {
    Tlb tlb{"t.tlb", CacheGeometry{2048, 4}};
    Full()
    {
        uint64_t id = 1;
        for (uint16_t asid = 1; asid <= 3; asid++)
            for (uint64_t p = 0; p < 96; p++)
                tlb.insert(page(id++, {Regime::Nh, TlbStage::S1, 4, asid, false}, (asid << 24) + (p << 12)));
        for (uint64_t p = 0; p < 16; p++) {
            tlb.insert(page(id++, {Regime::Nh, TlbStage::S1, 4, 1, true}, 0x40000000 + (p << 12)));
            tlb.insert(page(id++, {Regime::Nh, TlbStage::S12, 4, 1, false}, 0x50000000 + (p << 12)));
            tlb.insert(page(id++, {Regime::Nh, TlbStage::S2, 4, 0, false}, 0x60000000 + (p << 12)));
        }
    }
    size_t count(const std::function<bool(const TlbEntry&)>& f) const
    {
        size_t n = 0;
        tlb.for_each([&](const TlbEntry& e) { n += f(e); });
        return n;
    }
};

}  // namespace

TEST(TlbiKeys, OneAsidLeavesTheOthersTheGlobalAndTheStage2Entries)
{
    Full f;
    const size_t held = f.tlb.size();
    ASSERT_EQ(held, 336u);
    ASSERT_EQ(f.tlb.stats().evictions.value(), 0u);
    const auto asid = [](uint16_t a) {
        return [a](const TlbEntry& e) { return !e.tag.global && e.tag.asid == a && e.tag.stage != TlbStage::S2; };
    };
    const size_t asid2 = f.count(asid(2)), asid1 = f.count(asid(1));
    f.tlb.invalidate(scope("TLBI_NH_ASID", {{"vmid", 4}, {"asid", 2}}));
    EXPECT_EQ(f.count(asid(2)), 0u);
    EXPECT_EQ(f.tlb.size(), held - asid2);  // ASIDs 1 and 3, global, combined and stage 2 stay
    // A VA of ASID 3 held by a global page: the global page goes, ASID 3's pages stay.
    const size_t before = f.tlb.size();
    const size_t globals =
        f.count([](const TlbEntry& e) { return e.tag.global && e.result.page_base_in == 0x40003000; });
    f.tlb.invalidate(scope("TLBI_NH_VA", {{"vmid", 4}, {"asid", 3}, {"addr", 0x40003000}}));
    EXPECT_EQ(f.tlb.size(), before - globals);
    // ASID 1: its stage-1 and combined pages; the global and stage-2-only ones stay.
    const size_t s2 = f.count([](const TlbEntry& e) { return e.tag.stage == TlbStage::S2; });
    f.tlb.invalidate(scope("TLBI_NH_ASID", {{"vmid", 4}, {"asid", 1}}));
    EXPECT_EQ(f.count(asid(1)), 0u);
    EXPECT_EQ(asid1, 96u + 16u);  // its combined pages were among them
    EXPECT_EQ(f.count([](const TlbEntry& e) { return e.tag.stage == TlbStage::S2; }), s2);
    EXPECT_GT(f.count([](const TlbEntry& e) { return e.tag.global; }), 0u);
    // The stage-2 IPA: only the stage-2-only page.
    const auto at_ipa = [](const TlbEntry& e) { return e.result.page_base_in == 0x60002000; };
    const size_t left = f.tlb.size(), ipa = f.count(at_ipa);
    f.tlb.invalidate(scope("TLBI_S2_IPA", {{"vmid", 4}, {"addr", 0x60002000}}));
    EXPECT_EQ(f.count(at_ipa), 0u);
    EXPECT_EQ(f.tlb.size(), left - ipa);
}
