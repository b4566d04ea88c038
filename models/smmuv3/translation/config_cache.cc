// SPDX-License-Identifier: GPL-2.0-only
// The configuration cache (config_cache.h): STEs and CDs in one
// set-associative structure, and the CFGI rule of IHI 0070 4.3.
#include "config_cache.h"

namespace smmusim::smmuv3 {

bool cfgi_covers(const InvalidationScope& s, const ConfigEntry& e)
{
    switch (s.kind) {
    case InvalidationScope::Kind::Ste: {
        // sid_span = UINT32_MAX stands for 2^32 (CFGI_ALL: Range = 31).
        const uint64_t span = s.sid_span == UINT32_MAX ? 1ull << 32 : s.sid_span;
        return e.sid >= s.sid && e.sid - uint64_t(s.sid) < span;  // the STE and the CDs under it
    }
    case InvalidationScope::Kind::Cd:
        return e.is_cd && e.sid == s.sid && (!s.by_ssid || e.ssid == s.ssid);
    default:
        return false;
    }
}

ConfigCache::ConfigCache(const std::string& stat_group, const CacheGeometry& g)
    : stats_(stat_group), cache_("smmu.cfgcache", g, stats_)
{
}

const ConfigEntry* ConfigCache::lookup(bool is_cd, uint32_t sid, uint32_t ssid)
{
    return stats_.counted(cache_.find(set_index(sid, ssid, cache_.sets()), [&](const ConfigEntry& e) {
        return e.is_cd == is_cd && e.sid == sid && e.ssid == ssid;
    }));
}

const StreamConfig* ConfigCache::lookup_ste(uint32_t sid)
{
    const ConfigEntry* e = lookup(false, sid, 0);
    return e ? &e->ste : nullptr;
}

const CdConfig* ConfigCache::lookup_cd(uint32_t sid, uint32_t ssid)
{
    const ConfigEntry* e = lookup(true, sid, ssid);
    return e ? &e->cd : nullptr;
}

void ConfigCache::insert(const ConfigEntry& e)
{
    cache_.insert(
        set_index(e.sid, e.ssid, cache_.sets()), e,
        [&](const ConfigEntry& o) { return o.is_cd == e.is_cd && o.sid == e.sid && o.ssid == e.ssid; }, e.sid);
}

void ConfigCache::insert_ste(uint32_t sid, const StreamConfig& ste)
{
    ConfigEntry e;
    e.sid = sid;
    e.ste = ste;
    insert(e);
}

void ConfigCache::insert_cd(uint32_t sid, uint32_t ssid, const CdConfig& cd)
{
    ConfigEntry e;
    e.is_cd = true;
    e.sid = sid;
    e.ssid = ssid;
    e.cd = cd;
    insert(e);
}

void ConfigCache::invalidate(const InvalidationScope& s)
{
    if (s.kind != InvalidationScope::Kind::Ste && s.kind != InvalidationScope::Kind::Cd)
        return;
    stats_.invalidations++;
    auto covered = [&](const ConfigEntry& e) { return cfgi_covers(s, e); };
    auto removed = [](const ConfigEntry&) {};
    // Entries are keyed by StreamID: one stream's CFGI visits its entries only.
    if (s.kind == InvalidationScope::Kind::Cd || s.sid_span == 1)
        cache_.erase_if_key(s.sid, covered, removed);
    else
        cache_.erase_if(covered, removed);
}

}  // namespace smmusim::smmuv3
