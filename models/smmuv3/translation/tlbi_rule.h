// SPDX-License-Identifier: GPL-2.0-only
// Which cached entries a TLBI reaches (IHI 0070 4.4), the part the TLB and
// the walk cache share: the tag rule (regime, VMID, ASID or global, stage)
// and the address rule (whether a cached input range meets the command's
// address or range, and whether a range TLBI's TTL hint leaves a leaf of
// another level alone; the decoder has already turned TG/NUM/SCALE into
// addr + span). What each cache does with an address match (Leaf, TTL, which
// stage's range) is in tlb.cc and walk_cache.cc.
#pragma once

#include <cstdint>
#include <optional>

#include "../invalidation.h"
#include "types.h"

namespace smmusim::smmuv3 {

// What the tag rule needs of a cached entry.
struct TlbiTag {
    Regime regime = Regime::Nh;
    bool stage2_only = false;  // a stage-2-only entry (no stage 1 in it)
    uint16_t vmid = 0;         // Nh
    uint16_t asid = 0;         // stage 1 of Nh / El2E2h
    bool global = false;       // no ASID to match: nG = 0, or the El2 regime (which has none)
};

enum class TlbiReach {
    None,           // the command does not reach the entry
    Whole,          // it does, whatever its address
    Stage1Address,  // it does if the entry's stage-1 input range meets the command's VA (range)
    Stage2Address,  // it does if the entry's stage-2 input range meets the command's IPA (range)
};

// NH_* reach the VMID's Nh entries with a stage 1, EL2_* the El2 and El2E2h
// entries; by ASID alone (NH_ASID, EL2_ASID) the ASID's non-global entries,
// by ASID and VA (NH_VA, EL2_VA) the ASID's and the global ones. S12_VMALL
// reaches every entry of the VMID, S2_IPA its stage-2-only entries by IPA,
// NSNH_ALL every Nh entry. Other kinds of scope reach nothing.
inline TlbiReach tlbi_reach(const InvalidationScope& s, const TlbiTag& t)
{
    using R = InvalidationScope::Regime;
    if (s.kind != InvalidationScope::Kind::Tlb)
        return TlbiReach::None;
    const bool nh = t.regime == Regime::Nh;
    if (s.regime == R::Nsnh)
        return nh ? TlbiReach::Whole : TlbiReach::None;
    if (s.regime == R::S2) {
        if (!nh || t.vmid != s.vmid)
            return TlbiReach::None;
        if (!s.by_address)
            return TlbiReach::Whole;  // TLBI_S12_VMALL: both stages
        return t.stage2_only ? TlbiReach::Stage2Address : TlbiReach::None;
    }
    if (s.regime == R::Nh ? (!nh || t.stage2_only || t.vmid != s.vmid) : nh)
        return TlbiReach::None;
    if (s.by_asid && (s.by_address ? !(t.global || t.asid == s.asid) : (t.global || t.asid != s.asid)))
        return TlbiReach::None;
    return s.by_address ? TlbiReach::Stage1Address : TlbiReach::Whole;
}

// The VMID every entry a TLBI can reach is tagged with, as the TLB and the
// walk cache key their entries (the normalised tag's VMID: 0 for the EL2
// regimes): the VMID of an NH_* / S2 command, 0 for EL2_*; none for
// NSNH_ALL (every VMID) or another kind of scope. An invalidation with a
// key visits only the entries of that key (set_assoc.h, erase_if_key).
inline std::optional<uint64_t> tlbi_key(const InvalidationScope& s)
{
    if (s.kind != InvalidationScope::Kind::Tlb || s.regime == InvalidationScope::Regime::Nsnh)
        return std::nullopt;
    return s.by_vmid ? s.vmid : 0;
}

// [base, base + size) overlaps [s.addr, s.addr + s.span), or contains
// s.addr when span = 0 (a TLBI of one address: the entry holding it). A
// range that starts inside a block therefore removes the whole block.
inline bool scope_overlaps(const InvalidationScope& s, uint64_t base, uint64_t size)
{
    const uint64_t last = s.span == 0 ? s.addr : (s.addr + (s.span - 1) < s.addr ? ~0ull : s.addr + (s.span - 1));
    return base <= last && s.addr <= base + (size - 1);
}

// A range TLBI (TG != 0) with TTL != 0 names the level of the leaf entries
// to remove; TTL = 1 with the 16 KiB granule (TG = 2) names no level without
// IHI 0070's 52-bit addresses (IDR5.DS, not modelled) and is no hint.
inline bool ttl_excludes(const InvalidationScope& s, unsigned level)
{
    if (s.tg == 0 || s.ttl == 0 || (s.tg == 2 && s.ttl == 1))
        return false;
    return level != s.ttl;
}

// A leaf entry at `level` covering [base, base + size) is in the TLBI's range.
inline bool tlbi_range_covers(const InvalidationScope& s, unsigned level, uint64_t base, uint64_t size)
{
    return scope_overlaps(s, base, size) && !ttl_excludes(s, level);
}

}  // namespace smmusim::smmuv3
