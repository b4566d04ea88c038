// SPDX-License-Identifier: GPL-2.0-only
// An endpoint's Address Translation Cache (PCIe ATS): the translations the
// SMMU returned to the endpoint's Translation Requests, kept so that its
// DMA can go out pre-translated, and removed exactly as the SMMU's ATC_INV
// (an ATS Invalidation Request) names them (IHI 0070 4.5.1 CMD_ATC_INV;
// PCIe Base Specification, Address Translation Services).
//
// Organisation (endpoint_params.h): `endpoint.atc.entries` entries in
// sets of `endpoint.atc.ways` ways, on the SMMU's own set-associative
// structure (smmuv3/translation/set_assoc.h: LRU within a set, the
// CacheStats counters); an entry's set is picked by its StreamID and PASID
// (an entry covers a naturally aligned power-of-two range of any size, so
// its address cannot pick the set).
//
// What it is not: the requester. It sends no Translation Requests and
// times nothing; the endpoint that owns it does (ats_endpoint.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../platform/stats.h"
#include "../smmuv3/invalidation.h"
#include "../smmuv3/translation/set_assoc.h"
#include "endpoint_params.h"

namespace smmusim::endpoint {

// What a Translation Completion grants (PCIe ATS: R, W, Exe, Priv).
struct AtsPermissions {
    bool read = false, write = false, exec = false, priv = false;
};

struct AtcEntry {
    uint32_t sid = 0;
    bool ssv = false;           // requested with a PASID
    uint32_t pasid = 0;
    bool global = false;        // the completion's Global Mapping bit (PASID entries)
    uint64_t untranslated = 0;  // base of the range, aligned to `size`
    uint64_t size = 4096;       // bytes: a power of two, at least 4 KiB
    uint64_t translated = 0;    // aligned to `size` as well
    AtsPermissions perms;
};

class Atc : public smmuv3::InvalidationTarget {
public:
    // `stats_name` names the statistics group (e.g. "soc.nic0.atc").
    // ConfigError when the figures are out of range or ways does not
    // divide entries.
    Atc(const std::string& stats_name, const EndpointParams& p);

    // The entry of that stream (and PASID, if ssv) covering `addr`, or
    // null; a hit makes it the most recently used of its set.
    const AtcEntry* lookup(uint32_t sid, bool ssv, uint32_t pasid, uint64_t addr);
    // Caches a translation. An entry of the same stream, PASID and range is
    // replaced; else a free way, else the set's least recently used entry
    // is evicted. False (nothing cached) for a malformed entry: a size that
    // is not a power of two of at least 4 KiB, or addresses not aligned to it.
    bool insert(const AtcEntry& e);
    // ATC_INV (Kind::Atc; other kinds are ignored): removes the stream's
    // entries overlapping [addr, addr + span) (span ~0: every address).
    // SSV = 0: every entry of the range, with or without a PASID (an
    // Invalidation Request without a PASID prefix); SSV = 1: that PASID's
    // entries, and with G = 1 also every PASID's global entries.
    void invalidate(const smmuv3::InvalidationScope& s) override;
    // Removes every entry (ATS disabled); counted as invalidated entries.
    void clear();

    // The valid entries in set and way order (tests, inspection).
    std::vector<AtcEntry> entries() const;
    size_t valid() const { return cache_.size(); }
    unsigned sets() const { return static_cast<unsigned>(cache_.sets()); }
    unsigned ways() const { return cache_.ways(); }
    // lookups, hits, misses, fills, evictions, invalidations (ATC_INV
    // scopes received), invalidated (entries they removed).
    const StatGroup& stats() const { return stats_.stats; }

private:
    uint64_t set_of(uint32_t sid, bool ssv, uint32_t pasid) const;

    smmuv3::CacheStats stats_;
    smmuv3::SetAssoc<AtcEntry> cache_;
};

}  // namespace smmusim::endpoint
