// SPDX-License-Identifier: GPL-2.0-only
// The translation caches' figures (TLB, configuration cache, walk cache):
// entries, associativity and lookup cost. Replacement is LRU in every cache
// (not a parameter: set_assoc.h). Part of Smmuv3Params (smmuv3_params.h);
// `smmusim params` lists them. Each cache checks that its ways divide its
// entries (caches.h: TranslationCaches::validate, a ConfigError naming both).
#pragma once

// X(type, member, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_SMMUV3_CACHE_PARAMS(X)                                                                        \
    X(uint64_t, tlb_entries, "smmu.tlb.entries", 2048, 1, 1u << 20, "entries",                                \
      "TLB entries (leaf translations of every page and block size)",                                         \
      "assumed: a main TLB of a few thousand entries; MMU-600/700 size their TBU TLBs per integration and no Grace figure is published")                                                        \
    X(uint64_t, tlb_ways, "smmu.tlb.ways", 4, 1, 1u << 20, "ways",                                            \
      "TLB associativity (ways = entries: fully associative); must divide smmu.tlb.entries",                  \
      "assumed: 4-way, as main TLBs commonly are (e.g. Cortex-A53 TRM, DDI 0500E 5.2.2 Main TLB: 512 entries, 4-way)")                                                            \
    X(uint64_t, tlb_lookup_cycles, "smmu.tlb.lookup_cycles", 2, 0, 10000, "cycles",                            \
      "one TLB lookup (hit or miss)",                                                                         \
      "Arm CoreLink MMU-500 TRM (DDI 0517) 2.1: best-case TBU TLB hit latency of two clocks")                 \
    X(uint64_t, cfgcache_entries, "smmu.cfgcache.entries", 64, 1, 1u << 20, "entries",                         \
      "configuration cache entries (decoded STEs and CDs share them)",                                        \
      "assumed: tens of streams and contexts live at once; one MMU-600 integration has 256 (TCUCFG_CC_DEPTH, Intel Agilex 5 HPS TRM (814346) 4.3.4.4.1, MMU-600 TCU Hardware Configuration)")                                                   \
    X(uint64_t, cfgcache_ways, "smmu.cfgcache.ways", 4, 1, 1u << 20, "ways",                                   \
      "configuration cache associativity; must divide smmu.cfgcache.entries",                             \
      "assumed: as the TLB's")                      \
    X(uint64_t, cfgcache_lookup_cycles, "smmu.cfgcache.lookup_cycles", 2, 0, 10000, "cycles",                  \
      "one configuration cache lookup (STE or CD)", "assumed: as a TLB lookup (smmu.tlb.lookup_cycles)")       \
    X(uint64_t, walkcache_entries, "smmu.walkcache.entries", 256, 1, 1u << 20, "entries",                      \
      "walk cache entries (table descriptors of both stages, every level)",                                   \
      "assumed: one cache for both stages and every level; one MMU-600 integration has 256 per stage and level, 8 caches (TCUCFG_WCS1L0..WCS2L3_DEPTH, Intel Agilex 5 HPS TRM (814346) 4.3.4.4.1, MMU-600 TCU Hardware Configuration)")                                                             \
    X(uint64_t, walkcache_ways, "smmu.walkcache.ways", 4, 1, 1u << 20, "ways",                                 \
      "walk cache associativity; must divide smmu.walkcache.entries",                                     \
      "assumed: as the TLB's")                              \
    X(uint64_t, walkcache_lookup_cycles, "smmu.walkcache.lookup_cycles", 2, 0, 10000, "cycles",                \
      "one walk cache lookup (all levels probed at once)",                                                \
      "assumed: as a TLB lookup (smmu.tlb.lookup_cycles)")
