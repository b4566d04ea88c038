// SPDX-License-Identifier: GPL-2.0-only
// decode_cd(): the CD Linux writes decodes to its stage-1 walk, the
// starting level follows T0SZ and TG0 (VMSAv8-64), and every validity rule
// of cd.h has a row with a CD that breaks it and its nearest legal
// neighbour (IHI 0070 5.4, 5.5).
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "linux_entries.h"
#include "smmuv3/evtq.h"
#include "smmuv3/translation/cd.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using test::Entry;

namespace {

constexpr uint64_t kTtbr = 0x7654'3000;

Entry linux_cd(const test::Tcr& tcr = {}, uint64_t ttbr = kTtbr)
{
    return test::arm_smmu_make_s1_cd({}, tcr, ttbr, 3);
}
Entry tcr_cd(unsigned tsz, unsigned tg, unsigned ips = 5)
{
    test::Tcr t;
    t.tsz = tsz, t.tg = tg, t.ips = ips;
    return linux_cd(t);
}
Entry with(Entry e, const DwordField& f, uint64_t v)
{
    f.set(e.d, v);
    return e;
}
CdContext ctx_with(const std::function<void(CdContext&)>& f)
{
    CdContext c;
    f(c);
    return c;
}

CdConfig decoded(const Entry& e, const CdContext& ctx = {})
{
    CdDecode d = decode_cd(e.d, ctx);
    EXPECT_TRUE(std::holds_alternative<CdConfig>(d)) << "C_BAD_CD reason " << int(std::get<Fault>(d).reason);
    return std::holds_alternative<CdConfig>(d) ? std::get<CdConfig>(d) : CdConfig{};
}

CdReason why(const Entry& e, const CdContext& ctx)
{
    CdDecode d = decode_cd(e.d, ctx);
    if (std::holds_alternative<CdConfig>(d))
        return CdReason::None;
    EXPECT_EQ(std::get<Fault>(d).type, evt::C_BAD_CD);
    return CdReason(std::get<Fault>(d).reason);
}

}  // namespace

TEST(Cd, LinuxS1Cd4K48Bit)
{
    const CdConfig c = decoded(linux_cd());
    EXPECT_TRUE(c.valid);
    EXPECT_EQ(c.asid, 3u);
    EXPECT_EQ(c.mair, test::kLinuxMair);
    EXPECT_TRUE(c.aset);
    EXPECT_TRUE(c.a);
    const StageConfig& s1 = c.s1;
    EXPECT_TRUE(s1.enabled);
    EXPECT_EQ(s1.granule, Granule::k4K);
    EXPECT_EQ(s1.ia_bits, 48u);
    EXPECT_EQ(s1.oa_bits, 48u);
    EXPECT_EQ(s1.start_level, 0u);
    EXPECT_EQ(s1.concat, 1u);
    EXPECT_EQ(s1.ttb, kTtbr);
    EXPECT_TRUE(s1.record);
    EXPECT_FALSE(s1.stall);
    EXPECT_FALSE(s1.epd0);
    EXPECT_FALSE(s1.affd || s1.ha || s1.hd || s1.big_endian || s1.wxn || s1.uwxn || s1.pan);
    EXPECT_EQ(s1.tbi, 0u);
}

TEST(Cd, StartLevelFollowsT0szAndTg0)
{
    struct Case {
        unsigned tsz, tg, level;
    } cases[] = {
        // 4K: 9 bits a level; a 40-bit VA still starts at level 0 (stage 1 has no concatenation)
        {16, 0, 0}, {24, 0, 0}, {25, 0, 1}, {33, 0, 1}, {34, 0, 2}, {39, 0, 2},
        {16, 2, 0}, {17, 2, 1}, {28, 2, 2}, {38, 2, 2}, {39, 2, 3},  // 16K: 11 bits a level
        {16, 1, 1}, {22, 1, 2}, {34, 1, 2}, {35, 1, 3}, {39, 1, 3},  // 64K: 13 bits a level
    };
    for (const Case& k : cases) {
        const CdConfig c = decoded(tcr_cd(k.tsz, k.tg));
        EXPECT_EQ(c.s1.start_level, k.level) << "T0SZ " << k.tsz << " TG0 " << k.tg;
        EXPECT_EQ(c.s1.ia_bits, 64 - k.tsz);
    }
}

TEST(Cd, Ttb0IsAlignedToTheStartingTable)
{
    // 4K, 25-bit VA: level 2 with 16 entries, 128-byte aligned (5.4 TTB0: bits [x-1:0] taken as zero).
    EXPECT_EQ(decoded(with(tcr_cd(39, 0), cd::TTB0, 0x7654'31f0 >> 4)).s1.ttb, 0x7654'3180u);
    EXPECT_EQ(decoded(with(linux_cd(), cd::TTB0, 0x7654'3ff0 >> 4)).s1.ttb, 0x7654'3000u);
}

TEST(Cd, IpsIsCappedAtTheOas)
{
    // 5.4 IPS: eff_IPS = MIN(IPS, OAS); 0b111 behaves as 0b110 (SMMUv3.1-3.3).
    EXPECT_EQ(decoded(with(linux_cd(), cd::IPS, 6)).s1.oa_bits, 48u);
    EXPECT_EQ(decoded(with(linux_cd(), cd::IPS, 7)).s1.oa_bits, 48u);
    EXPECT_EQ(decoded(with(linux_cd(), cd::IPS, 0)).s1.oa_bits, 32u);
    EXPECT_EQ(decoded(with(linux_cd(), cd::IPS, 3)).s1.oa_bits, 42u);
}

TEST(Cd, Epd0DisablesTheWalkAndItsFieldsAreIgnored)
{
    // 5.4 EPD0 = 1: T0SZ/TG0/IR0/OR0/SH0/TTB0 are IGNORED; every TTB0 miss is a translation fault (walk.h).
    const CdConfig c = decoded(with(with(with(linux_cd(), cd::EPD0, 1), cd::TG0, 3), cd::T0SZ, 63));
    EXPECT_TRUE(c.s1.epd0);
    EXPECT_TRUE(c.s1.enabled);
}

TEST(Cd, El2StreamWorldIgnoresEpdAndAsid)
{
    // EL2 has no TTB1; EPD0/EPD1 are IGNORED (effective 0) and ASID is IGNORED (5.4).
    const CdContext el2 = ctx_with([](CdContext& k) { k.regime = Regime::El2; });
    const CdConfig c = decoded(with(with(linux_cd(), cd::EPD1, 0), cd::EPD0, 1), el2);
    EXPECT_FALSE(c.s1.epd0);
    EXPECT_EQ(c.asid, 0u);
    // EL2-E2H has both halves and ASIDs, as EL1.
    const CdContext e2h = ctx_with([](CdContext& k) { k.regime = Regime::El2E2h; });
    EXPECT_EQ(decoded(linux_cd(), e2h).asid, 3u);
    EXPECT_EQ(why(with(linux_cd(), cd::EPD1, 0), e2h), CdReason::Ttb1);
}

TEST(Cd, RecordedControls)
{
    Entry e = linux_cd();
    cd::AFFD.set(e.d, 1), cd::WXN.set(e.d, 1), cd::UWXN.set(e.d, 1), cd::PAN.set(e.d, 1);
    cd::TBI0.set(e.d, 1), cd::TBI1.set(e.d, 1), cd::R.set(e.d, 0), cd::A.set(e.d, 0), cd::ENDI.set(e.d, 1);
    const CdConfig c = decoded(e);
    EXPECT_TRUE(c.s1.affd && c.s1.wxn && c.s1.uwxn && c.s1.pan && c.s1.big_endian);
    EXPECT_EQ(c.s1.tbi, 3u);
    EXPECT_FALSE(c.s1.record);
    EXPECT_FALSE(c.a);  // RAZ/WI termination (IDR0.TERM_MODEL = 0 allows it, 5.5)
    // HTTU: {HD, HA} = 0b10 behaves as 0b00; HA alone is access-flag update.
    const CdContext httu2 = ctx_with([](CdContext& k) { k.smmu.httu = 2; });
    const CdConfig hd = decoded(with(linux_cd(), cd::HD, 1), httu2);
    EXPECT_FALSE(hd.s1.hd || hd.s1.ha);
    const CdConfig ha = decoded(with(linux_cd(), cd::HA, 1), httu2);
    EXPECT_TRUE(ha.s1.ha);
    EXPECT_FALSE(ha.s1.hd);
}

// ---- one row per validity rule: the CD that breaks it, its nearest legal neighbour
namespace {
struct Rule {
    std::string name;
    Entry bad;
    CdContext bad_ctx;
    Entry good;
    CdContext good_ctx;
    CdReason reason;
};

std::vector<Rule> rules()
{
    const CdContext d;
    auto c = ctx_with;
    const CdContext va52 = c([](CdContext& k) { k.smmu.va_bits = 52, k.smmu.oas_bits = 52; });
    const CdContext stalls = c([](CdContext& k) { k.smmu.stall_model = 0; });
    const CdContext httu1 = c([](CdContext& k) { k.smmu.httu = 1; });
    const Entry cd = linux_cd();
    return {
        {"V=0", with(cd, cd::V, 0), d, cd, d, CdReason::Invalid},
        {"AA64 = 0 (VMSAv8-32 LPAE)", with(cd, cd::AA64, 0), d, cd, d, CdReason::Aa64},
        {"TG0 reserved", with(cd, cd::TG0, 3), d, with(cd, cd::TG0, 1), d, CdReason::Tg0},
        {"TG0 64K not in IDR5", with(cd, cd::TG0, 1), c([](CdContext& k) { k.smmu.gran64k = false; }), cd,
         c([](CdContext& k) { k.smmu.gran64k = false; }), CdReason::Tg0},
        {"T0SZ below 16", tcr_cd(15, 0), d, tcr_cd(16, 0), d, CdReason::T0SZ},
        {"T0SZ above 39", tcr_cd(40, 0), d, tcr_cd(39, 0), d, CdReason::T0SZ},
        {"T0SZ 12 needs 64K", tcr_cd(12, 0, 6), va52, tcr_cd(12, 1, 6), va52, CdReason::T0SZ},
        {"T0SZ 11 with 52-bit VAs", tcr_cd(11, 1, 6), va52, tcr_cd(12, 1, 6), va52, CdReason::T0SZ},
        {"TTB0 beyond IPS", linux_cd(test::Tcr{16, 0, 1, 1, 3, 2}, 1ull << 40), d,
         linux_cd(test::Tcr{16, 0, 1, 1, 3, 2}, (1ull << 40) - 4096), d, CdReason::Ttb0},
        {"TTB0 beyond 48 bits with 4K", linux_cd(test::Tcr{16, 0, 1, 1, 3, 6}, 1ull << 48), va52,
         linux_cd(test::Tcr{16, 1, 1, 1, 3, 6}, 1ull << 48), va52, CdReason::Ttb0},
        {"EPD1 = 0 (a TTB1 half)", with(cd, cd::EPD1, 0), d, with(cd, cd::EPD1, 0),
         c([](CdContext& k) { k.regime = Regime::El2; }), CdReason::Ttb1},
        {"ENDI big with little-endian tables only", with(cd, cd::ENDI, 1),
         c([](CdContext& k) { k.smmu.ttendian = 2; }), cd, c([](CdContext& k) { k.smmu.ttendian = 2; }),
         CdReason::Endi},
        {"ENDI little with big-endian tables only", cd, c([](CdContext& k) { k.smmu.ttendian = 3; }),
         with(cd, cd::ENDI, 1), c([](CdContext& k) { k.smmu.ttendian = 3; }), CdReason::Endi},
        {"HA without HTTU", with(cd, cd::HA, 1), d, with(cd, cd::HA, 1), httu1, CdReason::Httu},
        {"HD with HTTU access only", with(with(cd, cd::HA, 1), cd::HD, 1), httu1,
         with(with(cd, cd::HA, 1), cd::HD, 1), c([](CdContext& k) { k.smmu.httu = 2; }), CdReason::Httu},
        {"S with no stall model", with(cd, cd::S, 1), d, with(cd, cd::S, 1), stalls, CdReason::Stall},
        {"S with STE.S1STALLD", with(cd, cd::S, 1),
         c([](CdContext& k) { k.smmu.stall_model = 0, k.s1stalld = true; }), cd,
         c([](CdContext& k) { k.smmu.stall_model = 0, k.s1stalld = true; }), CdReason::Stall},
        {"S = 0 with a forced stall model", cd, c([](CdContext& k) { k.smmu.stall_model = 2; }),
         with(cd, cd::S, 1), c([](CdContext& k) { k.smmu.stall_model = 2; }), CdReason::Stall},
        {"A = 0 with an abort-only termination model", with(cd, cd::A, 0),
         c([](CdContext& k) { k.smmu.term_model = true; }), with(cd, cd::A, 0), d, CdReason::Abort},
        {"ASID[15:8] without ASID16", with(cd, cd::ASID, 0x100), c([](CdContext& k) { k.smmu.asid16 = false; }),
         with(cd, cd::ASID, 0xff), c([](CdContext& k) { k.smmu.asid16 = false; }), CdReason::Asid},
    };
}
}  // namespace

TEST(Cd, EveryValidityRuleAndItsNearestLegalNeighbour)
{
    for (const Rule& r : rules()) {
        EXPECT_EQ(why(r.bad, r.bad_ctx), r.reason) << r.name;
        EXPECT_EQ(why(r.good, r.good_ctx), CdReason::None) << r.name << " (legal neighbour)";
    }
}
