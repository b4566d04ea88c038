// SPDX-License-Identifier: GPL-2.0-only
// The configuration cache: decoded STEs by StreamID and decoded CDs by
// (StreamID, SubstreamID), in one set-associative structure with LRU
// (set_assoc.h), as the TCU of an SMMU keeps one configuration cache. Only
// what decoded without a fault is meant to be filled (the caller's choice).
//
// An InvalidationTarget (cfgi_covers() is the rule), IHI 0070 4.3:
//   CFGI_STE        the STE of the StreamID and every CD cached under it
//   CFGI_STE_RANGE  the STEs of the aligned block of 2^(Range+1) StreamIDs and their CDs
//   CFGI_ALL        everything (CFGI_STE_RANGE with Range = 31)
//   CFGI_CD         the CD of (StreamID, SubstreamID)
//   CFGI_CD_ALL     every CD of the StreamID
// Leaf is ignored: Leaf = 0 adds the L1 descriptors (L1STD, L1CD), which the
// model does not cache. CFGI_STE removes the stream's CDs whatever Leaf says:
// they were found through the STE (S1ContextPtr), and a new STE may point at
// another CD table; removing them is never less than the architecture asks.
// CDs of a nested stream (fetched at an IPA through stage 2) stay cached
// when stage 2 changes: as IHI 0070 says, software changing the stage 2 that
// maps a CD table issues CFGI_CD / CFGI_STE for it; no TLBI removes a CD.
// TLBI_* and ATC_INV are ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "../invalidation.h"
#include "set_assoc.h"
#include "types.h"

namespace smmusim::smmuv3 {

struct ConfigEntry {
    bool is_cd = false;
    uint32_t sid = 0;
    uint32_t ssid = 0;   // CD: the SubstreamID (0 for a stream without SubstreamIDs, and for S1DSS = 0b10)
    StreamConfig ste;    // when !is_cd
    CdConfig cd;         // when is_cd
};

bool cfgi_covers(const InvalidationScope& s, const ConfigEntry& e);

class ConfigCache : public InvalidationTarget {
public:
    ConfigCache(const std::string& stat_group, const CacheGeometry& g);

    // nullptr on a miss; counted; valid until the next insert or invalidate.
    const StreamConfig* lookup_ste(uint32_t sid);
    const CdConfig* lookup_cd(uint32_t sid, uint32_t ssid);
    void insert_ste(uint32_t sid, const StreamConfig& ste);
    void insert_cd(uint32_t sid, uint32_t ssid, const CdConfig& cd);
    void invalidate(const InvalidationScope& s) override;
    ScopeKinds kinds() const override
    {
        return kind_bit(InvalidationScope::Kind::Ste) | kind_bit(InvalidationScope::Kind::Cd);
    }

    size_t size() const { return cache_.size(); }
    void for_each(const std::function<void(const ConfigEntry&)>& fn) const { cache_.for_each(fn); }
    const CacheStats& stats() const { return stats_; }

private:
    const ConfigEntry* lookup(bool is_cd, uint32_t sid, uint32_t ssid);
    void insert(const ConfigEntry& e);

    CacheStats stats_;
    SetAssoc<ConfigEntry> cache_;
};

}  // namespace smmusim::smmuv3
