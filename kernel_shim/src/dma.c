// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: DMA-visible memory (kernel/dma/mapping.c's API for a
 * coherent device without an IOMMU in front of it; the iommu page
 * allocator of drivers/iommu/iommu-pages.h).
 *
 * Provides dma_alloc/free, dmam_alloc/free (the driver's queues, stream
 * and context descriptor tables, the CMDQV's queues), the DMA masks, the
 * streaming mappings io-pgtable uses for non-coherent walks, and the pages
 * of io-pgtable-arm.c's page tables.
 *
 * CUSTOMISED: memory comes from simulated DRAM (a first-fit pool in the
 *   host side): the DMA handle is the physical address the models see, the
 *   CPU pointer is the host mapping of that DRAM; page-table pages too,
 *   since the SMMU walks them (iommu_put_pages_list frees a gathered list
 *   of them)
 * STUBBED: unmapping and syncing (simulated DRAM is coherent)
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include "drivers/iommu/iommu-pages.h"

#include "shim.h"

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
		      unsigned long attrs)
{
	unsigned long long pa = 0;
	void *cpu = smmusim_host_dma_alloc(size, &pa);

	if (!cpu)
		return NULL;
	*dma_handle = pa;
	return cpu;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	if (!cpu_addr)
		return;
	WARN_ON(smmusim_host_dram_pa(cpu_addr) != dma_handle);
	smmusim_host_dma_free(cpu_addr);
}

static void dmam_release(struct device *dev, struct smmusim_devres *dr)
{
	smmusim_host_dma_free(dr->arg);
}

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp,
		       unsigned long attrs)
{
	struct smmusim_devres *dr = smmusim_devres_new(0, GFP_KERNEL, "dmam_alloc", dmam_release);
	void *cpu;

	if (!dr)
		return NULL;
	cpu = dma_alloc_attrs(dev, size, dma_handle, gfp, attrs);
	if (!cpu) {
		smmusim_host_kfree(dr);
		return NULL;
	}
	dr->arg = cpu;
	dr->aux = size;
	smmusim_devres_link(dev, dr);
	return cpu;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct smmusim_devres *dr;

	list_for_each_entry(dr, &dev->devres_head, node) {
		if (dr->release == dmam_release && dr->arg == vaddr) {
			list_del(&dr->node);
			smmusim_host_dma_free(vaddr);
			smmusim_host_kfree(dr);
			return;
		}
	}
	WARN(1, "dmam_free_coherent: %p was not allocated by dmam_alloc_coherent\n", vaddr);
}

/* The simulated interconnect has 48-bit physical addressing (mem.pa_bits). */
int dma_set_mask(struct device *dev, u64 mask)
{
	if (mask < DMA_BIT_MASK(32))
		return -EIO;
	if (dev->dma_mask)
		*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (mask < DMA_BIT_MASK(32))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/*
 * Streaming DMA of DRAM pages: identity (PA = DMA address), as a coherent
 * arm64 system without an IOMMU in front of the SMMU.  Used by io-pgtable
 * only for non-coherent walks.
 */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	return page_to_phys(page) + offset;
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
}

/* No caches between the simulated CPU and DRAM: nothing to write back. */
void __dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir)
{
}

/* ---- IOMMU page-table pages (drivers/iommu/iommu-pages.h) ------------------ */

void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	unsigned long long pa;

	/* __folio_alloc_node() of get_order(size): the page allocator's fault
	 * point (CONFIG_FAIL_PAGE_ALLOC, the iommufd selftest's kernel). */
	if (should_fail_alloc_page(gfp | __GFP_ZERO, get_order(size)))
		return NULL;
	return smmusim_host_dma_alloc(size < PAGE_SIZE ? PAGE_SIZE : size, &pa);
}

void iommu_free_pages(void *virt)
{
	if (virt)
		smmusim_host_dma_free(virt);
}

/* Frees every table page gathered on the list (generic_pt's unmap and
 * free paths: the iommufd selftest's mock page table). */
void iommu_put_pages_list(struct iommu_pages_list *list)
{
	struct ioptdesc *iopt, *tmp;

	list_for_each_entry_safe(iopt, tmp, &list->pages, iopt_freelist_elm)
		iommu_free_pages(folio_address(ioptdesc_folio(iopt)));
	INIT_LIST_HEAD(&list->pages);
}

/* Simulated DRAM is coherent with the simulated CPU: nothing to map. */
int iommu_pages_start_incoherent(void *virt, struct device *dma_dev)
{
	return 0;
}

