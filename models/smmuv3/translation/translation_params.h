// SPDX-License-Identifier: GPL-2.0-only
// The translation pipeline's figures: cycles per step (STE/CD decode, walk
// step) on top of the platform memory's latency, and the concurrency limits
// (translation slots, walk slots). The caches' sizes and lookup costs are in
// cache_params.h. Part of Smmuv3Params (smmuv3_params.h); `smmusim params`
// lists them. translation_unit.h says where each one is spent.
#pragma once

// X(type, member, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_SMMUV3_TRANSLATION_PARAMS(X)                                                                    \
    X(uint64_t, xlat_slots, "smmu.xlat.slots", 8, 1, 1024, "transactions",                                    \
      "client transactions translated at once; more wait for a slot", "assumed: a TBU's outstanding limit; one MMU-600 integration's TCU takes 64 translation requests from all its TBUs together (TCUCFG_XLATE_SLOTS, Intel Agilex 5 HPS TRM (814346) 4.3.4.4.1, MMU-600 TCU Hardware Configuration)")     \
    X(uint64_t, xlat_walk_slots, "smmu.xlat.walk_slots", 4, 1, 256, "walks",                                  \
      "configuration fetches and table walks in flight at once (TLB or config-cache misses)",                  \
      "assumed: a TCU's walkers; MMU-600 makes their number a configuration option (TCUCFG_PTW_SLOTS) and no Grace figure is published")                                                                             \
    X(uint64_t, xlat_arb_cycles, "smmu.xlat.arb_cycles", 1, 0, 1000, "cycles",                                \
      "arbitration for a translation slot or a walk slot (per grant)",                                    \
      "assumed: one arbiter decision per cycle")                              \
    X(uint64_t, xlat_config_decode_cycles, "smmu.xlat.config_decode_cycles", 2, 0, 100000, "cycles",           \
      "decode and check one fetched STE or CD",                                                            \
      "assumed: two cycles for a 64-byte STE or CD's field checks")                                                    \
    X(uint64_t, xlat_walk_step_cycles, "smmu.xlat.walk_step_cycles", 1, 0, 100000, "cycles",                  \
      "issue one table read (L1 descriptor, STE, CD, translation table descriptor), before its memory latency", \
      "assumed: one cycle to issue; the read's own time is mem.latency_cycles")
