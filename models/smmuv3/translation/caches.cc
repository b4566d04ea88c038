// SPDX-License-Identifier: GPL-2.0-only
// The three translation caches built from Smmuv3Params (caches.h).
#include "caches.h"

namespace smmusim::smmuv3 {

namespace {

CacheGeometry tlb_geometry(const Smmuv3Params& p) { return {p.tlb_entries, p.tlb_ways}; }
CacheGeometry cfg_geometry(const Smmuv3Params& p) { return {p.cfgcache_entries, p.cfgcache_ways}; }
CacheGeometry walk_geometry(const Smmuv3Params& p) { return {p.walkcache_entries, p.walkcache_ways}; }

}  // namespace

TranslationCaches::TranslationCaches(const std::string& prefix, const Smmuv3Params& p)
    : tlb(prefix + ".tlb", tlb_geometry(p)),
      cfg(prefix + ".cfgcache", cfg_geometry(p)),
      walk(prefix + ".walkcache", walk_geometry(p))
{
}

void TranslationCaches::validate(const Smmuv3Params& p)
{
    check_geometry("smmu.tlb", tlb_geometry(p));
    check_geometry("smmu.cfgcache", cfg_geometry(p));
    check_geometry("smmu.walkcache", walk_geometry(p));
}

}  // namespace smmusim::smmuv3
