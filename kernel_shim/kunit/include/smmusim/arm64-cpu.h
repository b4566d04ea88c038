/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The arm64 CPU names drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c uses
 * (system registers, CPU features), which the x86 headers the shim
 * compiles against lack.  Force-included (-include) into that file only,
 * in the KUnit build; src/arm64_cpu.c gives the values, those of the
 * simulated CPU.  Like ../../../include/smmusim/arm64-compat.h it adds
 * names only and includes nothing (pr_fmt stays the driver's).  Not here:
 * anything the x86 headers already define.
 */
#ifndef SMMUSIM_ARM64_CPU_H
#define SMMUSIM_ARM64_CPU_H

#ifndef __ASSEMBLER__
/* read_sysreg(mair_el1): MAIR_EL1 as Linux programs it. */
unsigned long long smmusim_arm64_read_mair_el1(void);
#define read_sysreg(reg) smmusim_arm64_read_##reg()

/*
 * read_sanitised_ftr_reg(SYS_ID_AA64MMFR0_EL1): the system-wide ID
 * register.  The register selector is private to the shim; the field
 * positions are the architecture's (Arm ARM D23.2, ID_AA64MMFR0_EL1:
 * PARange [3:0], ASIDBits [7:4]).
 */
#define SYS_ID_AA64MMFR0_EL1 1u
#define ID_AA64MMFR0_EL1_PARANGE_SHIFT 0
#define ID_AA64MMFR0_EL1_ASIDBITS_SHIFT 4
unsigned long long smmusim_arm64_read_sanitised_ftr_reg(unsigned int sys_reg);
#define read_sanitised_ftr_reg(sys_reg) smmusim_arm64_read_sanitised_ftr_reg(sys_reg)
/* An unsigned 4-bit ID field (arm64 cpufeature.h's meaning). */
#define cpuid_feature_extract_unsigned_field(features, field) \
	((unsigned int)(((unsigned long long)(features) >> (field)) & 0xf))
/* PARange encoding to a physical address width in bits. */
unsigned int smmusim_arm64_parange_to_phys_shift(unsigned int parange);
#define id_aa64mmfr0_parange_to_phys_shift(parange) smmusim_arm64_parange_to_phys_shift(parange)

/* The kernel's virtual address width (arm64: set at boot). */
extern unsigned long long vabits_actual;

/* CPU features the simulated CPU does not have (src/arm64_cpu.c says why). */
_Bool smmusim_arm64_has_feature(const char *name);
#define system_supports_haft() smmusim_arm64_has_feature("haft")
#define system_supports_poe() smmusim_arm64_has_feature("poe")
#define system_supports_gcs() smmusim_arm64_has_feature("gcs")
#define system_supports_bbml3() smmusim_arm64_has_feature("bbml3")
/* Its name in 7.2 (arm_smmu_sva_supported(): BBML2 without aborts). */
#define system_supports_bbml2_noabort() smmusim_arm64_has_feature("bbml2_noabort")
#define arm64_kernel_unmapped_at_el0() smmusim_arm64_has_feature("kpti")
#endif

#endif /* SMMUSIM_ARM64_CPU_H */
