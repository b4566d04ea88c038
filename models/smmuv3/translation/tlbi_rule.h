// SPDX-License-Identifier: GPL-2.0-only
// Which cached entries a TLBI reaches (IHI 0070 4.4), the part the TLB and
// the walk cache share: the tag rule (regime, VMID, ASID or global, stage)
// and the address rule (whether a cached input range meets the command's
// address or range, and whether a range TLBI's TTL hint leaves a leaf of
// another level alone; the decoder has already turned TG/NUM/SCALE into
// addr + span). What each cache does with an address match (Leaf, TTL, which
// stage's range) is in tlb.cc and walk_cache.cc.
#pragma once

#include <array>
#include <cstdint>

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

// Where the TLB and the walk cache find what a TLBI can reach (set_assoc.h,
// erase_if_key): each entry is linked on two chains, by
//   chain 0 (kTlbiByVmid): its VMID (the normalised tag's: 0 for the EL2
//       regimes), for the commands of every ASID of a VMID (NH_ALL, NH_VAA,
//       S12_VMALL, EL2_ALL, EL2_VAA);
//   chain 1 (kTlbiByAsid): its regime, VMID and what its stage 1 is matched
//       by: its ASID, or "global" (nG = 0, or the El2 regime, which has no
//       ASID), or "stage 2 only" (no stage 1), for the commands of one ASID
//       (NH_ASID, NH_VA, EL2_ASID, EL2_VA) and S2_IPA.
// So a TLBI of one ASID visits that ASID's entries and the global ones of
// its VMID, whatever the cache holds of other ASIDs and VMIDs; a command's
// nested (combined) entries are reached by their stage-1 tag, its
// stage-2-only entries by the S2 key. Only NSNH_ALL visits every line.
constexpr unsigned kTlbiByVmid = 0, kTlbiByAsid = 1;

enum class TlbiMatch : uint8_t { Asid, Global, Stage2Only };

inline uint64_t tlbi_asid_key(Regime r, TlbiMatch m, uint16_t vmid, uint16_t asid)
{
    return uint64_t(static_cast<uint8_t>(r)) << 40 | uint64_t(static_cast<uint8_t>(m)) << 32 | uint64_t(vmid) << 16 |
           (m == TlbiMatch::Asid ? asid : 0);
}

// An entry's keys on both chains (its tag normalised as the cache keeps it).
inline std::array<uint64_t, 2> tlbi_entry_keys(const TlbiTag& t)
{
    const TlbiMatch m = t.stage2_only ? TlbiMatch::Stage2Only : t.global ? TlbiMatch::Global : TlbiMatch::Asid;
    return {t.vmid, tlbi_asid_key(t.regime, m, t.vmid, t.asid)};
}

// What one TLBI visits: every line, the entries of one chain-0 key, or those
// of up to three chain-1 keys.
struct TlbiVisit {
    enum class How : uint8_t { Every, ByVmid, ByAsid } how = How::Every;
    uint64_t keys[3] = {};
    unsigned n = 0;
};

// The keys holding every entry tlbi_reach() can reach for `s` (a Tlb scope).
inline TlbiVisit tlbi_visit(const InvalidationScope& s)
{
    using R = InvalidationScope::Regime;
    using How = TlbiVisit::How;
    const uint16_t vmid = s.by_vmid ? s.vmid : 0;
    if (s.kind != InvalidationScope::Kind::Tlb || s.regime == R::Nsnh)
        return {How::Every, {}, 0};
    if (s.regime == R::S2)
        return s.by_address ? TlbiVisit{How::ByAsid, {tlbi_asid_key(Regime::Nh, TlbiMatch::Stage2Only, vmid, 0)}, 1}
                            : TlbiVisit{How::ByVmid, {vmid}, 1};
    if (!s.by_asid)
        return {How::ByVmid, {vmid}, 1};
    if (s.regime == R::Nh)
        return {How::ByAsid,
                {tlbi_asid_key(Regime::Nh, TlbiMatch::Asid, vmid, s.asid),
                 tlbi_asid_key(Regime::Nh, TlbiMatch::Global, vmid, 0)},
                s.by_address ? 2u : 1u};
    // EL2_ASID / EL2_VA: El2E2h by ASID; by VA the global ones of both EL2
    // regimes too (every El2 entry is global).
    return {How::ByAsid,
            {tlbi_asid_key(Regime::El2E2h, TlbiMatch::Asid, 0, s.asid),
             tlbi_asid_key(Regime::El2E2h, TlbiMatch::Global, 0, 0), tlbi_asid_key(Regime::El2, TlbiMatch::Global, 0, 0)},
            s.by_address ? 3u : 1u};
}

// Removes from `cache` (a RangedSetAssoc with two chains keyed by
// tlbi_entry_keys()) every entry `covered` accepts among those tlbi_visit()
// names.
template <class Cache, class P> void erase_tlbi(Cache& cache, const InvalidationScope& s, P covered)
{
    if (cache.size() == 0)  // an empty cache: nothing to visit, nothing counted (erase_if* count removals)
        return;
    const TlbiVisit v = tlbi_visit(s);
    if (v.how == TlbiVisit::How::Every) {
        cache.erase_if(covered);
        return;
    }
    const unsigned chain = v.how == TlbiVisit::How::ByVmid ? kTlbiByVmid : kTlbiByAsid;
    for (unsigned i = 0; i < v.n; i++)
        cache.erase_if_key(chain, v.keys[i], covered);
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
