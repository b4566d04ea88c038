/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KUnit build overlay, appended by gen-config.sh after config/overlay.h to
 * the autoconf.h of build/kernel-kunit (never to the simulator's).
 *
 * drivers/iommu/arm/Kconfig: ARM_SMMU_V3_KUNIT_TEST "depends on KUNIT" and
 * "depends on ARM_SMMU_V3_SVA"; ARM_SMMU_V3_SVA "select IOMMU_SVA",
 * "select IOMMU_IOPF", "select MMU_NOTIFIER"; drivers/iommu/Kconfig:
 * IOMMU_SVA "select IOMMU_MM_DATA".  All of them sit under ARM_SMMU_V3
 * (arm64 only) or are hidden symbols only such drivers select, so Kconfig
 * cannot set them on x86_64: they are defined here as Kconfig would write
 * them for "=y".  MMU_NOTIFIER's own "select INTERVAL_TREE" is already on
 * (IOMMUFD selects it).  Nothing else is overridden.
 */
#ifndef SMMUSIM_KUNIT_OVERLAY
#define SMMUSIM_KUNIT_OVERLAY 1

#define CONFIG_ARM_SMMU_V3_SVA 1
#define CONFIG_ARM_SMMU_V3_KUNIT_TEST 1
#define CONFIG_IOMMU_SVA 1
#define CONFIG_IOMMU_IOPF 1
#define CONFIG_IOMMU_MM_DATA 1
#define CONFIG_MMU_NOTIFIER 1

#endif /* SMMUSIM_KUNIT_OVERLAY */
