// SPDX-License-Identifier: GPL-2.0-only
// STE decoding and validity (ste.h). Each rule cites IHI 0070 5.2 (or the
// section it comes from); rules the model adds for what it does not
// implement say "model".
#include "ste.h"

#include <algorithm>

#include "../evtq.h"
#include "../smmuv3_regs.h"
#include "vmsa_params.h"

namespace smmusim::smmuv3 {

SteContext SteContext::from_registers(uint32_t idr0, uint32_t idr1, uint32_t idr3, uint32_t idr5, uint32_t cr0,
                                      uint32_t cr2)
{
    static constexpr unsigned kOas[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    SteContext c;
    c.s1p = idr0::S1P.get(idr0), c.s2p = idr0::S2P.get(idr0), c.hyp = idr0::HYP.get(idr0);
    c.ats = idr0::ATS.get(idr0), c.ns1ats = idr0::NS1ATS.get(idr0);
    c.asid16 = idr0::ASID16.get(idr0), c.vmid16 = idr0::VMID16.get(idr0), c.cd2l = idr0::CD2L.get(idr0);
    c.st_2lvl = idr0::ST_LVL.get(idr0) == idr0::ST_LVL_2LVL;
    c.ttf_aa64 = idr0::TTF.get(idr0) & 2;
    c.httu = uint8_t(idr0::HTTU.get(idr0)), c.ttendian = uint8_t(idr0::TTENDIAN.get(idr0));
    c.stall_model = uint8_t(idr0::STALL_MODEL.get(idr0)), c.term_model = idr0::TERM_MODEL.get(idr0);
    c.sidsize = unsigned(idr1::SIDSIZE.get(idr1)), c.ssidsize = unsigned(idr1::SSIDSIZE.get(idr1));
    c.fwb = idr3::FWB.get(idr3), c.stt = idr3::STT.get(idr3);
    c.oas_bits = kOas[idr5::OAS.get(idr5) & 7];
    c.va_bits = idr5::VAX.get(idr5) == 1 ? 52 : 48;
    c.gran4k = idr5::GRAN4K.get(idr5), c.gran16k = idr5::GRAN16K.get(idr5), c.gran64k = idr5::GRAN64K.get(idr5);
    c.e2h = cr2::E2H.get(cr2), c.recinvsid = cr2::RECINVSID.get(cr2), c.atschk = cr0::ATSCHK.get(cr0);
    return c;
}

namespace {

Fault bad_ste(SteReason why)
{
    Fault f;
    f.type = evt::C_BAD_STE;
    f.reason = uint8_t(why);
    return f;
}

// Stage 1's STE fields: the CD table and its substreams, the StreamWorld.
SteReason decode_s1(const Dwords8& e, const SteContext& ctx, StreamConfig& c)
{
    // S1CDMax is IGNORED without substreams; above SSIDSIZE it is ILLEGAL (5.2 S1CDMax).
    const unsigned cdmax = ctx.ssidsize ? unsigned(ste::S1CDMax.get(e)) : 0;
    if (cdmax > ctx.ssidsize)
        return SteReason::S1CDMax;
    uint64_t fmt = cdmax ? ste::S1Fmt.get(e) : ste::S1FMT_LINEAR;  // IGNORED with one CD
    if (fmt != ste::S1FMT_LINEAR && !ctx.cd2l)
        return SteReason::S1Fmt;  // 5.2 S1Fmt: 2-level tables need IDR0.CD2L
    if (fmt == 3)
        fmt = ste::S1FMT_LINEAR;  // reserved, behaves as 0b00 (5.2 S1Fmt)
    const uint64_t ptr = ste::S1ContextPtr.get(e) << 6;
    if (ptr >> ctx.oas_bits)
        return SteReason::S1ContextPtr;  // 3.4.3: a PA beyond the OAS, or an IPA beyond the IAS (= OAS)
    if (ctx.stall_model != idr0::STALL_MODEL_STALL && ste::S1STALLD.get(e))
        return SteReason::S1StallD;  // 5.5
    c.s1_context_ptr = ptr, c.s1_cdmax = cdmax, c.s1_fmt = uint8_t(fmt);
    const uint64_t dss = ste::S1DSS.get(e);
    c.s1_dss = uint8_t(cdmax == 0 || dss == 3 ? ste::S1DSS_TERMINATE : dss);  // 0b11 behaves as 0b00
    c.s1stalld = ste::S1STALLD.get(e);
    return SteReason::None;
}

// StreamWorld (5.2 STRW): NS-EL1 whenever stage 2 translates; otherwise
// STRW with CR2.E2H. Without IDR0.HYP STRW is RES0 and read as NS-EL1 (model).
SteReason decode_strw(const Dwords8& e, const SteContext& ctx, StreamConfig& c)
{
    c.regime = Regime::Nh;
    if (c.s2_enabled || !ctx.hyp)
        return SteReason::None;
    const uint64_t strw = ste::STRW.get(e);
    if (strw & 1)
        return SteReason::Strw;  // 0b01 / 0b11: reserved, ILLEGAL
    if (strw == ste::STRW_EL2)
        c.regime = ctx.e2h ? Regime::El2E2h : Regime::El2;
    return SteReason::None;
}

// S2T0SZ's legal range (5.2 S2T0SZ, SMMUv3.1 and later: out of range is ILLEGAL).
bool s2t0sz_ok(unsigned t0sz, Granule g, const SteContext& ctx)
{
    const unsigned max = ctx.stt ? (g == Granule::k64K ? 47 : 48) : 39;
    const unsigned floor = (g == Granule::k64K && ctx.oas_bits >= 52) ? 12 : 16;
    return t0sz <= max && t0sz >= std::max(floor, 64 - ctx.oas_bits);
}

// The stage-2 walk's geometry: granule, sizes, start level, concatenation, S2TTB.
SteReason decode_s2_geometry(const Dwords8& e, const SteContext& ctx, StageConfig& s2)
{
    if (!ste::S2AA64.get(e) || !ctx.ttf_aa64)
        return SteReason::S2Aa64;  // VMSAv8-32 LPAE: IDR0.TTF[0] = 0 (5.2 S2AA64)
    const auto g = vmsa::tg0_granule(ste::S2TG.get(e));
    if (!g || !ctx.granule_ok(*g))
        return SteReason::S2Tg;
    const unsigned t0sz = unsigned(ste::S2T0SZ.get(e));
    if (!s2t0sz_ok(t0sz, *g, ctx))
        return SteReason::S2T0SZ;
    const auto level = vmsa::s2_start_level(ste::S2SL0.get(e), *g, ctx.oas_bits);
    const int bits = level ? vmsa::initial_level_bits(64 - t0sz, *g, *level) : 0;
    const int stride = int(vmsa::stride(*g));
    if (!level || bits < 1 || bits > stride + 4)
        return SteReason::S2SL0;  // Arm ARM AArch64.S2InvalidSL / S2InconsistentSL
    s2.granule = *g, s2.ia_bits = 64 - t0sz, s2.start_level = *level;
    s2.concat = bits > stride ? 1u << (bits - stride) : 1u;
    s2.oa_bits = std::min(vmsa::ps_bits(ste::S2PS.get(e)), ctx.oas_bits);  // eff_S2PS, capped (5.2 S2PS)
    const uint64_t ttb = ste::S2TTB.get(e) << 4;
    if ((ttb >> s2.oa_bits) || (*g != Granule::k64K && (ttb >> 48)))
        return SteReason::S2Ttb;
    s2.ttb = ttb & ~((1ull << vmsa::table_align_log2(bits, s2.oa_bits)) - 1);  // aligned by the SMMU
    return SteReason::None;
}

// Stage 2's other controls: endianness, HTTU, fault behaviour.
SteReason decode_s2_controls(const Dwords8& e, const SteContext& ctx, StageConfig& s2)
{
    s2.big_endian = ste::S2ENDI.get(e);
    if (!ctx.endianness_ok(s2.big_endian))
        return SteReason::S2Endi;
    const bool ha = ste::S2HA.get(e), hd = ste::S2HD.get(e);
    if ((ha && ctx.httu == 0) || (hd && ctx.httu < 2))
        return SteReason::S2Httu;
    s2.ha = ha, s2.hd = ha && hd;  // {S2HA, S2HD} = 0b01 behaves as 0b00
    s2.stall = ste::S2S.get(e);
    if ((ctx.stall_model == idr0::STALL_MODEL_NONE && s2.stall) ||
        (ctx.stall_model == idr0::STALL_MODEL_FORCE && !s2.stall))
        return SteReason::S2Stall;  // 5.5
    s2.record = ste::S2R.get(e), s2.affd = ste::S2AFFD.get(e), s2.s2ptw = ste::S2PTW.get(e);
    s2.enabled = true;
    return SteReason::None;
}

// EATS (5.2 EATS): IGNORED without IDR0.ATS or with Config[1:0] = 0b00.
SteReason decode_eats(const Dwords8& e, const SteContext& ctx, uint64_t config, StreamConfig& c)
{
    const uint64_t eats = ste::EATS.get(e);
    const bool s2s = ste::S2S.get(e);
    if (!ctx.ats || (config & 3) == 0)
        return SteReason::None;
    if (eats == ste::EATS_TRANS && c.s2_enabled && s2s)
        return SteReason::Eats;
    if (eats == ste::EATS_S1CHK && (config != ste::CONFIG_NESTED || s2s || ctx.ns1ats))
        return SteReason::Eats;
    // 0b10 without CR0.ATSCHK, and 0b11 (DPT checks; IDR3.DPT = 0), behave as 0b00.
    if (eats == ste::EATS_TRANS || (eats == ste::EATS_S1CHK && ctx.atschk))
        c.eats_mode = uint8_t(eats);
    c.eats = c.eats_mode != 0;
    return SteReason::None;
}

// S2VMID tags NS-EL1 translations when stage 2 is implemented (5.2 S2VMID).
SteReason decode_vmid(const Dwords8& e, const SteContext& ctx, StreamConfig& c)
{
    if (!ctx.s2p || c.regime != Regime::Nh)
        return SteReason::None;
    const uint64_t vmid = ste::S2VMID.get(e);
    if (!ctx.vmid16 && (vmid >> 8))
        return SteReason::S2Vmid;
    c.vmid = uint16_t(vmid);
    return SteReason::None;
}

SteReason decode_translate(const Dwords8& e, const SteContext& ctx, uint64_t config, StreamConfig& c)
{
    c.mode = StreamMode::Translate;
    c.s1_enabled = config & 1, c.s2_enabled = config & 2;
    if (c.s1_enabled && !ctx.s1p)
        return SteReason::S1NotImpl;
    if (c.s2_enabled && !ctx.s2p)
        return SteReason::S2NotImpl;
    SteReason r = SteReason::None;
    if (c.s1_enabled && (r = decode_s1(e, ctx, c)) != SteReason::None)
        return r;
    if (c.s2_enabled && ((r = decode_s2_geometry(e, ctx, c.s2)) != SteReason::None ||
                         (r = decode_s2_controls(e, ctx, c.s2)) != SteReason::None))
        return r;
    if ((r = decode_strw(e, ctx, c)) != SteReason::None || (r = decode_vmid(e, ctx, c)) != SteReason::None)
        return r;
    c.s2.fwb = c.s2_enabled && ctx.fwb && ste::S2FWB.get(e);  // RES0 without IDR3.FWB
    return decode_eats(e, ctx, config, c);
}

}  // namespace

SteDecode decode_ste(const Dwords8& e, const SteContext& ctx)
{
    if (!ste::V.get(e))
        return bad_ste(SteReason::Invalid);
    const uint64_t config = ste::Config.get(e);
    StreamConfig c;
    c.mev = ste::MEV.get(e);
    if (!(config & 4)) {
        c.mode = StreamMode::Abort;  // 0b000 and the reserved 0b0xx: abort, no event (5.2 Config)
        return c;
    }
    if (config == ste::CONFIG_BYPASS) {
        c.mode = StreamMode::Bypass;  // EATS effectively 0b00
        return c;
    }
    const SteReason r = decode_translate(e, ctx, config, c);
    if (r != SteReason::None)
        return bad_ste(r);
    return c;
}

}  // namespace smmusim::smmuv3
