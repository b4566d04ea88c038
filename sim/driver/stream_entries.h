// SPDX-License-Identifier: GPL-2.0-only
// STEs and CDs with the fields the Linux arm-smmu-v3 driver writes
// (arm_smmu_make_cdtable_ste, arm_smmu_make_s2_domain_ste, the nested STE
// of arm_smmu_make_nested_domain_ste, arm_smmu_make_s1_cd), as 8 words each
// for a caller to store: the one home of these encodings for the tests'
// hand-made streams (tests/support/stream_setup.h) and the benchmarks'
// (bench/translation_streams.h). Geometry comes from a StageConfig (granule,
// ia_bits, oa_bits, start_level, ttb).
#pragma once

#include <cstdint>

#include "smmuv3/translation/types.h"

namespace smmusim::driver {

// Stage 1 through a linear CD table at `cd_table` of 2^cdmax CDs.
void make_s1_ste(uint64_t (&ste)[8], uint64_t cd_table, unsigned cdmax = 0, uint64_t s1dss = 0);
// Stage 2 only, under `vmid`.
void make_s2_ste(uint64_t (&ste)[8], const smmuv3::StageConfig& s2, uint16_t vmid);
// Nested: the CD table at IPA `cd_table_ipa`, stage 2 `s2` under `vmid`.
void make_nested_ste(uint64_t (&ste)[8], uint64_t cd_table_ipa, const smmuv3::StageConfig& s2, uint16_t vmid);
// A valid CD for stage-1 tables `s1` under `asid` (io-pgtable-arm's MAIR).
void make_cd(uint64_t (&cd)[8], const smmuv3::StageConfig& s1, uint16_t asid);

}  // namespace smmusim::driver
