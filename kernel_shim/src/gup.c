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
 *   pin_user_pages_fast/remote   pages of user memory of current->mm / of
 *                                the mm given (a forked process's address
 *                                space is the host side's copy of its
 *                                parent's); an address that is
 *                                not user memory fails with -EFAULT (what
 *                                the kernel gives for an unmapped address);
 *                                FOLL_LONGTERM pins are counted per frame,
 *                                by the host and in the page's reference
 *                                count (GUP_PIN_COUNTING_BIAS each)
 *   get_user_pages_fast          the same pages with a reference each
 *                                (FOLL_GET), dropped by put_page()
 *   __folio_put                  the last reference of a user frame: the
 *                                frame stays the process's; nothing to free
 *   unpin_user_page(s), unpin_user_page_range_dirty_lock, folio_add_pins,
 *   unpin_folios                 pin counts (a leak check: pins_live())
 *   set_page_dirty_lock          nothing to write back: returns 0
 *   memfd_pin_folios             the folios of a memfd's page cache
 *                                (shmem.c: order-0 folios of user memory),
 *                                allocated within the file's size as
 *                                shmem_read_folio() does, each pinned as
 *                                FOLL_PIN pins a small folio
 */
#include <linux/mm.h>
#include <linux/memfd.h>
#include <linux/shmem_fs.h>

#include <linux/sched.h>

#include "shim.h"

/* A pin is counted by the host (the leak check) and, as FOLL_PIN does for
 * a small folio, in the page's reference count by GUP_PIN_COUNTING_BIAS
 * (which the iommufd selftest's IOMMU_TEST_OP_MD_CHECK_REFS reads). */
static void shim_pin_count(unsigned long pfn, int delta)
{
	smmusim_host_user_pin(pfn, delta);
	page_ref_add(pfn_to_page(pfn), delta * GUP_PIN_COUNTING_BIAS);
}

/* The frame behind a user address of `mm` (the first process's through
 * the host's direct lookup), ~0ULL if none. */
static unsigned long long shim_user_pa(struct mm_struct *mm, unsigned long uva)
{
	int id = mm ? smmusim_mm_id(mm) : -1;

	if (id < 0)
		return ~0ull;
	return id ? smmusim_host_user_pa_in(id, uva) : smmusim_host_user_pa(uva);
}

/* The pages of user memory of `mm` from `start`, each given a pin
 * (FOLL_PIN) or a reference (FOLL_GET). */
static long shim_gup(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		     struct page **pages, bool pin)
{
	unsigned long i;

	start &= PAGE_MASK;	/* as gup_fast_fallback(): the page holding start */
	for (i = 0; i < nr_pages; i++) {
		unsigned long long pa = shim_user_pa(mm, start + i * PAGE_SIZE);

		if (pa == ~0ull)
			break;
		pages[i] = pfn_to_page(pa >> PAGE_SHIFT);
		if (pin)
			shim_pin_count(pa >> PAGE_SHIFT, 1);
		else
			get_page(pages[i]);
	}
	/* gup's contract: the number pinned, or an error if none was. */
	return i ? (long)i : -EFAULT;
}

static long shim_pin(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		     struct page **pages)
{
	return shim_gup(mm, start, nr_pages, pages, true);
}

int get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return (int)shim_gup(current->mm, start, nr_pages, pages, false);
}

/* The last reference to a user frame went (get_user_pages_fast() then
 * put_page()): the frame belongs to the simulated process's mapping
 * (host/user_memory), which stays; there is nothing to free. */
void __folio_put(struct folio *folio)
{
}

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return (int)shim_pin(current->mm, start, nr_pages, pages);
}

long pin_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked)
{
	return shim_pin(mm, start, nr_pages, pages);
}

void unpin_user_page(struct page *page)
{
	shim_pin_count(page_to_pfn(page), -1);
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
		shim_pin_count(pfn + i, -1);
}

int folio_add_pins(struct folio *folio, unsigned int pins)
{
	shim_pin_count(folio_pfn(folio), (int)pins);
	return 0;
}

void unpin_folios(struct folio **folios, unsigned long nfolios)
{
	unsigned long i;

	for (i = 0; i < nfolios; i++)
		shim_pin_count(folio_pfn(folios[i]), -1);
}

int set_page_dirty_lock(struct page *page)
{
	return 0;
}

/*
 * mm/gup.c's contract: pin the folios covering [start, end] (end
 * inclusive) of a shmem or hugetlbfs file, at most max_folios of them;
 * *offset is start's offset in the first.  The number pinned, or an errno
 * with none left pinned: -EINVAL for start < 0, start > end, no room, a
 * file of another kind, or a page at or past the file's end (the folio
 * shmem_read_folio() refuses to allocate there).
 */
long memfd_pin_folios(struct file *memfd, loff_t start, loff_t end, struct folio **folios,
		      unsigned int max_folios, pgoff_t *offset)
{
	pgoff_t index, last;
	unsigned int nr = 0;

	if (start < 0 || start > end || !max_folios)
		return -EINVAL;
	if (!memfd || !shmem_file(memfd))	/* no hugetlbfs (CONFIG_HUGETLBFS off) */
		return -EINVAL;
	last = end >> PAGE_SHIFT;
	for (index = start >> PAGE_SHIFT; index <= last && nr < max_folios; index++) {
		struct folio *folio = shim_shmem_get_folio(memfd, index);

		if (IS_ERR(folio)) {
			unpin_folios(folios, nr);
			return PTR_ERR(folio);
		}
		shim_pin_count(folio_pfn(folio), 1);
		folios[nr++] = folio;
	}
	*offset = offset_in_page(start);
	return nr;
}
