// SPDX-License-Identifier: GPL-2.0-only
// Locating STEs and CDs, and the fetch wrappers (stream_table.h).
#include "stream_table.h"

#include <algorithm>

#include "../evtq.h"
#include "../smmuv3_regs.h"

namespace smmusim::smmuv3 {
namespace {

// addr with bits [log2 - 1:0] cleared (log2 >= 64: nothing is left).
uint64_t align_down(uint64_t addr, unsigned log2)
{
    return log2 >= 64 ? 0 : addr & ~((1ull << log2) - 1);
}

Fault fault_of(uint8_t type, uint64_t fetch_addr = 0)
{
    Fault f;
    f.type = type;
    f.fetch_addr = fetch_addr;
    return f;
}

Fault bad_streamid(const SteContext& ctx)
{
    Fault f = fault_of(evt::C_BAD_STREAMID);
    f.record = ctx.recinvsid;  // 7.3.2: recorded only when SMMU_CR2.RECINVSID
    return f;
}

bool read_u64(TableReader& mem, uint64_t addr, uint64_t& v, unsigned& reads)
{
    reads++;
    return mem.read(addr, &v, 8);
}

// The STE of `sid` in a 2-level table at `base` (already aligned).
TableLocation ste_2lvl(uint64_t base, unsigned split, uint32_t sid, const SteContext& ctx, TableReader& mem)
{
    TableLocation loc;
    const uint64_t l1_addr = base + (uint64_t(sid) >> split) * 8;
    uint64_t desc = 0;
    if (!read_u64(mem, l1_addr, desc, loc.reads)) {
        loc.fault = fault_of(evt::F_STE_FETCH, l1_addr);
        return loc;
    }
    const unsigned span = unsigned(l1std::Span.get(desc));
    const uint64_t index = sid & ((1ull << split) - 1);
    // Span 0, reserved 12..31, above SPLIT + 1, or too small for the index (5.1.1).
    if (span == 0 || span >= 12 || span - 1 > split || (index >> (span - 1))) {
        loc.fault = bad_streamid(ctx);
        return loc;
    }
    const uint64_t l2 = align_down(l1std::L2Ptr.get(desc) << 6, 6 + (span - 1));
    loc.addr = l2 + index * 64;
    return loc;
}

bool read_structure(TableReader& mem, uint64_t addr, Dwords8& out, unsigned& reads)
{
    reads++;
    return mem.read(addr, out, sizeof(Dwords8));
}

// The CD of `ssid` in the stream's CD table (linear, or 2-level through an L1CD).
CdLocation cd_in_table(const StreamConfig& ste, uint32_t ssid, unsigned oas_bits, TableReader& mem)
{
    CdLocation loc;
    const unsigned cdmax = ste.s1_cdmax;
    if (ste.s1_fmt == ste::S1FMT_LINEAR || cdmax == 0) {
        loc.addr = align_down(ste.s1_context_ptr, cdmax + 6) + uint64_t(ssid) * 64;  // 5.2 S1Fmt 0b00
        return loc;
    }
    // 4 KiB leaves hold 64 CDs, 64 KiB leaves 1024 (5.2 S1Fmt 0b01 / 0b10).
    const unsigned leaf_bits = ste.s1_fmt == ste::S1FMT_4K_L2 ? 6 : 10;
    const unsigned l1_bits = cdmax > leaf_bits ? cdmax - leaf_bits : 0;
    const uint64_t l1_base = align_down(ste.s1_context_ptr, std::max(6u, l1_bits + 3));  // its size, or 64 bytes
    const uint64_t l1_addr = l1_base + (uint64_t(ssid) >> leaf_bits) * 8;
    uint64_t desc = 0;
    if (!read_u64(mem, l1_addr, desc, loc.reads)) {
        loc.fault = fault_of(evt::F_CD_FETCH, l1_addr);
        return loc;
    }
    const uint64_t l2 = align_down(l1cd::L2Ptr.get(desc) << 12, leaf_bits + 6);
    if (!l1cd::V.get(desc) || (l2 >> oas_bits)) {
        loc.fault = fault_of(evt::C_BAD_SUBSTREAMID);  // 5.3.1; an L2Ptr beyond the OAS: 3.4.3
        return loc;
    }
    loc.addr = l2 + (ssid & ((1u << leaf_bits) - 1)) * 64;
    return loc;
}

}  // namespace

TableLocation ste_address(uint64_t strtab_base, uint64_t strtab_base_cfg, uint32_t sid, const SteContext& ctx,
                          TableReader& mem)
{
    const unsigned log2size = unsigned(strtab::LOG2SIZE.get(strtab_base_cfg));
    const unsigned effective = std::min(log2size, ctx.sidsize);  // 6.3.25 LOG2SIZE
    if (uint64_t(sid) >> effective) {
        TableLocation loc;
        loc.fault = bad_streamid(ctx);
        return loc;
    }
    const uint64_t base = strtab::ADDR.get(strtab_base) << 6;
    const bool two_level = ctx.st_2lvl && strtab::FMT.get(strtab_base_cfg) == strtab::FMT_2LVL;
    if (!two_level) {
        TableLocation loc;
        loc.addr = align_down(base, log2size + 6) + uint64_t(sid) * 64;
        return loc;
    }
    unsigned split = unsigned(strtab::SPLIT.get(strtab_base_cfg));
    if (split != 6 && split != 8 && split != 10)
        split = 6;  // reserved values behave as 6 (6.3.25 SPLIT)
    const int l1_log2 = int(log2size) - int(split) + 3;
    return ste_2lvl(align_down(base, unsigned(std::max(6, l1_log2))), split, sid, ctx, mem);
}

SteFetch fetch_stream_config(uint64_t strtab_base, uint64_t strtab_base_cfg, uint32_t sid, const SteContext& ctx,
                             TableReader& mem)
{
    SteFetch out;
    const TableLocation loc = ste_address(strtab_base, strtab_base_cfg, sid, ctx, mem);
    out.reads = loc.reads;
    if (loc.fault) {
        out.fault = loc.fault;
        return out;
    }
    out.addr = loc.addr;
    Dwords8 ste{};
    if (!read_structure(mem, loc.addr, ste, out.reads)) {
        out.fault = fault_of(evt::F_STE_FETCH, loc.addr);
        return out;
    }
    SteDecode d = decode_ste(ste, ctx);
    if (auto* f = std::get_if<Fault>(&d))
        out.fault = *f;
    else
        out.config = std::get<StreamConfig>(d);
    return out;
}

CdLocation cd_address(const StreamConfig& ste, bool ssv, uint32_t ssid, unsigned oas_bits, TableReader& mem)
{
    CdLocation loc;
    if (!ste.s1_enabled || (!ssv && ste.s1_cdmax == 0)) {
        if (ssv)
            loc.fault = fault_of(evt::C_BAD_SUBSTREAMID);  // stage 1 off: no substreams (5.2 S1Fmt)
        else if (!ste.s1_enabled)
            loc.s1_bypass = true;
        else
            loc.addr = ste.s1_context_ptr;  // S1CDMax = 0: the one CD (5.2 S1CDMax)
        return loc;
    }
    if (!ssv) {  // substreams on, none given: S1DSS (5.2)
        if (ste.s1_dss == ste::S1DSS_TERMINATE)
            loc.fault = fault_of(evt::F_STREAM_DISABLED);
        else if (ste.s1_dss == ste::S1DSS_BYPASS)
            loc.s1_bypass = true;
        else
            return cd_in_table(ste, 0, oas_bits, mem);
        return loc;
    }
    if (ste.s1_cdmax == 0 || (uint64_t(ssid) >> ste.s1_cdmax)) {
        loc.fault = fault_of(evt::C_BAD_SUBSTREAMID);  // 5.2 S1CDMax
        return loc;
    }
    if (ssid == 0 && ste.s1_dss == ste::S1DSS_SSID0) {
        loc.fault = fault_of(evt::F_STREAM_DISABLED);  // substream 0 is reserved for no-SSID traffic (5.2 S1DSS)
        return loc;
    }
    return cd_in_table(ste, ssid, oas_bits, mem);
}

CdFetch fetch_cd(const StreamConfig& ste, bool ssv, uint32_t ssid, const CdContext& ctx, TableReader& mem)
{
    CdFetch out;
    const CdLocation loc = cd_address(ste, ssv, ssid, ctx.smmu.oas_bits, mem);
    out.reads = loc.reads;
    out.s1_bypass = loc.s1_bypass;
    if (loc.fault || loc.s1_bypass) {
        out.fault = loc.fault;
        return out;
    }
    out.addr = loc.addr;
    Dwords8 cd{};
    if (!read_structure(mem, loc.addr, cd, out.reads)) {
        out.fault = fault_of(evt::F_CD_FETCH, loc.addr);
        return out;
    }
    CdDecode d = decode_cd(cd, ctx);
    if (auto* f = std::get_if<Fault>(&d))
        out.fault = *f;
    else
        out.config = std::get<CdConfig>(d);
    return out;
}

}  // namespace smmusim::smmuv3
