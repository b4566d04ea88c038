// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: an in-kernel user of io-pgtable-arm itself
 * (drivers/iommu/io-pgtable-arm.c, compiled unmodified), for the walk
 * oracle (tests/kernel_shim/walk_vs_io_pgtable_test.cc): page tables of any
 * granule and either stage, built by the kernel's own code in simulated
 * DRAM (iommu_alloc_pages_node_sz, dma.c), so that the model's walker can
 * walk what the kernel wrote.
 *
 * Provides to the host side (include/smmusim/kernel.h): alloc_io_pgtable_ops
 * with ARM_64_LPAE_S1 or _S2 and the table's registers as io-pgtable set
 * them, map and unmap split into the largest page sizes the format allows
 * (what iommu_map()'s iommu_pgsize() does), iova_to_phys and free. TLB
 * maintenance is a no-op: no SMMU walks these tables, only tests do.
 */
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/slab.h>

#include <smmusim/kernel.h>

static void pgt_tlb_flush_all(void *cookie) { }
static void pgt_tlb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie) { }
static void pgt_tlb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova, size_t granule,
			     void *cookie) { }

static const struct iommu_flush_ops pgt_flush_ops = {
	.tlb_flush_all = pgt_tlb_flush_all,
	.tlb_flush_walk = pgt_tlb_flush_walk,
	.tlb_add_page = pgt_tlb_add_page,
};

void *smmusim_pgtable_alloc(void *dev, int stage2, unsigned long long pgsize_bitmap, unsigned int ias,
			    unsigned int oas, struct smmusim_pgtable_info *info)
{
	struct io_pgtable_cfg cfg = {
		.pgsize_bitmap = pgsize_bitmap,
		.ias = ias,
		.oas = oas,
		.coherent_walk = true,
		.tlb = &pgt_flush_ops,
		.iommu_dev = dev,
	};
	struct io_pgtable_ops *ops = alloc_io_pgtable_ops(stage2 ? ARM_64_LPAE_S2 : ARM_64_LPAE_S1, &cfg, NULL);

	if (!ops)
		return NULL;
	info->pgsize_bitmap = cfg.pgsize_bitmap;
	if (stage2) {
		info->ttb = cfg.arm_lpae_s2_cfg.vttbr;
		info->tsz = cfg.arm_lpae_s2_cfg.vtcr.tsz;
		info->tg = cfg.arm_lpae_s2_cfg.vtcr.tg;
		info->sl = cfg.arm_lpae_s2_cfg.vtcr.sl;
		info->ps = cfg.arm_lpae_s2_cfg.vtcr.ps;
	} else {
		info->ttb = cfg.arm_lpae_s1_cfg.ttbr;
		info->tsz = cfg.arm_lpae_s1_cfg.tcr.tsz;
		info->tg = cfg.arm_lpae_s1_cfg.tcr.tg;
		info->sl = 0;
		info->ps = cfg.arm_lpae_s1_cfg.tcr.ips;
	}
	return ops;
}

/* The largest page size of the format that `iova` and `pa` are aligned to
 * and `size` holds (iommu_pgsize() without its contiguous-range search). */
static size_t pgt_pgsize(struct io_pgtable_ops *ops, unsigned long long iova, unsigned long long pa,
			 unsigned long long size)
{
	unsigned long bitmap = io_pgtable_ops_to_pgtable(ops)->cfg.pgsize_bitmap;
	size_t best = 0;
	int bit;

	for_each_set_bit(bit, &bitmap, BITS_PER_LONG) {
		size_t sz = 1UL << bit;

		if (sz <= size && !(iova & (sz - 1)) && !(pa & (sz - 1)))
			best = sz;
	}
	return best;
}

int smmusim_pgtable_map(void *opsp, unsigned long long iova, unsigned long long pa, unsigned long long size,
			unsigned int flags)
{
	struct io_pgtable_ops *ops = opsp;
	int prot = ((flags & SMMUSIM_PGT_READ) ? IOMMU_READ : 0) | ((flags & SMMUSIM_PGT_WRITE) ? IOMMU_WRITE : 0) |
		   ((flags & SMMUSIM_PGT_NOEXEC) ? IOMMU_NOEXEC : 0) | ((flags & SMMUSIM_PGT_PRIV) ? IOMMU_PRIV : 0);

	while (size) {
		size_t sz = pgt_pgsize(ops, iova, pa, size), mapped = 0;
		int ret;

		if (!sz)
			return -EINVAL;
		ret = ops->map_pages(ops, iova, pa, sz, 1, prot, GFP_KERNEL, &mapped);
		if (ret)
			return ret;
		iova += sz;
		pa += sz;
		size -= sz;
	}
	return 0;
}

unsigned long long smmusim_pgtable_unmap(void *opsp, unsigned long long iova, unsigned long long size)
{
	struct io_pgtable_ops *ops = opsp;
	struct iommu_iotlb_gather gather;
	unsigned long long done = 0;

	iommu_iotlb_gather_init(&gather);
	while (done < size) {
		size_t sz = pgt_pgsize(ops, iova + done, iova + done, size - done);
		size_t n;

		if (!sz)
			break;
		n = ops->unmap_pages(ops, iova + done, sz, 1, &gather);
		if (!n)
			break;
		done += n;
	}
	return done;
}

unsigned long long smmusim_pgtable_iova_to_phys(void *opsp, unsigned long long iova)
{
	struct io_pgtable_ops *ops = opsp;

	return ops->iova_to_phys(ops, iova);
}

void smmusim_pgtable_free(void *ops)
{
	free_io_pgtable_ops(ops);
}
