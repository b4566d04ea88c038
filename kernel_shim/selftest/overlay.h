/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iommufd selftest build's overlay, appended by gen-config.sh after
 * config/overlay.h to the autoconf.h of build/kernel-selftest (never to
 * the simulator's).
 *
 * drivers/iommu/Kconfig: IOMMU_IOPF is a hidden bool that only IOMMU
 * drivers select (on x86: AMD_IOMMU, INTEL_IOMMU; on arm64:
 * ARM_SMMU_V3_SVA), so Kconfig cannot set it here without building one of
 * those drivers.  With it, drivers/iommu/io-pgfault.c is compiled
 * (upstream-files.txt) and the mock driver's fault queue works: its
 * init allocates one with iopf_queue_alloc(), a device joins it, and
 * IOMMU_TEST_OP_TRIGGER_IOPF reports a fault through
 * iommu_report_device_fault() to iommufd's fault object (eventq.c).
 * Without it include/linux/iommu.h's stubs make iopf_queue_alloc() NULL
 * and every IOPF-capable HWPT attach fails.  Nothing else is overridden.
 */
#ifndef SMMUSIM_SELFTEST_OVERLAY
#define SMMUSIM_SELFTEST_OVERLAY 1

#define CONFIG_IOMMU_IOPF 1

#endif /* SMMUSIM_SELFTEST_OVERLAY */
