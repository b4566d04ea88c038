// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the allocators' fault attributes, failslab and
 * fail_page_alloc (mm/failslab.c, mm/fail_page_alloc.c), only in the
 * iommufd selftest's kernel build (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC,
 * CONFIG_FAULT_INJECTION_DEBUG_FS: selftest/selftest.config).
 *
 * The upstream files are not compiled: mm/ is not in the extracted tree,
 * and mm/failslab.c reads mm/slab.h's struct kmem_cache, which the shim's
 * caches (kmem_cache.c) are not.  This file keeps their contract
 * (DUPLICATED: must stay in sync): the same filters in the same order, the
 * same defaults (ignore-gfp-wait on for both, ignore-gfp-highmem on,
 * min-order 1) and the same debugfs files, each decision then made by the
 * upstream lib/fault-inject.c (should_fail_ex(): fail-nth, probability,
 * interval, times, space).
 *
 * CUSTOMISED:
 *   should_failslab        a kmem_cache allocation (kmem_cache.c)
 *   should_fail_alloc_page a page allocation of 2^order pages (slab.c's
 *                          pages, dma.c's page-table pages)
 *   smmusim_kmalloc_should_fail   the fault point of a kmalloc (slab.c): up
 *                          to KMALLOC_MAX_CACHE_SIZE a kmalloc cache's
 *                          (slab_pre_alloc_hook(): failslab; the shim has no
 *                          struct kmem_cache for them), above it the page
 *                          allocator's (__GFP_COMP, its order)
 *   smmusim_kvmalloc_should_fail  kvmalloc (mm/slub.c, __kvmalloc_node):
 *                          the kmalloc attempt with kmalloc_gfp_adjust()'s
 *                          flags; when that fails and the size is above a
 *                          page, the vmalloc fallback, whose fault points
 *                          are its three slab allocations (the vm_struct,
 *                          the vmap_area, the page array) and its order-0
 *                          pages (below fail_page_alloc's default min-order)
 *   failslab/, fail_page_alloc/ in debugfs (late initcalls, as upstream)
 * Not provided: the failslab= and fail_page_alloc= boot parameters (the
 * shim has no command line), the cache filter's SLAB_FAILSLAB flag (no
 * cache is created with it, so with cache-filter on nothing fails, as in a
 * kernel where no cache asks for it).
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "shim.h"

#if !defined(CONFIG_FAILSLAB) || !defined(CONFIG_FAIL_PAGE_ALLOC) || \
	!defined(CONFIG_FAULT_INJECTION_DEBUG_FS)
#error "fail_alloc.c is the iommufd selftest kernel's (selftest/selftest.config)"
#endif

static struct {
	struct fault_attr attr;
	bool ignore_gfp_reclaim;
	bool cache_filter;
} failslab = {
	.attr = FAULT_ATTR_INITIALIZER,
	.ignore_gfp_reclaim = true,
};

static struct {
	struct fault_attr attr;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;
	u32 min_order;
} fail_page_alloc = {
	.attr = FAULT_ATTR_INITIALIZER,
	.ignore_gfp_highmem = true,
	.ignore_gfp_reclaim = true,
	.min_order = 1,
};

/* Every caller's flags into should_fail_ex()'s (FAULT_NOWARN: no report). */
static int shim_fault_flags(gfp_t gfp)
{
	return (gfp & __GFP_NOWARN) ? FAULT_NOWARN : 0;
}

/* mm/failslab.c's filters; a cache made with SLAB_FAILSLAB does not exist. */
static bool shim_failslab(size_t object_size, gfp_t gfp, bool cache_has_failslab)
{
	if (gfp & __GFP_NOFAIL)
		return false;
	if (failslab.ignore_gfp_reclaim && (gfp & __GFP_DIRECT_RECLAIM))
		return false;
	if (failslab.cache_filter && !cache_has_failslab)
		return false;
	return should_fail_ex(&failslab.attr, object_size, shim_fault_flags(gfp));
}

int should_failslab(struct kmem_cache *s, gfp_t gfpflags)
{
	return shim_failslab(smmusim_kmem_cache_size(s), gfpflags, false) ? -ENOMEM : 0;
}


bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	if (order < fail_page_alloc.min_order)
		return false;
	if (gfp_mask & __GFP_NOFAIL)
		return false;
	if (fail_page_alloc.ignore_gfp_highmem && (gfp_mask & __GFP_HIGHMEM))
		return false;
	if (fail_page_alloc.ignore_gfp_reclaim && (gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	return should_fail_ex(&fail_page_alloc.attr, 1 << order, shim_fault_flags(gfp_mask));
}

bool smmusim_kmalloc_should_fail(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return should_fail_alloc_page(gfp | __GFP_COMP, get_order(size));
	return shim_failslab(size, gfp, false);
}

static bool shim_vmalloc_should_fail(size_t size, gfp_t gfp)
{
	size_t pages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;

	if (shim_failslab(sizeof(struct vm_struct), gfp, false) ||
	    shim_failslab(sizeof(struct vmap_area), gfp, false) ||
	    shim_failslab(pages * sizeof(struct page *), gfp, false))
		return true;
	for (i = 0; i < pages; i++)
		if (should_fail_alloc_page(gfp, 0))
			return true;
	return false;
}

bool smmusim_kvmalloc_should_fail(size_t size, gfp_t gfp)
{
	gfp_t kmalloc_gfp = gfp;

	/* kmalloc_gfp_adjust(): a large block is tried without insisting. */
	if (size > PAGE_SIZE) {
		kmalloc_gfp |= __GFP_NOWARN;
		if (!(gfp & __GFP_RETRY_MAYFAIL))
			kmalloc_gfp &= ~__GFP_DIRECT_RECLAIM;
		kmalloc_gfp &= ~__GFP_NOFAIL;
	}
	/* Above MAX_PAGE_ORDER the page allocator refuses before its hook. */
	if (size <= KMALLOC_MAX_SIZE && !smmusim_kmalloc_should_fail(size, kmalloc_gfp))
		return false;
	return size <= PAGE_SIZE || shim_vmalloc_should_fail(size, gfp);
}

static int __init shim_failslab_debugfs(void)
{
	umode_t mode = S_IFREG | 0600;
	struct dentry *dir = fault_create_debugfs_attr("failslab", NULL, &failslab.attr);

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_bool("ignore-gfp-wait", mode, dir, &failslab.ignore_gfp_reclaim);
	debugfs_create_bool("cache-filter", mode, dir, &failslab.cache_filter);
	return 0;
}
late_initcall(shim_failslab_debugfs);

static int __init shim_fail_page_alloc_debugfs(void)
{
	umode_t mode = S_IFREG | 0600;
	struct dentry *dir = fault_create_debugfs_attr("fail_page_alloc", NULL, &fail_page_alloc.attr);

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	debugfs_create_bool("ignore-gfp-wait", mode, dir, &fail_page_alloc.ignore_gfp_reclaim);
	debugfs_create_bool("ignore-gfp-highmem", mode, dir, &fail_page_alloc.ignore_gfp_highmem);
	debugfs_create_u32("min-order", mode, dir, &fail_page_alloc.min_order);
	return 0;
}
late_initcall(shim_fail_page_alloc_debugfs);
