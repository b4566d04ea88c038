// SPDX-License-Identifier: GPL-2.0-only
// The invalidation-scope interface between the command engine and whatever
// caches what a command can invalidate. The engine decodes each executed
// invalidation command into the scope it names (IHI 0070 4.3 configuration,
// 4.4 TLB and 4.5 ATC invalidation) and hands it to every registered
// InvalidationTarget as the command completes, before its CONS advance: a
// CMD_SYNC behind it completes only after the target has acted.
//
// The translation caches (TLB, configuration cache, walk cache: translation/)
// are targets, registered by the translation unit, which is one too (it
// keeps fills of fetches in flight across an invalidation out of the
// caches); tests and tools may observe. A target matches its entries
// against the scope's fields and ignores scopes of other kinds.
#pragma once

#include <cstddef>
#include <cstdint>

#include "commands.h"

namespace smmusim::smmuv3 {

struct InvalidationScope {
    enum class Kind : uint8_t {
        Tlb,  // TLBI_*: TLB entries (and walk-cache entries they cover)
        Ste,  // CFGI_STE, CFGI_STE_RANGE, CFGI_ALL: STEs (and the CDs under them)
        Cd,   // CFGI_CD, CFGI_CD_ALL: CDs of one stream
        Atc,  // ATC_INV: an endpoint's ATC
    };
    // The translation regime TLB entries belong to.
    enum class Regime : uint8_t {
        Nh,    // TLBI_NH_*: non-secure EL1&0 stage 1 of one VMID (with stage 2 when nested)
        El2,   // TLBI_EL2_*: EL2 (and EL2-E2H) stage 1; no VMID
        S2,    // TLBI_S12_VMALL, TLBI_S2_IPA: one VMID's stage 2 (S12: and its stage 1)
        Nsnh,  // TLBI_NSNH_ALL: every non-secure, non-hypervisor entry
    };

    Kind kind = Kind::Tlb;
    Opcode op = OP_TLBI_NSNH_ALL;  // the command, for what the fields cannot say

    // Tlb
    Regime regime = Regime::Nsnh;
    bool by_vmid = false;     // else every VMID
    uint16_t vmid = 0;
    bool by_asid = false;     // else every ASID (VAA, *_ALL) or none (S2)
    uint16_t asid = 0;
    bool by_address = false;  // a VA (IPA for S2_IPA) range, else the whole space
    uint64_t addr = 0;        // bytes
    uint64_t span = 0;        // bytes from addr: a range TLBI's, 0 = the entry holding addr
    bool leaf = false;        // only last-level entries
    uint8_t tg = 0, ttl = 0, num = 0, scale = 0;  // range fields as written (TG = 0: no range)

    // Ste / Cd / Atc
    uint32_t sid = 0;
    uint32_t sid_span = 1;    // Ste: StreamIDs from sid (CFGI_ALL: every one)
    bool by_ssid = false;     // Cd: one SubstreamID (CFGI_CD), else all (CFGI_CD_ALL); Atc: SSV
    uint32_t ssid = 0;
    bool global = false;      // Atc: every PASID's entries of the stream (ATC_INV G)
    // leaf (Ste/Cd): only the STE or CD, not the caches of the tables it points at
    // addr/span (Atc): the naturally aligned range; span ~0 = the whole ATC
};

// The scope of an invalidation command, written over the whole of `scope`;
// false for a command that invalidates nothing (PREFETCH_*, CMD_SYNC,
// PRI_RESP, RESUME, ...), `scope` then left as it was.
bool invalidation_scope(const Command& cmd, InvalidationScope& scope);

// How many values InvalidationScope::Kind has (Atc is the last).
constexpr size_t kScopeKinds = size_t(InvalidationScope::Kind::Atc) + 1;
// A set of scope kinds: bit k is InvalidationScope::Kind k.
using ScopeKinds = uint8_t;
constexpr ScopeKinds kind_bit(InvalidationScope::Kind k) { return ScopeKinds(1u << unsigned(k)); }
constexpr ScopeKinds kAllScopeKinds = kind_bit(InvalidationScope::Kind::Tlb) | kind_bit(InvalidationScope::Kind::Ste) |
                                      kind_bit(InvalidationScope::Kind::Cd) | kind_bit(InvalidationScope::Kind::Atc);

class InvalidationTarget {
public:
    virtual ~InvalidationTarget() = default;
    // Called in the engine's thread, in zero time, once per invalidation
    // command as it completes.
    virtual void invalidate(const InvalidationScope& scope) = 0;
    // The kinds of scope invalidate() can act on; the engine, which asks
    // once as the target is added, passes it no scope of another kind (an
    // invalidate() that would ignore it). Every kind unless overridden.
    virtual ScopeKinds kinds() const { return kAllScopeKinds; }
};

}  // namespace smmusim::smmuv3
