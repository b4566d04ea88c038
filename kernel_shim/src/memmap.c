// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the kernel's view of physical memory (x86's
 * page_offset_base, vmemmap_base, phys_base).
 *
 * Makes __va()/__pa(), virt_to_page() and pfn_to_page() land on simulated
 * DRAM for every linked object (io-pgtable-arm.c's table walks, iommufd's
 * pinned pages, the DMA pool): the x86 arithmetic on these bases reaches
 * the host mapping of DRAM and a struct page array that covers it.
 * phys_to_virt() (include/asm/io.h) checks the PA: outside DRAM, which
 * arm64's linear map does not hold, it gives the linear map's hole
 * (host/linear_hole.h), so the access oopses as on arm64.
 *
 * STUBBED: is_vmalloc_addr() (there is no vmalloc area)
 */
#include <linux/mm.h>

#include "shim.h"

unsigned long page_offset_base;
unsigned long vmemmap_base;
unsigned long phys_base;

/* DRAM, the only memory the linear map holds. */
static unsigned long long ram_pa, ram_size;

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
	ram_pa = pa;
	ram_size = size;
	/* x86: __va(pa) = pa + page_offset_base; __pa(va) = va - page_offset_base. */
	page_offset_base = (unsigned long)host - (unsigned long)pa;
	/* x86: pfn_to_page(pfn) = (struct page *)vmemmap_base + pfn. */
	npages = size >> PAGE_SHIFT;
	pages = smmusim_host_map_zero(npages * sizeof(struct page));
	vmemmap_base = (unsigned long)(pages - (pa >> PAGE_SHIFT));
	phys_base = 0;
}

void *smmusim_phys_to_virt(unsigned long address)
{
	if (address - ram_pa < ram_size)
		return (void *)(address + page_offset_base);
	return smmusim_host_linear_hole(address);
}
