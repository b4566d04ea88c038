// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's three translation caches built together from Smmuv3Params: the
// TLB, the configuration cache and the walk cache, each with its statistics
// group under one prefix (<prefix>.tlb, <prefix>.cfgcache,
// <prefix>.walkcache), and validate() refusing a geometry that makes no
// sense before anything is built. Register each with the command engine as
// an InvalidationTarget (targets()). What each cache holds and removes is
// in its own header; the lookup costs (smmu.*.lookup_cycles) are the
// translation unit's to spend.
#pragma once

#include <array>
#include <string>

#include "../smmuv3_params.h"
#include "config_cache.h"
#include "tlb.h"
#include "walk_cache.h"

namespace smmusim::smmuv3 {

struct TranslationCaches {
    // `prefix`: the statistics' group prefix, e.g. "soc.smmu".
    TranslationCaches(const std::string& prefix, const Smmuv3Params& p);

    // ConfigError (naming smmu.tlb.*, smmu.cfgcache.* or smmu.walkcache.*)
    // for 0 entries or ways, more ways than entries, or ways not dividing entries.
    static void validate(const Smmuv3Params& p);

    std::array<InvalidationTarget*, 3> targets() { return {&tlb, &cfg, &walk}; }

    Tlb tlb;
    ConfigCache cfg;
    WalkCache walk;
};

}  // namespace smmusim::smmuv3
