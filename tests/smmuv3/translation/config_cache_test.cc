// SPDX-License-Identifier: GPL-2.0-only
// The configuration cache (models/smmuv3/translation/config_cache.h): STEs
// and CDs looked up by StreamID / SubstreamID, LRU, and for every CFGI
// command (IHI 0070 4.3) exactly which entries survive it.
#include <algorithm>
#include <functional>
#include <random>

#include <gtest/gtest.h>

#include "cache_scopes.h"
#include "smmuv3/translation/config_cache.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::test;
using Ids = std::vector<uint64_t>;

namespace {

// An entry's id: 0x1000 * StreamID + (CD: 1 + SubstreamID, STE: 0).
uint64_t id_of(const ConfigEntry& e) { return 0x1000ull * e.sid + (e.is_cd ? 1 + e.ssid : 0); }

struct Fill {
    uint32_t sid;
    bool cd;
    uint32_t ssid;
};

// STEs 0xf, 0x10, 0x11, 0x13, 0x14 and 0xffffffff; CDs of 0x10 (SSIDs 0, 1, 7),
// of 0x13 (0) and of 0x14 (1).
const std::vector<Fill> kFill = {{0xf, false, 0},  {0x10, false, 0}, {0x11, false, 0}, {0x13, false, 0},
                                 {0x14, false, 0}, {0xffffffff, false, 0}, {0x10, true, 0}, {0x10, true, 1},
                                 {0x10, true, 7},  {0x13, true, 0},  {0x14, true, 1}};

Ids all_ids()
{
    Ids v;
    for (const Fill& f : kFill)
        v.push_back(0x1000ull * f.sid + (f.cd ? 1 + f.ssid : 0));
    std::sort(v.begin(), v.end());
    return v;
}

Ids without(Ids v, const Ids& gone)
{
    for (uint64_t g : gone)
        v.erase(std::remove(v.begin(), v.end(), g), v.end());
    return v;
}

Ids survivors(const InvalidationScope& s)
{
    ConfigCache cc("t.cfgcache", CacheGeometry{64, 64});
    for (const Fill& f : kFill) {
        if (f.cd) {
            CdConfig cd;
            cd.valid = true;
            cd.asid = static_cast<uint16_t>(f.ssid);
            cc.insert_cd(f.sid, f.ssid, cd);
        } else {
            StreamConfig ste;
            ste.mode = StreamMode::Translate;
            cc.insert_ste(f.sid, ste);
        }
    }
    EXPECT_EQ(cc.size(), kFill.size());
    cc.invalidate(s);
    EXPECT_EQ(cc.stats().invalidated.value(), kFill.size() - cc.size());
    return ids(cc, id_of);
}

struct Case {
    const char* test;
    const char* command;
    Fields fields;
    Ids gone;
};

// gtest prints a row by its name (ctest shows it in the test's name).
void PrintTo(const Case& c, std::ostream* os) { *os << c.command << " (" << c.test << ")"; }

class ConfigCacheCfgi : public ::testing::TestWithParam<Case> {};

}  // namespace

TEST_P(ConfigCacheCfgi, RemovesExactlyItsScope)
{
    const Case& c = GetParam();
    EXPECT_EQ(survivors(scope(c.command, c.fields)), without(all_ids(), c.gone));
}

INSTANTIATE_TEST_SUITE_P(
    ConfigCache, ConfigCacheCfgi,
    ::testing::Values(
        // CFGI_STE: the STE and every CD under it, with Leaf = 0 or 1 (Leaf only adds the L1STD: not cached).
        Case{"STE_leaf0", "CFGI_STE", {{"sid", 0x10}}, {0x10000, 0x10001, 0x10002, 0x10008}},
        Case{"STE_leaf1", "CFGI_STE", {{"sid", 0x10}, {"leaf", 1}}, {0x10000, 0x10001, 0x10002, 0x10008}},
        Case{"STE_without_cds", "CFGI_STE", {{"sid", 0x11}}, {0x11000}},
        Case{"STE_not_cached", "CFGI_STE", {{"sid", 0x12}}, {}},
        // CFGI_STE_RANGE: Range = 1 is an aligned block of 4; a SID inside it names the block.
        Case{"STE_RANGE_block4", "CFGI_STE_RANGE", {{"sid", 0x12}, {"range", 1}},
             {0x10000, 0x10001, 0x10002, 0x10008, 0x11000, 0x13000, 0x13001}},
        // Range = 0: the aligned pair 0x14, 0x15.
        Case{"STE_RANGE_pair", "CFGI_STE_RANGE", {{"sid", 0x15}, {"range", 0}}, {0x14000, 0x14002}},
        // Range = 4: 32 StreamIDs from 0 (0xf..0x14), not 0xffffffff.
        Case{"STE_RANGE_32", "CFGI_STE_RANGE", {{"sid", 0x1f}, {"range", 4}},
             {0xf000, 0x10000, 0x10001, 0x10002, 0x10008, 0x11000, 0x13000, 0x13001, 0x14000, 0x14002}},
        // CFGI_ALL: every StreamID, the last one too.
        Case{"ALL", "CFGI_ALL", {},
             {0xf000, 0x10000, 0x10001, 0x10002, 0x10008, 0x11000, 0x13000, 0x13001, 0x14000, 0x14002,
              0xffffffffull * 0x1000}},
        // CFGI_CD: one (StreamID, SubstreamID); the STE and other SSIDs stay.
        Case{"CD", "CFGI_CD", {{"sid", 0x10}, {"ssid", 1}}, {0x10002}},
        Case{"CD_leaf1", "CFGI_CD", {{"sid", 0x10}, {"ssid", 0}, {"leaf", 1}}, {0x10001}},
        Case{"CD_other_stream", "CFGI_CD", {{"sid", 0x11}, {"ssid", 1}}, {}},
        // CFGI_CD_ALL: every CD of the stream, not its STE.
        Case{"CD_ALL", "CFGI_CD_ALL", {{"sid", 0x10}}, {0x10001, 0x10002, 0x10008}},
        // TLBIs and ATC_INV reach no configuration.
        Case{"TLBI_NSNH_ALL", "TLBI_NSNH_ALL", {}, {}},
        Case{"TLBI_S12_VMALL", "TLBI_S12_VMALL", {{"vmid", 0}}, {}},
        Case{"ATC_INV", "ATC_INV", {{"sid", 0x10}, {"size", 52}}, {}}),
    [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.test); });

TEST(ConfigCache, LookupsByStreamAndSubstream)
{
    ConfigCache cc("t.cfgcache", CacheGeometry{16, 4});
    StreamConfig ste;
    ste.mode = StreamMode::Translate;
    ste.vmid = 9;
    cc.insert_ste(3, ste);
    CdConfig cd;
    cd.valid = true;
    cd.asid = 42;
    cc.insert_cd(3, 0, cd);
    cd.asid = 43;
    cc.insert_cd(3, 5, cd);
    ASSERT_NE(cc.lookup_ste(3), nullptr);
    EXPECT_EQ(cc.lookup_ste(3)->vmid, 9);
    EXPECT_EQ(cc.lookup_ste(4), nullptr);
    ASSERT_NE(cc.lookup_cd(3, 0), nullptr);
    EXPECT_EQ(cc.lookup_cd(3, 0)->asid, 42);
    EXPECT_EQ(cc.lookup_cd(3, 5)->asid, 43);
    EXPECT_EQ(cc.lookup_cd(3, 1), nullptr);
    EXPECT_EQ(cc.lookup_cd(4, 0), nullptr);
    // Refilling the same CD replaces it.
    cd.asid = 44;
    cc.insert_cd(3, 5, cd);
    EXPECT_EQ(cc.lookup_cd(3, 5)->asid, 44);
    EXPECT_EQ(cc.size(), 3u);
    EXPECT_EQ(cc.stats().lookups.value(), 9u);
    EXPECT_EQ(cc.stats().hits.value(), 6u);
    EXPECT_EQ(cc.stats().misses.value(), 3u);
}

TEST(ConfigCache, LeastRecentlyUsedIsEvicted)
{
    ConfigCache cc("t.cfgcache", CacheGeometry{2, 2});
    cc.insert_ste(1, StreamConfig{});
    cc.insert_cd(1, 0, CdConfig{});
    ASSERT_NE(cc.lookup_ste(1), nullptr);
    cc.insert_ste(2, StreamConfig{});
    EXPECT_EQ(ids(cc, id_of), (Ids{0x1000, 0x2000}));
    EXPECT_EQ(cc.stats().evictions.value(), 1u);
}

TEST(ConfigCache, GeometryIsChecked)
{
    EXPECT_THROW(ConfigCache("t.cfgcache", CacheGeometry{64, 5}), ConfigError);
    EXPECT_THROW(ConfigCache("t.cfgcache", CacheGeometry{0, 1}), ConfigError);
}

TEST(ConfigCache, RandomisedAgainstReference)
{
    std::mt19937_64 rng(0x5eed56);
    ConfigCache cc("t.cfgcache", CacheGeometry{2048, 2048});
    std::vector<ConfigEntry> ref;
    uint64_t removed = 0;
    size_t peak = 0;  // the most entries held after a command
    for (int round = 0; round < 400; round++) {
        for (int i = 0; i < 6; i++) {
            ConfigEntry e;
            e.is_cd = rng() % 2;
            e.sid = static_cast<uint32_t>(rng() % 64);
            e.ssid = e.is_cd ? static_cast<uint32_t>(rng() % 4) : 0;
            e.is_cd ? cc.insert_cd(e.sid, e.ssid, e.cd) : cc.insert_ste(e.sid, e.ste);
            if (std::none_of(ref.begin(), ref.end(), [&](const ConfigEntry& o) { return id_of(o) == id_of(e); }))
                ref.push_back(e);
        }
        // The reference, from each command's raw fields (IHI 0070 4.3).
        const uint32_t sid = static_cast<uint32_t>(rng() % 64), ssid = static_cast<uint32_t>(rng() % 4);
        const uint64_t range = rng() % 6;
        std::function<bool(const ConfigEntry&)> gone;
        InvalidationScope s;
        switch (rng() % 5) {
        case 0:
            s = scope("CFGI_STE", {{"sid", sid}, {"leaf", rng() % 2}});
            gone = [&](const ConfigEntry& e) { return e.sid == sid; };
            break;
        case 1:
            s = scope("CFGI_STE_RANGE", {{"sid", sid}, {"range", range}});
            gone = [&](const ConfigEntry& e) { return e.sid >> (range + 1) == sid >> (range + 1); };
            break;
        case 2:
            s = scope(rng() % 8 ? "CFGI_CD_ALL" : "CFGI_ALL", {});
            gone = s.kind == InvalidationScope::Kind::Ste ? std::function<bool(const ConfigEntry&)>(
                                                                [](const ConfigEntry&) { return true; })
                                                          : [](const ConfigEntry& e) { return e.is_cd && e.sid == 0; };
            break;
        case 3:
            s = scope("CFGI_CD", {{"sid", sid}, {"ssid", ssid}, {"leaf", rng() % 2}});
            gone = [&](const ConfigEntry& e) { return e.is_cd && e.sid == sid && e.ssid == ssid; };
            break;
        default:
            s = scope("CFGI_CD_ALL", {{"sid", sid}});
            gone = [&](const ConfigEntry& e) { return e.is_cd && e.sid == sid; };
            break;
        }
        cc.invalidate(s);
        const size_t before = ref.size();
        ref.erase(std::remove_if(ref.begin(), ref.end(), gone), ref.end());
        removed += before - ref.size();
        Ids want;
        for (const ConfigEntry& e : ref)
            want.push_back(id_of(e));
        std::sort(want.begin(), want.end());
        ASSERT_EQ(ids(cc, id_of), want) << "round " << round;
        peak = std::max(peak, ref.size());
    }
    EXPECT_EQ(cc.stats().evictions.value(), 0u);
    EXPECT_GT(removed, 300u);
    EXPECT_GT(peak, 20u);
}
