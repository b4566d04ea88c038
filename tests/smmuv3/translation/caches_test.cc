// SPDX-License-Identifier: GPL-2.0-only
// The three caches built from Smmuv3Params (models/smmuv3/translation/
// caches.h): the parameters as declared, geometry refused with a clear
// ConfigError (by TranslationCaches::validate and so by Smmuv3::validate),
// the statistics groups, and one scope reaching each cache it names.
#include <gtest/gtest.h>

#include "cache_scopes.h"
#include "platform/params.h"
#include "platform/stats.h"
#include "smmuv3/smmuv3.h"
#include "smmuv3/translation/caches.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::test;

namespace {

std::string refusal(const Smmuv3Params& p)
{
    try {
        TranslationCaches::validate(p);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(TranslationCaches, ParametersAreDeclaredWithDefaults)
{
    Config cfg;
    Smmuv3Params::declare(cfg);
    EXPECT_EQ(cfg.u64("smmu.tlb.entries"), 2048u);
    EXPECT_EQ(cfg.u64("smmu.tlb.ways"), 4u);
    EXPECT_EQ(cfg.u64("smmu.tlb.lookup_cycles"), 2u);
    EXPECT_EQ(cfg.u64("smmu.cfgcache.entries"), 64u);
    EXPECT_EQ(cfg.u64("smmu.walkcache.entries"), 256u);
    EXPECT_THROW(cfg.set("smmu.tlb.entries", "0", "--set"), ConfigError);  // below the declared range
    EXPECT_EQ(refusal(Smmuv3Params{}), "accepted");
}

TEST(TranslationCaches, GeometryThatMakesNoSenseIsRefused)
{
    Smmuv3Params p;
    p.tlb_ways = 3;
    EXPECT_EQ(refusal(p), "smmu.tlb.ways = 3 does not divide smmu.tlb.entries = 2048 into whole sets");
    EXPECT_THROW(Smmuv3::validate(p), ConfigError);
    p = Smmuv3Params{};
    p.cfgcache_ways = 128;
    EXPECT_EQ(refusal(p), "smmu.cfgcache.ways = 128 does not divide smmu.cfgcache.entries = 64 into whole sets");
    p = Smmuv3Params{};
    p.walkcache_entries = 0;
    EXPECT_EQ(refusal(p),
              "smmu.walkcache.entries = 0, smmu.walkcache.ways = 4: a cache needs at least one entry and one way");
    EXPECT_THROW(Smmuv3::validate(p), ConfigError);
}

TEST(TranslationCaches, BuiltWithStatisticsAndEachScopeReachesItsCache)
{
    TranslationCaches c("t.smmu", Smmuv3Params{});
    for (const char* g : {"t.smmu.tlb", "t.smmu.cfgcache", "t.smmu.walkcache"})
        EXPECT_NE(StatRegistry::global().find(g), nullptr) << g;
    TlbEntry t;
    t.result.page_size = 0x1000;
    c.tlb.insert(t);
    c.cfg.insert_ste(0, StreamConfig{});
    c.walk.insert(WalkEntry{WalkTag{}, Granule::k4K, 2, 0, 1ull << 21, 0x1000, 0});
    for (InvalidationTarget* target : c.targets())
        target->invalidate(scope("CFGI_ALL"));
    EXPECT_EQ(c.cfg.size(), 0u);
    EXPECT_EQ(c.tlb.size() + c.walk.size(), 2u);
    for (InvalidationTarget* target : c.targets())
        target->invalidate(scope("TLBI_NSNH_ALL"));
    EXPECT_EQ(c.tlb.size() + c.walk.size(), 0u);
    EXPECT_EQ(c.tlb.stats().invalidations.value(), 1u);  // CFGI_ALL did not reach the TLB
    EXPECT_EQ(c.cfg.stats().invalidations.value(), 1u);
}
