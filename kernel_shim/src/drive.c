// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: entry points through which the bridge (and so the
 * tests) make the bound arm-smmu-v3 driver do things it does for the rest
 * of the kernel.  Compiled against the driver's own private header
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h, unmodified) so the
 * structures are the driver's; every command reaches the hardware through
 * the driver's non-static functions, never a private re-implementation.
 *
 * What stands in for the iommu core here (CUSTOMISED, see README.md):
 * there are no endpoints, groups or attach yet, so smmusim_smmu_inv_range()
 * gives a paging domain the invalidation array an attach to this SMMU would
 * have built (arm_smmu_master_build_inv() for a stage-1 domain: one
 * INV_TYPE_S1_ASID entry), and then calls the driver's
 * arm_smmu_domain_inv_range() as io-pgtable's unmap path (tlb_flush_walk /
 * tlb_add_page + iotlb_sync) ends up doing.
 */
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "arm-smmu-v3.h"

#include <smmusim/kernel.h>
#include "shim.h"

static struct arm_smmu_device *shim_smmu(void *pdev)
{
	struct platform_device *p = pdev;

	return p && p->dev.driver ? platform_get_drvdata(p) : NULL;
}

int smmusim_smmu_inv_range(void *pdev, unsigned int asid, unsigned long long iova,
			   unsigned long long size, unsigned int granule)
{
	struct arm_smmu_device *smmu = shim_smmu(pdev);
	struct arm_smmu_domain *smmu_domain;
	struct arm_smmu_invs *invs, *empty;
	struct arm_smmu_inv *inv;

	if (!smmu)
		return -ENODEV;
	smmu_domain = arm_smmu_domain_alloc();
	if (IS_ERR(smmu_domain))
		return PTR_ERR(smmu_domain);
	smmu_domain->smmu = smmu;
	smmu_domain->stage = ARM_SMMU_DOMAIN_S1;
	smmu_domain->cd.asid = asid;
	smmu_domain->domain.pgsize_bitmap = smmu->pgsize_bitmap;

	invs = arm_smmu_invs_alloc(1);
	if (!invs) {
		kfree(rcu_dereference_protected(smmu_domain->invs, true));
		kfree(smmu_domain);
		return -ENOMEM;
	}
	/* As arm_smmu_master_build_inv(INV_TYPE_S1_ASID) and the merge. */
	inv = &invs->inv[0];
	inv->smmu = smmu;
	inv->type = INV_TYPE_S1_ASID;
	inv->id = asid;
	inv->users = 1;
	if (smmu->features & ARM_SMMU_FEAT_RANGE_INV)
		inv->pgsize = __ffs(smmu_domain->domain.pgsize_bitmap);
	if (smmu->features & ARM_SMMU_FEAT_E2H) {
		inv->size_opcode = CMDQ_OP_TLBI_EL2_VA;
		inv->nsize_opcode = CMDQ_OP_TLBI_EL2_ASID;
	} else {
		inv->size_opcode = CMDQ_OP_TLBI_NH_VA;
		inv->nsize_opcode = CMDQ_OP_TLBI_NH_ASID;
	}
	empty = rcu_dereference_protected(smmu_domain->invs, true);
	rcu_assign_pointer(smmu_domain->invs, invs);
	kfree(empty);

	arm_smmu_domain_inv_range(smmu_domain, iova, size, granule, true);

	kfree(rcu_dereference_protected(smmu_domain->invs, true));
	kfree(smmu_domain);
	return 0;
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
