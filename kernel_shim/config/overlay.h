/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smmusim configuration overlay, appended by gen-config.sh to the
 * include/generated/autoconf.h that Kconfig produced in the build directory.
 *
 * Why: the configuration is made by the kernel's own Kconfig for
 * ARCH=x86_64, because the kernel sources are compiled for the host.  But
 * the drivers under simulation are arm64 drivers, and Kconfig drops them
 * (and what they would select) on x86_64:
 *
 *   ARM_SMMU_V3          "depends on ARM64"
 *   ARM_SMMU_V3_IOMMUFD  inside "if ARM_SMMU_V3"
 *   TEGRA241_CMDQV       inside "if ARM_SMMU_V3"
 *   PCI_ATS              hidden; on arm64 kernels it is selected by
 *                        PCI_IOV/PCI_PRI/PCI_PASID, which the shim leaves
 *                        off (their real code lives in drivers/pci/ats.c
 *                        and would have to be provided by the shim)
 *   IOMMUFD_DRIVER       hidden; ARM_SMMU_V3 does "select IOMMUFD_DRIVER if
 *                        IOMMUFD", which cannot happen on x86_64
 *
 * So they are defined here, exactly as Kconfig would have written them for
 * "=y".  Nothing else is overridden; every other symbol comes from Kconfig.
 */
#ifndef SMMUSIM_CONFIG_OVERLAY
#define SMMUSIM_CONFIG_OVERLAY 1

#define CONFIG_ARM_SMMU_V3 1
#define CONFIG_ARM_SMMU_V3_IOMMUFD 1
#define CONFIG_TEGRA241_CMDQV 1
#define CONFIG_PCI_ATS 1
#define CONFIG_IOMMUFD_DRIVER 1

#endif /* SMMUSIM_CONFIG_OVERLAY */
