// SPDX-License-Identifier: GPL-2.0-only
// STEs and CDs as the Linux driver writes them, for the translation tests:
// exactly the fields (and values) that arm_smmu_make_abort_ste(),
// arm_smmu_make_bypass_ste(), arm_smmu_make_cdtable_ste(),
// arm_smmu_make_s2_domain_ste(), arm_smmu_make_s1_cd() (arm-smmu-v3.c) and
// arm_smmu_make_nested_cd_table_ste() (arm-smmu-v3-iommufd.c) write, with
// the TCR / VTCR / MAIR values io-pgtable-arm.c computes. Written with the
// model's field constants (ste.h, cd.h), which
// tests/kernel_shim/regs_vs_kernel_test.cc compares with the kernel's
// STRTAB_STE_* / CTXDESC_CD_* macros.
#pragma once

#include <cstdint>

#include "smmuv3/translation/cd.h"
#include "smmuv3/translation/ste.h"

namespace smmusim::test {

struct Entry {
    smmuv3::Dwords8 d{};
};

// What the driver's features and the master's state decide.
struct LinuxSmmu {
    bool attr_types_ovr = false;  // ARM_SMMU_FEAT_ATTR_TYPES_OVR (IDR1.ATTR_TYPES_OVR)
    bool e2h = false;             // ARM_SMMU_FEAT_E2H
    bool stall_enabled = false;   // master->stall_enabled
};

// io_pgtable_cfg's arm_lpae_s2_cfg.vtcr fields.
struct Vtcr {
    unsigned tsz = 16, sl = 2, irgn = 1, orgn = 1, sh = 3, tg = 0, ps = 5;  // 4K, 48-bit IPA/PA, start level 0
};
// io_pgtable_cfg's arm_lpae_s1_cfg.tcr fields.
struct Tcr {
    unsigned tsz = 16, tg = 0, irgn = 1, orgn = 1, sh = 3, ips = 5;  // 4K, 48-bit VA, 48-bit IPA
};
// ARM_LPAE_MAIR: index 0 write-back, 1 non-cacheable, 2 device nGnRE, 3 inner NC / outer WB.
constexpr uint64_t kLinuxMair = 0xf40444ffull;

Entry arm_smmu_make_abort_ste();
Entry arm_smmu_make_bypass_ste(const LinuxSmmu& smmu);
Entry arm_smmu_make_cdtable_ste(const LinuxSmmu& smmu, uint64_t cdtab_dma, unsigned s1fmt, unsigned s1cdmax,
                                bool ats_enabled, unsigned s1dss);
Entry arm_smmu_make_s2_domain_ste(const LinuxSmmu& smmu, uint16_t vmid, const Vtcr& vtcr, uint64_t vttbr,
                                  bool ats_enabled, bool s2fwb = false);
// vste: the guest's STE doublewords 0 and 1 as iommufd checked them
// (STRTAB_STE_0/1_NESTING_ALLOWED).
Entry arm_smmu_make_nested_cd_table_ste(const LinuxSmmu& smmu, uint16_t vmid, const Vtcr& vtcr, uint64_t vttbr,
                                        uint64_t vste0, uint64_t vste1, bool ats_enabled);
Entry arm_smmu_make_s1_cd(const LinuxSmmu& smmu, const Tcr& tcr, uint64_t ttbr, uint16_t asid,
                          uint64_t mair = kLinuxMair);

}  // namespace smmusim::test
