// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the kernel's view of physical memory (x86's
 * page_offset_base, vmemmap_base, phys_base).
 *
 * Makes __va()/__pa(), virt_to_page() and pfn_to_page() land on simulated
 * DRAM for every linked object (io-pgtable-arm.c's table walks, iommufd's
 * pinned pages, the DMA pool): the x86 arithmetic on these bases reaches
 * the host mapping of DRAM and a struct page array that covers it.
 *
 * STUBBED: is_vmalloc_addr() (there is no vmalloc area)
 */
#include <linux/mm.h>

#include "shim.h"

unsigned long page_offset_base;
unsigned long vmemmap_base;
unsigned long phys_base;

/* No vmalloc area in the shim: every allocation is linear. */
bool is_vmalloc_addr(const void *x)
{
	return false;
}

void smmusim_memmap_init(void)
{
	void *host;
	unsigned long long pa, size, npages;
	struct page *pages;

	smmusim_host_dram_window(&host, &pa, &size);
	/* x86: __va(pa) = pa + page_offset_base; __pa(va) = va - page_offset_base. */
	page_offset_base = (unsigned long)host - (unsigned long)pa;
	/* x86: pfn_to_page(pfn) = (struct page *)vmemmap_base + pfn. */
	npages = size >> PAGE_SHIFT;
	pages = smmusim_host_map_zero(npages * sizeof(struct page));
	vmemmap_base = (unsigned long)(pages - (pa >> PAGE_SHIFT));
	phys_base = 0;
}
