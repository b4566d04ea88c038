// SPDX-License-Identifier: GPL-2.0-only
// The translation pipeline's figures: cycles per step (lookup, STE/CD
// fetch, walk step) on top of the platform memory's latency, and the
// concurrency limits (translation slots, walk slots, outstanding ATS
// requests). Part of Smmuv3Params (smmuv3_params.h); `smmusim params`
// lists them.
#pragma once

// X(type, member, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_SMMUV3_TRANSLATION_PARAMS(X)
