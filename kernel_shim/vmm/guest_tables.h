// SPDX-License-Identifier: GPL-2.0-only
// The two structures a guest with its own stage 1 writes for its device, as
// the guest's arm-smmu-v3 driver writes them: the vSTE (the first two
// dwords of the STE in the guest's stream table, which the VMM passes to
// IOMMU_HWPT_ALLOC; arm_smmu_make_cdtable_ste) and the context descriptors
// of its CD table (arm_smmu_make_s1_cd). Field positions are Arm IHI 0070's
// (5.2 STE, 5.4 CD), named as the kernel names them (STRTAB_STE_*,
// CTXDESC_CD_*); tests/kernel_shim/regs_vs_kernel_test.cc compares each
// with the kernel's macro.
//
// Not here: decoding (the SMMU's side, models/smmuv3/translation/ste.h and
// cd.h; once those are on main, these encodings and their decodings should
// share one set of field constants), where the tables live (guest_stage1.h).
#pragma once

#include <array>
#include <cstdint>

#include "platform/bits.h"
#include "smmuv3/translation/types.h"

namespace smmusim::kshim::guest {

// ---- STE dwords 0 and 1: the fields a vSTE may carry (IHI 0070 5.2) --------
namespace ste {
constexpr Field V = bit(0);
constexpr Field CONFIG{3, 1};
constexpr uint64_t CONFIG_ABORT = 0, CONFIG_BYPASS = 4, CONFIG_S1_TRANS = 5, CONFIG_S2_TRANS = 6, CONFIG_NESTED = 7;
constexpr Field S1FMT{5, 4};                  // 0: linear CD table
constexpr Field S1CONTEXTPTR{51, 6};          // bits of the address itself (mask, not shifted)
constexpr Field S1CDMAX{63, 59};
constexpr Field S1DSS{1, 0};                  // dword 1
constexpr uint64_t S1DSS_TERMINATE = 0, S1DSS_BYPASS = 1, S1DSS_SSID0 = 2;
constexpr Field S1CIR{3, 2}, S1COR{5, 4}, S1CSH{7, 6};
constexpr uint64_t S1C_CACHE_WBRA = 1, SH_ISH = 3;
constexpr Field MEV = bit(19);
constexpr Field EATS{29, 28};
// The fields of STE dwords 2 and 3 a test reads back of a nested STE.
constexpr Field S2VMID{15, 0};                // dword 2
constexpr Field S2TTB{51, 4};                 // dword 3 (address bits, not shifted)
}  // namespace ste

// ---- CD dwords 0, 1 and 3 (IHI 0070 5.4) ------------------------------------
namespace cd {
constexpr Field T0SZ{5, 0};
constexpr Field TG0{7, 6};                    // TCR encoding: 0 4K, 1 64K, 2 16K
constexpr Field IRGN0{9, 8}, ORGN0{11, 10}, SH0{13, 12};
constexpr Field EPD0 = bit(14);
constexpr Field ENDI = bit(15);
constexpr Field EPD1 = bit(30);
constexpr Field V = bit(31);
constexpr Field IPS{34, 32};                  // 0 32, 1 36, 2 40, 3 42, 4 44, 5 48, 6 52 bits
constexpr Field AA64 = bit(41);
constexpr Field HD = bit(42), HA = bit(43);
constexpr Field S = bit(44), R = bit(45), A = bit(46), ASET = bit(47);
constexpr Field ASID{63, 48};
constexpr Field TTB0{51, 4};                  // dword 1 (address bits, not shifted)
constexpr uint64_t RGN_WBWA = 1, SH_IS = 3;   // io-pgtable-arm's coherent walk attributes
// io-pgtable-arm's MAIR (arm_lpae_alloc_pgtable_s1): attr 0 Normal NC (0x44),
// 1 Normal WB RW-allocate (0xff), 2 Device-nGnRE (0x04), 3 inner NC outer WB (0xf4).
constexpr uint64_t kLinuxMair = 0xf404ff44;
constexpr unsigned kBytes = 64;
}  // namespace cd

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
