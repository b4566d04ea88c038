// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: the arm64 CPU that
 * drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-sva.c reads through
 * ../include/smmusim/arm64-cpu.h (arm_smmu_make_sva_cd(), which the suite
 * tests, and arm_smmu_sva_supported() at probe).  Fixed values, so the
 * SVA context descriptors are the same on every run.  Not here: the CPU
 * capabilities the simulator's own build asks about (arm64-compat.h,
 * host/options).
 *
 * CUSTOMISED:
 *   MAIR_EL1            0x000000040044ffff, arch/arm64/mm/proc.S's
 *                       MAIR_EL1_SET: attribute index 0 (MT_NORMAL) and 1
 *                       (MT_NORMAL_TAGGED, without MTE) Normal WB 0xff,
 *                       2 (MT_NORMAL_NC) 0x44, 3 (MT_DEVICE_nGnRnE) 0x00,
 *                       4 (MT_DEVICE_nGnRE) 0x04
 *   ID_AA64MMFR0_EL1    PARange 0b0101 (48-bit PA, the SMMU model's OAS)
 *                       and ASIDBits 0b0010 (16-bit ASIDs); other fields 0
 *   vabits_actual       VA_BITS (48, 4K pages: as arm64-compat.h)
 * STUB:
 *   system_supports_haft/poe/gcs/bbml3 (7.2: bbml2_noabort),
 *   arm64_kernel_unmapped_at_el0: false; assumed: the simulated CPU is an
 *   Armv8.x/v9.0 core without FEAT_HAFT, FEAT_S1POE, FEAT_GCS or BBML2/3
 *   without aborts, and the kernel runs without
 *   KPTI, so arm-smmu-v3-sva.c sets neither CD.HAFT nor warns about
 *   overlays
 */
#include <linux/types.h>
#include <linux/string.h>
#include <linux/bug.h>

#include "smmusim/arm64-cpu.h"

unsigned long long vabits_actual = VA_BITS;

unsigned long long smmusim_arm64_read_mair_el1(void)
{
	return 0x000000040044ffffull;
}

unsigned long long smmusim_arm64_read_sanitised_ftr_reg(unsigned int sys_reg)
{
	if (sys_reg == SYS_ID_AA64MMFR0_EL1)
		return (0x2ull << ID_AA64MMFR0_EL1_ASIDBITS_SHIFT) |
		       (0x5ull << ID_AA64MMFR0_EL1_PARANGE_SHIFT);
	WARN(1, "read_sanitised_ftr_reg: register %u is not modelled\n", sys_reg);
	return 0;
}

/* Arm ARM, ID_AA64MMFR0_EL1.PARange: 0b0000..0b0110 = 32, 36, 40, 42, 44,
 * 48, 52 bits. */
unsigned int smmusim_arm64_parange_to_phys_shift(unsigned int parange)
{
	static const unsigned char bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	if (parange < ARRAY_SIZE(bits))
		return bits[parange];
	/* A value the kernel does not know: arm64 returns its own limit,
	 * CONFIG_ARM64_PA_BITS (48 with 48-bit VAs and 4K pages). */
	return 48;
}

bool smmusim_arm64_has_feature(const char *name)
{
	return false;
}
