// SPDX-License-Identifier: GPL-2.0-only
// CD decoding and validity (cd.h). Each rule cites IHI 0070 5.4 (or 5.5);
// rules the model adds for what it does not implement say "model".
#include "cd.h"

#include <algorithm>

#include "../evtq.h"
#include "../smmuv3_regs.h"
#include "vmsa_params.h"

namespace smmusim::smmuv3 {
namespace {

Fault bad_cd(CdReason why)
{
    Fault f;
    f.type = evt::C_BAD_CD;
    f.reason = uint8_t(why);
    return f;
}

// T0SZ's legal range (5.4 T0SZ; IDR3.STT raises the maximum, IDR5.VAX lowers the minimum).
bool t0sz_ok(unsigned t0sz, Granule g, const SteContext& smmu)
{
    const unsigned max = smmu.stt ? (g == Granule::k64K ? 47 : 48) : 39;
    const unsigned min = (smmu.va_bits >= 52 && g == Granule::k64K) ? 12 : 16;
    return t0sz >= min && t0sz <= max;
}

// The TTB0 half's walk: granule, sizes, starting level, TTB0 (IGNORED with EPD0).
CdReason decode_ttb0(const Dwords8& e, const SteContext& smmu, StageConfig& s1)
{
    s1.oa_bits = std::min(vmsa::ps_bits(cd::IPS.get(e)), smmu.oas_bits);  // eff_IPS, capped (5.4 IPS)
    if (s1.epd0)
        return CdReason::None;
    const auto g = vmsa::tg0_granule(cd::TG0.get(e));
    if (!g || !smmu.granule_ok(*g))
        return CdReason::Tg0;
    const unsigned t0sz = unsigned(cd::T0SZ.get(e));
    if (!t0sz_ok(t0sz, *g, smmu))
        return CdReason::T0SZ;
    const uint64_t ttb = cd::TTB0.get(e) << 4;
    if ((ttb >> s1.oa_bits) || (*g != Granule::k64K && (ttb >> 48)))
        return CdReason::Ttb0;
    s1.granule = *g, s1.ia_bits = 64 - t0sz;
    s1.start_level = vmsa::s1_start_level(s1.ia_bits, *g);
    const int bits = vmsa::initial_level_bits(s1.ia_bits, *g, s1.start_level);
    s1.ttb = ttb & ~((1ull << vmsa::table_align_log2(bits, s1.oa_bits)) - 1);  // aligned by the SMMU
    return CdReason::None;
}

// Endianness, HTTU, fault behaviour (A, R, S), permissions controls.
CdReason decode_controls(const Dwords8& e, const CdContext& ctx, bool epd1, StageConfig& s1)
{
    const SteContext& smmu = ctx.smmu;
    s1.big_endian = cd::ENDI.get(e);
    const bool walks = !(s1.epd0 && epd1);  // ENDI is IGNORED when neither half walks
    if (walks && !smmu.endianness_ok(s1.big_endian))
        return CdReason::Endi;
    const bool ha = cd::HA.get(e), hd = cd::HD.get(e);
    if ((ha && smmu.httu == 0) || (hd && smmu.httu < 2))
        return CdReason::Httu;
    s1.ha = ha, s1.hd = ha && hd;  // {HD, HA} = 0b10 behaves as 0b00
    s1.stall = cd::S.get(e);
    if ((s1.stall && smmu.stall_model == idr0::STALL_MODEL_NONE) ||
        (s1.stall && smmu.stall_model == idr0::STALL_MODEL_STALL && ctx.s1stalld) ||
        (!s1.stall && smmu.stall_model == idr0::STALL_MODEL_FORCE))
        return CdReason::Stall;
    if (smmu.term_model && !cd::A.get(e))
        return CdReason::Abort;
    s1.record = cd::R.get(e), s1.affd = cd::AFFD.get(e);
    s1.wxn = cd::WXN.get(e), s1.uwxn = cd::UWXN.get(e), s1.pan = cd::PAN.get(e);
    s1.tbi = uint8_t(cd::TBI0.get(e) | cd::TBI1.get(e) << 1);
    return CdReason::None;
}

CdReason decode(const Dwords8& e, const CdContext& ctx, CdConfig& c)
{
    if (!cd::AA64.get(e) || !ctx.smmu.ttf_aa64)
        return CdReason::Aa64;
    // EPD0/EPD1 are IGNORED (effective 0) in an EL2 StreamWorld, where
    // there is no TTB1 (5.4 EPD0, T1SZ).
    const bool el2 = ctx.regime == Regime::El2;
    const bool epd1 = !el2 && cd::EPD1.get(e);
    if (!el2 && !epd1)
        return CdReason::Ttb1;
    c.s1.epd0 = !el2 && cd::EPD0.get(e);
    CdReason r = decode_ttb0(e, ctx.smmu, c.s1);
    if (r != CdReason::None || (r = decode_controls(e, ctx, epd1, c.s1)) != CdReason::None)
        return r;
    // ASID tags NS-EL1 and EL2-E2H translations; IGNORED at EL2 (5.4 ASID).
    const uint64_t asid = el2 ? 0 : cd::ASID.get(e);
    if (!ctx.smmu.asid16 && (asid >> 8))
        return CdReason::Asid;
    c.asid = uint16_t(asid), c.aset = cd::ASET.get(e), c.a = cd::A.get(e);
    c.mair = e[cd::MAIR0.dword];
    c.s1.enabled = c.valid = true;
    return CdReason::None;
}

}  // namespace

CdDecode decode_cd(const Dwords8& e, const CdContext& ctx)
{
    if (!cd::V.get(e))
        return bad_cd(CdReason::Invalid);
    CdConfig c;
    const CdReason r = decode(e, ctx, c);
    if (r != CdReason::None)
        return bad_cd(r);
    return c;
}

}  // namespace smmusim::smmuv3
