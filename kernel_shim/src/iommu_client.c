// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: an in-kernel client of the iommu API, which the
 * host side drives (KernelShim::domain_*, issue_cmd; the trace player's
 * kernel-level operations go through them).
 *
 * Provides to the host side (include/smmusim/kernel.h) what a kernel driver
 * that owns its DMA translations does with the iommu core
 * (drivers/iommu/iommu.c, compiled): paging domains allocated, attached,
 * mapped, unmapped, detached and freed, each through the core's exported
 * function, and whether an IOMMU is registered for a firmware node.  Two
 * entry points look into the bound arm-smmu-v3 driver, so this file is
 * compiled against the driver's own private header
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h, unmodified): the ASID of a
 * domain, and smmusim_smmu_issue_cmd(), which puts one raw command on the
 * queue the driver would pick (for error-path tests) through the driver's
 * non-static functions, never a private re-implementation.
 */
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/iommu.h>

#include "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h"
#include "drivers/iommu/iommu-priv.h"

#include <smmusim/kernel.h>
#include "shim.h"

static struct arm_smmu_device *shim_smmu(void *pdev)
{
	struct platform_device *p = pdev;

	return p && p->dev.driver ? platform_get_drvdata(p) : NULL;
}

/* ---- paging domains through the iommu core ---------------------------------
 * What an in-kernel user of the IOMMU API does (a driver that owns its DMA
 * translations): iommu_paging_domain_alloc() for its device, attach, map,
 * unmap (io-pgtable's unmap flushes through the SMMU driver's TLB ops and
 * iotlb_sync -> arm_smmu_domain_inv_range(): the driver picks the queue),
 * detach, free.  Every call is the iommu core's exported API.
 */
void *smmusim_domain_alloc_paging(void *ep, int *err)
{
	struct iommu_domain *d = iommu_paging_domain_alloc(ep);

	if (IS_ERR(d)) {
		*err = PTR_ERR(d);
		return NULL;
	}
	*err = 0;
	return d;
}

int smmusim_domain_attach(void *domain, void *ep)
{
	return iommu_attach_device(domain, ep);
}

void smmusim_domain_detach(void *domain, void *ep)
{
	iommu_detach_device(domain, ep);
}

int smmusim_domain_map(void *domain, unsigned long long iova, unsigned long long pa,
		       unsigned long long size, int write)
{
	int prot = IOMMU_READ | (write ? IOMMU_WRITE : 0);

	return iommu_map(domain, iova, pa, size, prot, GFP_KERNEL);
}

unsigned long long smmusim_domain_unmap(void *domain, unsigned long long iova,
					unsigned long long size)
{
	return iommu_unmap(domain, iova, size);
}

unsigned long long smmusim_domain_iova_to_phys(void *domain, unsigned long long iova)
{
	return iommu_iova_to_phys(domain, iova);
}

void smmusim_domain_free(void *domain)
{
	iommu_domain_free(domain);
}

/* The ASID the SMMU driver gave a stage-1 domain (its TLB tag). */
unsigned int smmusim_domain_asid(void *domain)
{
	return to_smmu_domain(domain)->cd.asid;
}

int smmusim_smmu_issue_cmd(void *pdev, unsigned long long dw0, unsigned long long dw1, int sync,
			   int *secondary)
{
	struct arm_smmu_device *smmu = shim_smmu(pdev);
	struct arm_smmu_cmd cmd = { .data = { dw0, dw1 } };
	struct arm_smmu_cmdq *cmdq = NULL;

	if (!smmu)
		return -ENODEV;
	/* arm_smmu_get_cmdq() (static in arm-smmu-v3.c) does exactly this. */
	if (smmu->impl_ops && smmu->impl_ops->get_secondary_cmdq)
		cmdq = smmu->impl_ops->get_secondary_cmdq(smmu, &cmd);
	if (secondary)
		*secondary = cmdq != NULL;
	return arm_smmu_cmdq_issue_cmdlist(smmu, cmdq ?: &smmu->cmdq, &cmd, 1, sync);
}

/* How many stream IDs the bound driver's stream table reaches, 0 without
 * one: what arm_smmu_sid_in_range() (static in arm-smmu-v3.c) compares a
 * master's stream IDs with, so that a refused endpoint can be explained
 * (its probe fails with -ERANGE, which the iommu core's bus notifier
 * drops). */
unsigned long long smmusim_smmu_stream_ids(void *pdev)
{
	struct arm_smmu_device *smmu = shim_smmu(pdev);

	if (!smmu)
		return 0;
	if (smmu->features & ARM_SMMU_FEAT_2_LVL_STRTAB)
		return (unsigned long long)smmu->strtab_cfg.l2.num_l1_ents * STRTAB_NUM_L2_STES;
	return smmu->strtab_cfg.linear.num_ents;
}

/* Whether an IOMMU is registered with the core for this firmware node
 * (iommu_ops_from_fwnode() compares pointers only, so the node may be
 * gone): KernelShim::iommus_registered(). */
int smmusim_iommu_registered_for(const void *fwnode)
{
	return fwnode && iommu_ops_from_fwnode(fwnode) != NULL;
}
