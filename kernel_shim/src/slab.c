// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: kmalloc and the rest of the heap API (mm/slub.c,
 * mm/util.c, the page allocator's __get_free_pages()).
 *
 * Provides kmalloc/kzalloc/kfree/ksize/krealloc/kvmalloc/kstrdup/kasprintf
 * and page-sized blocks for every linked kernel object (the drivers, the
 * iommu core, iommufd, the libraries) and for the shim's own C files.
 *
 * CUSTOMISED: blocks come from the host heap through the host side, which
 *   counts every live block with its allocation site (leak checks), can
 *   inject failures (fail_kmalloc_after) and poisons what is not zeroed;
 *   the kernel's size limits are refused before the heap is touched; in
 *   the iommufd selftest's kernel (CONFIG_FAILSLAB), each allocation is
 *   first asked at the kernel's fault points (fail_alloc.c)
 */
#include <linux/slab.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/sprintf.h>
#include <linux/string.h>

#include "shim.h"

/* Only the pointers are looked at: the shim has a single heap. */
kmem_buckets kmalloc_caches[NR_KMALLOC_TYPES];

/*
 * The kernel's size limits, refused before the host heap is touched: a
 * kmalloc() larger than KMALLOC_MAX_SIZE needs a page order above
 * MAX_PAGE_ORDER, which the page allocator refuses with a WARN unless
 * __GFP_NOWARN (mm/page_alloc.c); kvmalloc() falls back to vmalloc() but
 * refuses "crazy sizes" above INT_MAX, again with a WARN unless
 * __GFP_NOWARN (mm/slub.c, __kvmalloc_node_noprof).
 */
static void *shim_heap_alloc(size_t size, gfp_t flags)
{
	return size ? smmusim_host_kmalloc(size, !!(flags & __GFP_ZERO)) : ZERO_SIZE_PTR;
}

void *smmusim_kmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (smmusim_kmalloc_should_fail(size, flags))
		return NULL;
	return shim_heap_alloc(size, flags);
}

void *smmusim_kmalloc_nofault(size_t size, gfp_t flags)
{
	return shim_heap_alloc(size, flags);
}

static void *shim_kvmalloc(size_t size, gfp_t flags)
{
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	if (smmusim_kvmalloc_should_fail(size, flags))
		return NULL;
	return shim_heap_alloc(size, flags);
}

#ifdef DECL_TOKEN_PARAMS
void *__kmalloc_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags)
#else
void *__kmalloc_noprof(size_t size, gfp_t flags)
#endif
{
	return smmusim_kmalloc(size, flags);
}

#ifdef DECL_KMALLOC_PARAMS
void *__kmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags, int node)
{
	return smmusim_kmalloc(size, flags);
}
#endif

void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	return smmusim_kmalloc(size, flags);
}

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	return smmusim_kmalloc(size, flags);
}

void kfree(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return;
	smmusim_host_kfree(p);
}

void kvfree(const void *p)
{
	kfree(p);
}

size_t ksize(const void *p)
{
	return ZERO_OR_NULL_PTR(p) ? 0 : smmusim_host_ksize(p);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	int len = smmusim_format(NULL, 0, fmt);
	char *p = kmalloc(len + 1, gfp);

	if (!p)
		return NULL;
	smmusim_format(p, len + 1, fmt);
	return p;
}

#ifdef DECL_TOKEN_PARAMS
void *krealloc_node_align_noprof(const void *p, DECL_TOKEN_PARAMS(new_size, token),
				 unsigned long align, gfp_t flags, int nid)
#else
void *krealloc_node_align_noprof(const void *p, size_t new_size, unsigned long align, gfp_t flags,
				 int nid)
#endif
{
	size_t old = ksize(p);
	void *n;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (p && old >= new_size)
		return (void *)p;
	n = smmusim_kmalloc(new_size, flags & ~__GFP_ZERO);
	if (!n)
		return NULL;
	if (p)
		memcpy(n, p, old);
	/* __GFP_ZERO zeroes the part beyond the old size (kernel contract). */
	if (flags & __GFP_ZERO)
		memset((char *)n + old, 0, new_size - old);
	kfree(p);
	return n;
}

void *__kvmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), unsigned long align, gfp_t flags,
			     int node)
{
	return shim_kvmalloc(size, flags);
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *p;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	p = kmalloc(len, gfp);
	if (p)
		memcpy(p, s, len);
	return p;
}

/* Page-sized CPU memory (iommufd's batch buffers): host heap, page aligned. */
unsigned long get_free_pages_noprof(gfp_t gfp, unsigned int order)
{
	if (should_fail_alloc_page(gfp, order))
		return 0;
	if (unlikely(PAGE_SIZE << order > KMALLOC_MAX_SIZE)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return 0;
	}
	return (unsigned long)shim_heap_alloc(PAGE_SIZE << order, gfp);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		kfree((void *)addr);
}

