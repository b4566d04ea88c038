// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: what CONFIG_ARM_SMMU_V3_SVA's code
 * (arm-smmu-v3.c's IOPF paths, arm-smmu-v3-sva.c) and iommufd's fault
 * queue (eventq.c, with CONFIG_IOMMU_IOPF) link against: I/O page fault
 * queues (drivers/iommu/io-pgfault.c) and MMU notifiers
 * (mm/mmu_notifier.c).  The suite only builds STEs and CDs in memory; it
 * probes no SMMU, binds no process and takes no fault, so none of these is
 * reached.  Not here: the CPU values SVA CDs are built from (arm64_cpu.c).
 *
 * TRAPS:
 *   iopf_queue_alloc/free/add_device/remove_device, iommu_report_device_fault,
 *   iopf_group_response, iopf_free_group, iopf_group_dequeue,
 *   mmu_notifier_register/put/synchronize
 */
#include <linux/iommu.h>
#include <linux/mmu_notifier.h>

#include "../../src/shim.h"

struct iopf_queue *iopf_queue_alloc(const char *name)
{
	SMMUSIM_TRAP(iopf_queue_alloc);
	return NULL;
}

void iopf_queue_free(struct iopf_queue *queue)
{
	SMMUSIM_TRAP(iopf_queue_free);
}

int iopf_queue_add_device(struct iopf_queue *queue, struct device *dev)
{
	SMMUSIM_TRAP(iopf_queue_add_device);
	return -ENODEV;
}

void iopf_queue_remove_device(struct iopf_queue *queue, struct device *dev)
{
	SMMUSIM_TRAP(iopf_queue_remove_device);
}

int iommu_report_device_fault(struct device *dev, struct iopf_fault *evt)
{
	SMMUSIM_TRAP(iommu_report_device_fault);
	return -EOPNOTSUPP;
}

void iopf_group_response(struct iopf_group *group, enum iommu_page_response_code status)
{
	SMMUSIM_TRAP(iopf_group_response);
}

void iopf_free_group(struct iopf_group *group)
{
	SMMUSIM_TRAP(iopf_free_group);
}

void iopf_group_dequeue(struct iopf_group *group)
{
	SMMUSIM_TRAP(iopf_group_dequeue);
}

int mmu_notifier_register(struct mmu_notifier *subscription, struct mm_struct *mm)
{
	SMMUSIM_TRAP(mmu_notifier_register);
	return -EOPNOTSUPP;
}

void mmu_notifier_put(struct mmu_notifier *subscription)
{
	SMMUSIM_TRAP(mmu_notifier_put);
}

void mmu_notifier_synchronize(void)
{
	SMMUSIM_TRAP(mmu_notifier_synchronize);
}
