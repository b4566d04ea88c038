// SPDX-License-Identifier: GPL-2.0-only
// The translation caches' figures (TLB, configuration cache, walk cache):
// entries, associativity, replacement and lookup cost. Part of
// Smmuv3Params (smmuv3_params.h); `smmusim params` lists them.
#pragma once

// X(type, member, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_SMMUV3_CACHE_PARAMS(X)
