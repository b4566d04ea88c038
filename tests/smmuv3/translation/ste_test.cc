// SPDX-License-Identifier: GPL-2.0-only
// decode_ste(): the STEs Linux writes decode to what they mean, and every
// validity rule of ste.h has a row with an STE that breaks it and its
// nearest legal neighbour (IHI 0070 5.2, 5.5, 3.4.3).
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "linux_entries.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/ste.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using test::Entry;

namespace {

const test::LinuxSmmu kLinux;
constexpr uint64_t kCdTab = 0x8000'1000, kVttbr = 0x9000'0000;

Entry s1_ste() { return test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 0, 0, false, 0); }
Entry s2_ste(const test::Vtcr& v = {}) { return test::arm_smmu_make_s2_domain_ste(kLinux, 5, v, kVttbr, false); }
Entry nested_ste()
{
    Entry vste;  // the guest's STE: a linear CD table of 2^4 CDs at IPA 0x4000_0000
    ste::V.set(vste.d, 1), ste::Config.set(vste.d, ste::CONFIG_S1_TRANS), ste::S1CDMax.set(vste.d, 4);
    vste.d[0] |= 0x4000'0000;
    ste::S1DSS.set(vste.d, ste::S1DSS_SSID0);
    return test::arm_smmu_make_nested_cd_table_ste(kLinux, 7, {}, kVttbr, vste.d[0], vste.d[1], false);
}

StreamConfig decoded(const Entry& e, const SteContext& ctx = {})
{
    SteDecode d = decode_ste(e.d, ctx);
    EXPECT_TRUE(std::holds_alternative<StreamConfig>(d))
        << "C_BAD_STE reason " << int(std::get<Fault>(d).reason);
    return std::holds_alternative<StreamConfig>(d) ? std::get<StreamConfig>(d) : StreamConfig{};
}

// The reason an STE is C_BAD_STE (None: it decodes).
SteReason why(const Entry& e, const SteContext& ctx)
{
    SteDecode d = decode_ste(e.d, ctx);
    if (std::holds_alternative<StreamConfig>(d))
        return SteReason::None;
    EXPECT_EQ(std::get<Fault>(d).type, evt::C_BAD_STE);
    return SteReason(std::get<Fault>(d).reason);
}

Entry with(Entry e, const DwordField& f, uint64_t v)
{
    f.set(e.d, v);
    return e;
}
Entry vtcr_ste(unsigned tsz, unsigned sl, unsigned tg = 0)
{
    test::Vtcr v;
    v.tsz = tsz, v.sl = sl, v.tg = tg;
    return s2_ste(v);
}
SteContext ctx_with(const std::function<void(SteContext&)>& f)
{
    SteContext c;
    f(c);
    return c;
}

}  // namespace

TEST(Ste, LinuxAbortSteAbortsWithoutAnEvent)
{
    // 5.2 Config 0b000: "Report abort to device, no event recorded".
    const StreamConfig c = decoded(test::arm_smmu_make_abort_ste());
    EXPECT_EQ(c.mode, StreamMode::Abort);
}

TEST(Ste, ReservedConfigsBehaveAsAbort)
{
    for (uint64_t cfg : {1, 2, 3})  // 5.2 Config: 0b0xx reserved, behaves as 0b000
        EXPECT_EQ(decoded(with(s1_ste(), ste::Config, cfg)).mode, StreamMode::Abort) << cfg;
}

TEST(Ste, LinuxBypassSteBypassesAndIgnoresTheStageFields)
{
    test::LinuxSmmu lx;
    lx.attr_types_ovr = true;
    Entry e = test::arm_smmu_make_bypass_ste(lx);
    ste::S2TG.set(e.d, 3), ste::STRW.set(e.d, 1), ste::EATS.set(e.d, 1);  // IGNORED with Config = 0b100
    const StreamConfig c = decoded(e);
    EXPECT_EQ(c.mode, StreamMode::Bypass);
    EXPECT_FALSE(c.eats);  // "STE.EATS value effectively 0b00"
}

TEST(Ste, LinuxCdTableSte)
{
    const StreamConfig c = decoded(test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 0, 0, true, 0));
    EXPECT_EQ(c.mode, StreamMode::Translate);
    EXPECT_TRUE(c.s1_enabled);
    EXPECT_FALSE(c.s2_enabled);
    EXPECT_EQ(c.s1_context_ptr, kCdTab);
    EXPECT_EQ(c.s1_cdmax, 0u);
    EXPECT_EQ(c.regime, Regime::Nh);
    EXPECT_EQ(c.vmid, 0u);  // "VMID 0 is reserved for stage-2 bypass EL1 STEs"
    EXPECT_EQ(c.eats_mode, 1u);
    EXPECT_TRUE(c.eats);
}

TEST(Ste, LinuxCdTableSteWithSubstreams)
{
    // arm_smmu_alloc_cd_tables() with ssid_bits = 20 and CD2L: S1FMT_64K_L2, S1CDMax = 20.
    const StreamConfig c = decoded(test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 2, 20, false, 1));
    EXPECT_EQ(c.s1_fmt, ste::S1FMT_64K_L2);
    EXPECT_EQ(c.s1_cdmax, 20u);
    EXPECT_EQ(c.s1_dss, ste::S1DSS_BYPASS);
}

TEST(Ste, StreamWorldFromStrwAndE2h)
{
    test::LinuxSmmu lx;
    lx.e2h = true;  // ARM_SMMU_FEAT_E2H: STRW = EL2
    const Entry e = with(test::arm_smmu_make_cdtable_ste(lx, kCdTab, 0, 0, false, 0), ste::S2VMID, 9);
    EXPECT_EQ(decoded(e, ctx_with([](SteContext& c) { c.e2h = true; })).regime, Regime::El2E2h);
    const StreamConfig el2 = decoded(e);
    EXPECT_EQ(el2.regime, Regime::El2);
    EXPECT_EQ(el2.vmid, 0u);  // S2VMID is IGNORED outside NS-EL1 (5.2 S2VMID)
    // STRW is IGNORED when stage 2 translates: NS-EL1 (5.2 STRW).
    EXPECT_EQ(decoded(with(nested_ste(), ste::STRW, ste::STRW_EL2)).regime, Regime::Nh);
}

TEST(Ste, LinuxS2DomainSte4K48Bit)
{
    const StreamConfig c = decoded(s2_ste());
    EXPECT_EQ(c.mode, StreamMode::Translate);
    EXPECT_FALSE(c.s1_enabled);
    ASSERT_TRUE(c.s2_enabled);
    EXPECT_EQ(c.vmid, 5u);
    const StageConfig& s2 = c.s2;
    EXPECT_TRUE(s2.enabled);
    EXPECT_EQ(s2.granule, Granule::k4K);
    EXPECT_EQ(s2.ia_bits, 48u);
    EXPECT_EQ(s2.oa_bits, 48u);
    EXPECT_EQ(s2.start_level, 0u);  // io-pgtable: sl = ~(start_level + 1) & 3 = 2
    EXPECT_EQ(s2.concat, 1u);
    EXPECT_EQ(s2.ttb, kVttbr);
    EXPECT_TRUE(s2.record);
    EXPECT_TRUE(s2.s2ptw);
    EXPECT_FALSE(s2.stall);
    EXPECT_FALSE(s2.big_endian);
}

TEST(Ste, StageTwoStartLevelsAndConcatenation)
{
    struct Case {
        unsigned tsz, sl, tg, level, concat;
    } cases[] = {
        {24, 1, 0, 1, 2},    // 4K, 40-bit IPA: level 1, 2 tables (io-pgtable's concatenated pgd)
        {21, 1, 0, 1, 16},   // 4K, 43-bit IPA: level 1, 16 tables (the most)
        {25, 1, 0, 1, 1},    // 4K, 39-bit IPA: level 1, one table
        {39, 0, 0, 2, 1},    // 4K, 25-bit IPA: level 2, 16 entries
        {16, 2, 2, 1, 2},    // 16K, 48-bit IPA: level 1, 2 tables
        {28, 1, 2, 2, 1},    // 16K, 36-bit IPA: level 2
        {16, 2, 1, 1, 1},    // 64K, 48-bit IPA: level 1 (64 entries)
        {22, 1, 1, 2, 1},    // 64K, 42-bit IPA: level 2 (8192 entries)
        {34, 0, 1, 3, 2},    // 64K, 30-bit IPA: level 3, 2 tables
        {35, 0, 1, 3, 1},    // 64K, 29-bit IPA: level 3, 8192 entries
    };
    for (const Case& k : cases) {
        const StreamConfig c = decoded(vtcr_ste(k.tsz, k.sl, k.tg));
        EXPECT_EQ(c.s2.start_level, k.level) << k.tsz << "/" << k.sl << "/" << k.tg;
        EXPECT_EQ(c.s2.concat, k.concat) << k.tsz << "/" << k.sl << "/" << k.tg;
        EXPECT_EQ(c.s2.ia_bits, 64 - k.tsz);
    }
}

TEST(Ste, S2TtbIsAlignedToTheStartingTables)
{
    // 4K, 40-bit IPA, 2 concatenated tables: 8 KiB aligned (5.2 S2TTB: bits [x-1:0] taken as zero).
    Entry e = vtcr_ste(24, 1);
    e.d[3] = 0x9000'1ff0;
    EXPECT_EQ(decoded(e).s2.ttb, 0x9000'0000u);
    // 4K, 25-bit IPA, level 2 with 16 entries: 128-byte aligned.
    e = vtcr_ste(39, 0);
    e.d[3] = 0x9000'01f0;
    EXPECT_EQ(decoded(e).s2.ttb, 0x9000'0180u);
}

TEST(Ste, S2psIsCappedAtTheOas)
{
    // 5.2 S2PS: eff_S2PS = MIN(S2PS, OAS); 0b111 behaves as 0b110 (SMMUv3.1-3.3).
    EXPECT_EQ(decoded(with(s2_ste(), ste::S2PS, 6)).s2.oa_bits, 48u);
    EXPECT_EQ(decoded(with(s2_ste(), ste::S2PS, 7)).s2.oa_bits, 48u);
    const SteContext oas52 = ctx_with([](SteContext& c) { c.oas_bits = 52; });
    EXPECT_EQ(decoded(with(s2_ste(), ste::S2PS, 7), oas52).s2.oa_bits, 52u);
    EXPECT_EQ(decoded(with(s2_ste(), ste::S2PS, 0)).s2.oa_bits, 32u);
    EXPECT_EQ(decoded(with(s2_ste(), ste::S2PS, 2)).s2.oa_bits, 40u);
}

TEST(Ste, LinuxNestedSte)
{
    const StreamConfig c = decoded(nested_ste());
    EXPECT_TRUE(c.s1_enabled);
    EXPECT_TRUE(c.s2_enabled);
    EXPECT_EQ(c.s1_context_ptr, 0x4000'0000u);  // an IPA
    EXPECT_EQ(c.s1_cdmax, 4u);
    EXPECT_EQ(c.s1_dss, ste::S1DSS_SSID0);
    EXPECT_EQ(c.vmid, 7u);
    EXPECT_TRUE(c.mev);
    EXPECT_EQ(c.s2.start_level, 0u);
}

TEST(Ste, IgnoredAndReservedEncodings)
{
    // S1Fmt 0b11 and S1DSS 0b11 behave as 0b00 (5.2).
    const StreamConfig c = decoded(with(with(test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 0, 8, false, 0),
                                             ste::S1Fmt, 3),
                                        ste::S1DSS, 3));
    EXPECT_EQ(c.s1_fmt, ste::S1FMT_LINEAR);
    EXPECT_EQ(c.s1_dss, ste::S1DSS_TERMINATE);
    // Without substreams (IDR1.SSIDSIZE = 0) S1CDMax, S1Fmt and S1DSS are IGNORED.
    const SteContext no_ssid = ctx_with([](SteContext& k) { k.ssidsize = 0; });
    const StreamConfig one = decoded(test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 2, 20, false, 1), no_ssid);
    EXPECT_EQ(one.s1_cdmax, 0u);
    EXPECT_EQ(one.s1_fmt, ste::S1FMT_LINEAR);
    // Stage-2 fields are IGNORED with stage 2 off, stage-1 fields with stage 1 off.
    EXPECT_EQ(decoded(with(s1_ste(), ste::S2TG, 3)).mode, StreamMode::Translate);
    EXPECT_EQ(decoded(with(s2_ste(), ste::S1CDMax, 31)).mode, StreamMode::Translate);
    // S2FWB is RES0 without IDR3.FWB.
    EXPECT_TRUE(decoded(with(s2_ste(), ste::S2FWB, 1)).s2.fwb);
    EXPECT_FALSE(decoded(with(s2_ste(), ste::S2FWB, 1), ctx_with([](SteContext& k) { k.fwb = false; })).s2.fwb);
    // {S2HA, S2HD} = 0b01 behaves as 0b00 where HD is legal.
    const StreamConfig hd = decoded(with(s2_ste(), ste::S2HD, 1), ctx_with([](SteContext& k) { k.httu = 2; }));
    EXPECT_FALSE(hd.s2.hd);
    EXPECT_FALSE(hd.s2.ha);
}

TEST(Ste, EatsEffectiveValue)
{
    // IGNORED without IDR0.ATS (not ILLEGAL): effective 0b00 (5.2 EATS).
    const SteContext no_ats = ctx_with([](SteContext& k) { k.ats = false; });
    EXPECT_EQ(decoded(with(s1_ste(), ste::EATS, 1), no_ats).eats_mode, 0u);
    EXPECT_EQ(decoded(with(s1_ste(), ste::EATS, 2), no_ats).eats_mode, 0u);
    // Split-stage needs CR0.ATSCHK, else it behaves as 0b00; 0b11 (DPT) behaves as 0b00 without IDR3.DPT.
    EXPECT_EQ(decoded(with(nested_ste(), ste::EATS, 2)).eats_mode, 0u);
    EXPECT_EQ(decoded(with(nested_ste(), ste::EATS, 2), ctx_with([](SteContext& k) { k.atschk = true; })).eats_mode,
              2u);
    EXPECT_EQ(decoded(with(s1_ste(), ste::EATS, 3)).eats_mode, 0u);
}

// ---- one row per validity rule: the STE that breaks it, its nearest legal neighbour
namespace {
struct Rule {
    std::string name;
    Entry bad;
    SteContext bad_ctx;
    Entry good;
    SteContext good_ctx;
    SteReason reason;
};

std::vector<Rule> rules()
{
    const SteContext d;
    auto c = ctx_with;
    const SteContext stalls = c([](SteContext& k) { k.stall_model = 0; });
    const SteContext oas40 = c([](SteContext& k) { k.oas_bits = 40; });
    const SteContext oas52 = c([](SteContext& k) { k.oas_bits = 52; });
    const Entry s2 = s2_ste(), s1 = s1_ste();
    const Entry ssid = test::arm_smmu_make_cdtable_ste(kLinux, kCdTab, 2, 10, false, 0);
    return {
        {"V=0", with(s1, ste::V, 0), d, s1, d, SteReason::Invalid},
        {"stage 1 without S1P", s1, c([](SteContext& k) { k.s1p = false; }), s1, d, SteReason::S1NotImpl},
        {"stage 2 without S2P", s2, c([](SteContext& k) { k.s2p = false; }), s2, d, SteReason::S2NotImpl},
        {"nested without S1P", nested_ste(), c([](SteContext& k) { k.s1p = false; }), nested_ste(), d,
         SteReason::S1NotImpl},
        {"S1CDMax > SSIDSIZE", with(ssid, ste::S1CDMax, 21), d, with(ssid, ste::S1CDMax, 20), d, SteReason::S1CDMax},
        {"S1Fmt 2-level without CD2L", ssid, c([](SteContext& k) { k.cd2l = false; }), with(ssid, ste::S1Fmt, 0),
         c([](SteContext& k) { k.cd2l = false; }), SteReason::S1Fmt},
        {"S1Fmt reserved without CD2L", with(ssid, ste::S1Fmt, 3), c([](SteContext& k) { k.cd2l = false; }),
         with(ssid, ste::S1Fmt, 3), d, SteReason::S1Fmt},
        {"S1ContextPtr beyond the OAS", test::arm_smmu_make_cdtable_ste(kLinux, 1ull << 48, 0, 0, false, 0), d,
         test::arm_smmu_make_cdtable_ste(kLinux, (1ull << 48) - 64, 0, 0, false, 0), d, SteReason::S1ContextPtr},
        {"S1STALLD without a configurable stall model", with(s1, ste::S1STALLD, 1), d, with(s1, ste::S1STALLD, 1),
         stalls, SteReason::S1StallD},
        {"STRW 0b01", with(s1, ste::STRW, 1), d, with(s1, ste::STRW, 2), d, SteReason::Strw},
        {"STRW 0b11", with(s1, ste::STRW, 3), d, with(s1, ste::STRW, 0), d, SteReason::Strw},
        {"S2AA64 = 0 (VMSAv8-32 LPAE)", with(s2, ste::S2AA64, 0), d, s2, d, SteReason::S2Aa64},
        {"S2TG reserved", with(s2, ste::S2TG, 3), d, s2, d, SteReason::S2Tg},
        {"S2TG 16K not in IDR5", vtcr_ste(16, 2, 2), c([](SteContext& k) { k.gran16k = false; }), vtcr_ste(16, 2, 2),
         d, SteReason::S2Tg},
        {"S2T0SZ below 16", vtcr_ste(15, 2), d, vtcr_ste(16, 2), d, SteReason::S2T0SZ},
        {"S2T0SZ above 39", vtcr_ste(40, 0), d, vtcr_ste(39, 0), d, SteReason::S2T0SZ},
        {"S2T0SZ below 64 - IAS", vtcr_ste(23, 1), oas40, vtcr_ste(24, 1), oas40, SteReason::S2T0SZ},
        {"S2T0SZ 12 with 64K and a 52-bit IAS", vtcr_ste(11, 2, 1), oas52, vtcr_ste(12, 2, 1), oas52,
         SteReason::S2T0SZ},
        {"S2SL0 = 3 with 4K (needs STT)", vtcr_ste(16, 3), d, vtcr_ste(16, 2), d, SteReason::S2SL0},
        {"S2SL0 = 3 with 64K", vtcr_ste(16, 3, 1), d, vtcr_ste(16, 2, 1), d, SteReason::S2SL0},
        {"S2SL0 level 1 for a 48-bit IPA (512 tables)", vtcr_ste(16, 1), d, vtcr_ste(16, 2), d, SteReason::S2SL0},
        {"S2SL0 level 1 needing 32 tables", vtcr_ste(20, 1), d, vtcr_ste(21, 1), d, SteReason::S2SL0},
        {"S2SL0 level 2 for a 40-bit IPA", vtcr_ste(24, 0), d, vtcr_ste(24, 1), d, SteReason::S2SL0},
        {"S2SL0 level 0 resolving no bit", vtcr_ste(28, 2), d, vtcr_ste(28, 1), d, SteReason::S2SL0},
        {"S2SL0 level 0 with a 40-bit PA", vtcr_ste(24, 2), oas40, vtcr_ste(24, 1), oas40, SteReason::S2SL0},
        {"S2SL0 16K level 1 with a 40-bit PA", vtcr_ste(24, 2, 2), oas40, vtcr_ste(24, 1, 2), oas40,
         SteReason::S2SL0},
        {"S2TTB beyond S2PS", with(with(s2, ste::S2PS, 2), ste::S2TTB, (1ull << 40) >> 4), d,
         with(with(s2, ste::S2PS, 2), ste::S2TTB, ((1ull << 40) - 4096) >> 4), d, SteReason::S2Ttb},
        {"S2TTB beyond 48 bits with 4K", with(with(s2, ste::S2PS, 6), ste::S2TTB, (1ull << 48) >> 4), oas52,
         with(with(vtcr_ste(16, 2, 1), ste::S2PS, 6), ste::S2TTB, (1ull << 48) >> 4), oas52, SteReason::S2Ttb},
        {"S2ENDI big with little-endian tables only", with(s2, ste::S2ENDI, 1),
         c([](SteContext& k) { k.ttendian = 2; }), s2, c([](SteContext& k) { k.ttendian = 2; }), SteReason::S2Endi},
        {"S2ENDI little with big-endian tables only", s2, c([](SteContext& k) { k.ttendian = 3; }),
         with(s2, ste::S2ENDI, 1), c([](SteContext& k) { k.ttendian = 3; }), SteReason::S2Endi},
        {"S2HA without HTTU", with(s2, ste::S2HA, 1), d, with(s2, ste::S2HA, 1),
         c([](SteContext& k) { k.httu = 1; }), SteReason::S2Httu},
        {"S2HD with HTTU access only", with(with(s2, ste::S2HA, 1), ste::S2HD, 1),
         c([](SteContext& k) { k.httu = 1; }), with(with(s2, ste::S2HA, 1), ste::S2HD, 1),
         c([](SteContext& k) { k.httu = 2; }), SteReason::S2Httu},
        {"S2S with no stall model", with(s2, ste::S2S, 1), d, s2, d, SteReason::S2Stall},
        {"S2S = 0 with a forced stall model", s2, c([](SteContext& k) { k.stall_model = 2; }),
         with(s2, ste::S2S, 1), c([](SteContext& k) { k.stall_model = 2; }), SteReason::S2Stall},
        {"S2VMID[15:8] without VMID16", with(s2, ste::S2VMID, 0x100), c([](SteContext& k) { k.vmid16 = false; }),
         with(s2, ste::S2VMID, 0xff), c([](SteContext& k) { k.vmid16 = false; }), SteReason::S2Vmid},
        {"EATS full ATS with S2S", with(with(s2, ste::EATS, 1), ste::S2S, 1), stalls, with(s2, ste::EATS, 1), stalls,
         SteReason::Eats},
        {"EATS split-stage without nesting", with(s2, ste::EATS, 2), d, with(nested_ste(), ste::EATS, 2), d,
         SteReason::Eats},
        {"EATS split-stage with NS1ATS", with(nested_ste(), ste::EATS, 2), c([](SteContext& k) { k.ns1ats = true; }),
         with(nested_ste(), ste::EATS, 2), d, SteReason::Eats},
    };
}
}  // namespace

TEST(Ste, EveryValidityRuleAndItsNearestLegalNeighbour)
{
    for (const Rule& r : rules()) {
        EXPECT_EQ(why(r.bad, r.bad_ctx), r.reason) << r.name;
        EXPECT_EQ(why(r.good, r.good_ctx), SteReason::None) << r.name << " (legal neighbour)";
    }
}

TEST(Ste, ContextFromTheModelsRegisters)
{
    using namespace smmuv3;
    const uint32_t idr0 = uint32_t(idr0::S1P.put(1) | idr0::S2P.put(1) | idr0::TTF.put(idr0::TTF_AARCH64) |
                                   idr0::HYP.put(1) | idr0::ATS.put(1) | idr0::VMID16.put(1) | idr0::CD2L.put(1) |
                                   idr0::STALL_MODEL.put(idr0::STALL_MODEL_NONE) | idr0::ST_LVL.put(1));
    const uint32_t idr1 = uint32_t(idr1::SIDSIZE.put(32) | idr1::SSIDSIZE.put(20));
    const uint32_t idr5 = uint32_t(idr5::OAS.put(idr5::OAS_44) | idr5::GRAN4K.put(1) | idr5::GRAN64K.put(1));
    const SteContext c = SteContext::from_registers(idr0, idr1, uint32_t(idr3::FWB.put(1)), idr5,
                                                    uint32_t(cr0::ATSCHK.put(1)),
                                                    uint32_t(cr2::E2H.put(1) | cr2::RECINVSID.put(1)));
    EXPECT_TRUE(c.s1p && c.s2p && c.hyp && c.ats && c.vmid16 && c.cd2l && c.st_2lvl && c.ttf_aa64 && c.fwb);
    EXPECT_FALSE(c.asid16 || c.ns1ats || c.term_model || c.stt || c.gran16k);
    EXPECT_TRUE(c.gran4k && c.gran64k && c.e2h && c.recinvsid && c.atschk);
    EXPECT_EQ(c.stall_model, idr0::STALL_MODEL_NONE);
    EXPECT_EQ(c.sidsize, 32u);
    EXPECT_EQ(c.ssidsize, 20u);
    EXPECT_EQ(c.oas_bits, 44u);
    EXPECT_EQ(c.va_bits, 48u);
    EXPECT_EQ(c.httu, 0u);
}
