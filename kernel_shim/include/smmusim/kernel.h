/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points of the shim's kernel-side C code (kernel_shim/src/) that the
 * C++ bridge calls.  Plain C types only; the kernel objects behind the
 * opaque handles are built and owned by the kernel side.
 */
#ifndef SMMUSIM_KERNEL_H
#define SMMUSIM_KERNEL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Sets up __va/__pa and the struct page array over simulated DRAM, and
 * enables interrupts on the simulated CPU.  Call once, before any kernel
 * code runs. */
void smmusim_kernel_init(void);

/* Runs the initcalls of every linked kernel object, in link order (driver
 * registration); and the exitcalls, then unregisters every platform driver
 * still registered (built-in code has no exitcalls).  Return how many. */
int smmusim_run_initcalls(void);
int smmusim_run_exitcalls(void);

/* An arm,smmu-v3 device-tree node and its platform device. */
struct smmusim_smmu_desc {
	unsigned long long base;	/* reg: base */
	unsigned long long size;	/* reg: size */
	/* Wired interrupts (0 = absent), named as in the DT binding. */
	unsigned int irq_eventq, irq_priq, irq_gerror, irq_cmdq_sync, irq_combined;
	int dma_coherent;		/* "dma-coherent" property */
	const char *node_name;		/* e.g. "iommu@10000000" */
};
/* Builds the node and the platform device (not yet registered). */
void *smmusim_smmu_device_create(const struct smmusim_smmu_desc *d);
/* Registers it: a matching platform driver probes it now.  Returns the
 * probe result (0 when bound; -EPROBE_DEFER-style codes as negative ints;
 * 1 if no driver matched). */
int smmusim_platform_device_add(void *pdev);
/* Unbinds (driver remove + devres release) and unregisters it. */
void smmusim_platform_device_del(void *pdev);
/* Frees what smmusim_smmu_device_create allocated. */
void smmusim_platform_device_destroy(void *pdev);
/* Non-zero while a driver is bound to it. */
int smmusim_platform_device_bound(void *pdev);
/* Number of devres entries on the device (for leak checks). */
int smmusim_platform_device_devres_count(void *pdev);
/* Number of iommu_device instances registered with the iommu core. */
int smmusim_iommu_registered_count(void);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_KERNEL_H */
