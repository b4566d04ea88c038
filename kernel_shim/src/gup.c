// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: pinning user memory (mm/gup.c's contract).
 *
 * The simulated process's user memory that an IOMMU may reach is simulated
 * DRAM mapped into the host process (KernelShim::user_alloc): the host side
 * knows, for every such user page, the simulated physical frame behind it,
 * and places those frames contiguously or scattered as a test asks.  So
 * pin_user_pages*() return the struct page of the real simulated frame,
 * page_to_pfn() is its simulated PFN, and what iommufd maps into the IOMMU
 * or hands to the CMDQV as a queue base is a physical address the models
 * read.
 *
 * CUSTOMISED:
 *   pin_user_pages_fast/remote   pages of user memory; an address that is
 *                                not user memory fails with -EFAULT (what
 *                                the kernel gives for an unmapped address);
 *                                FOLL_LONGTERM pins are counted per frame
 *   unpin_user_page(s), unpin_user_page_range_dirty_lock, folio_add_pins,
 *   unpin_folios                 pin counts (a leak check: pins_live())
 *   set_page_dirty_lock          nothing to write back: returns 0
 * TRAPS:
 *   memfd_pin_folios             IOMMU_IOAS_MAP_FILE is not supported yet
 */
#include <linux/mm.h>
#include <linux/memfd.h>

#include "shim.h"

static long shim_pin(unsigned long start, unsigned long nr_pages, struct page **pages)
{
	unsigned long i;

	if (offset_in_page(start))
		return -EINVAL;
	for (i = 0; i < nr_pages; i++) {
		unsigned long long pa = smmusim_host_user_pa(start + i * PAGE_SIZE);

		if (pa == ~0ull)
			break;
		pages[i] = pfn_to_page(pa >> PAGE_SHIFT);
		smmusim_host_user_pin(pa >> PAGE_SHIFT, 1);
	}
	/* gup's contract: the number pinned, or an error if none was. */
	return i ? (long)i : -EFAULT;
}

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return (int)shim_pin(start, nr_pages, pages);
}

long pin_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked)
{
	return shim_pin(start, nr_pages, pages);
}

void unpin_user_page(struct page *page)
{
	smmusim_host_user_pin(page_to_pfn(page), -1);
}

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		unpin_user_page(pages[i]);
}

/* npages consecutive pages (one physically contiguous range). */
void unpin_user_page_range_dirty_lock(struct page *page, unsigned long npages, bool make_dirty)
{
	unsigned long pfn = page_to_pfn(page), i;

	for (i = 0; i < npages; i++)
		smmusim_host_user_pin(pfn + i, -1);
}

int folio_add_pins(struct folio *folio, unsigned int pins)
{
	smmusim_host_user_pin(folio_pfn(folio), (int)pins);
	return 0;
}

void unpin_folios(struct folio **folios, unsigned long nfolios)
{
	unsigned long i;

	for (i = 0; i < nfolios; i++)
		smmusim_host_user_pin(folio_pfn(folios[i]), -1);
}

int set_page_dirty_lock(struct page *page)
{
	return 0;
}

long memfd_pin_folios(struct file *memfd, loff_t start, loff_t end, struct folio **folios,
		      unsigned int max_folios, pgoff_t *offset)
{
	SMMUSIM_TRAP(memfd_pin_folios);
	return -EOPNOTSUPP;
}
