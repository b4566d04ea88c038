// SPDX-License-Identifier: GPL-2.0-only
// The two structures a guest with its own stage 1 writes for its device, as
// the guest's arm-smmu-v3 driver writes them: the vSTE (the first two
// dwords of the STE in the guest's stream table, which the VMM passes to
// IOMMU_HWPT_ALLOC; arm_smmu_make_cdtable_ste) and the context descriptors
// of its CD table (arm_smmu_make_s1_cd). The fields are the SMMU's own
// (models/smmuv3/translation/ste.h and cd.h: smmuv3::ste::*, smmuv3::cd::*,
// which tests/kernel_shim/regs_vs_kernel_test.cc compares with the kernel's
// STRTAB_STE_* and CTXDESC_CD_* macros); here are only the values the guest
// driver chooses for them.
//
// Not here: decoding (decode_ste, decode_cd), where the tables live
// (guest_stage1.h).
#pragma once

#include <array>
#include <cstdint>

#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/types.h"

namespace smmusim::kshim::guest {

// ---- the guest driver's choices ----------------------------------------------
// STE.S1CIR / S1COR: write-back read-allocate; S1CSH: inner shareable.
constexpr uint64_t S1C_CACHE_WBRA = 1, SH_ISH = 3;
// CD.IR0 / OR0 / SH0: io-pgtable-arm's coherent walk attributes.
constexpr uint64_t RGN_WBWA = 1, SH_IS = 3;
// io-pgtable-arm's MAIR (arm_lpae_alloc_pgtable_s1): attr 0 Normal NC (0x44),
// 1 Normal WB RW-allocate (0xff), 2 Device-nGnRE (0x04), 3 inner NC outer WB (0xf4).
constexpr uint64_t kLinuxMair = 0xf404ff44;
constexpr unsigned kCdBytes = 64;  // one CD: 8 doublewords (CTXDESC_CD_DWORDS)

// What a guest's stage 1 for one SSID is.
struct S1Context {
    uint16_t asid = 0;
    smmuv3::Granule granule = smmuv3::Granule::k4K;
    unsigned ias = 48;   // input (VA) bits: T0SZ = 64 - ias
    unsigned oas = 48;   // output (IPA) bits: IPS
    uint64_t ttb0 = 0;   // the guest IPA of the stage-1 root table
};

// The CD arm_smmu_make_s1_cd() writes for `c` (little-endian dwords):
// coherent walks, EPD1, AA64, R, A, ASET, V, io-pgtable-arm's MAIR; no
// stall (S), no HTTU (HA/HD). `oas` must be one of IPS's sizes.
std::array<uint64_t, 8> make_s1_cd(const S1Context& c);

// A vSTE with Config = stage 1 (arm_smmu_make_cdtable_ste's dwords 0-1 for
// a linear CD table at guest IPA `cd_table` of 2^s1cdmax CDs): S1CIR/S1COR
// WBRA, S1CSH inner shareable, S1DSS and EATS as given.
std::array<uint64_t, 2> make_vste(uint64_t cd_table, unsigned s1cdmax, uint64_t s1dss, uint64_t eats);

// TG0 / IPS encodings; IPS of a size it has no encoding for: ~0.
uint64_t tg0_of(smmuv3::Granule g);
uint64_t ips_of(unsigned oas);

}  // namespace smmusim::kshim::guest
