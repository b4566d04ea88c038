// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: slab caches and sheaves (mm/slub.c's kmem_cache API).
 *
 * Provides kmem_cache_create/alloc/free for the radix tree's and the maple
 * tree's node caches, and the sheaves the maple tree preallocates with.
 *
 * CUSTOMISED: a kmem_cache is a size, an alignment and a constructor over
 * the same counted heap as kmalloc (slab.c).  Constructors run on every
 * allocation (the kernel runs them when a slab page is populated; objects
 * come back to the cache in their constructed state, which callers must
 * guarantee, so running the constructor again is equivalent).  In the
 * iommufd selftest's kernel each allocation first asks should_failslab()
 * (fail_alloc.c), as slab_pre_alloc_hook() does.
 */
#include <linux/slab.h>
#include <linux/fault-inject.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "shim.h"

struct kmem_cache {
	const char *name;
	unsigned int size, align;
	void (*ctor)(void *);
};

struct kmem_cache *__kmem_cache_create_args(const char *name, unsigned int object_size,
					    struct kmem_cache_args *args, slab_flags_t flags)
{
	struct kmem_cache *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s) {
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create: failed to create slab '%s'\n", name);
		return NULL;
	}
	s->name = name;
	s->size = object_size;
	s->align = args ? args->align : 0;
	s->ctor = args ? args->ctor : NULL;
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	kfree(s);
}

unsigned int smmusim_kmem_cache_size(const struct kmem_cache *s)
{
	return s->size;
}

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t flags)
{
	/* The heap aligns power-of-two sizes to their size (up to a page). */
	size_t size = s->align > 16 ? roundup_pow_of_two(max(s->size, s->align)) : s->size;
	void *p;

	/* slab_pre_alloc_hook(): the cache's fault point (fail_alloc.c). */
	if (should_failslab(s, flags))
		return NULL;
	p = smmusim_kmalloc_nofault(size, flags);

	if (p && s->ctor)
		s->ctor(p);
	return p;
}

void *kmem_cache_alloc_lru_noprof(struct kmem_cache *s, struct list_lru *lru, gfp_t flags)
{
	return kmem_cache_alloc_noprof(s, flags);
}

void *kmem_cache_alloc_node_noprof(struct kmem_cache *s, gfp_t flags, int node)
{
	return kmem_cache_alloc_noprof(s, flags);
}

void kmem_cache_free(struct kmem_cache *s, void *objp)
{
	kfree(objp);
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++)
		kfree(p[i]);
}

/* Sheaves (the maple tree's preallocation): an array of ready objects. */
struct slab_sheaf {
	unsigned int capacity, size;
	void *objects[];
};

static int shim_sheaf_fill(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf,
			   unsigned int size)
{
	while (sheaf->size < size) {
		void *o = kmem_cache_alloc_noprof(s, gfp);

		if (!o)
			return -ENOMEM;
		sheaf->objects[sheaf->size++] = o;
	}
	return 0;
}

struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size)
{
	struct slab_sheaf *sheaf = kzalloc(struct_size(sheaf, objects, size), gfp);

	if (!sheaf)
		return NULL;
	sheaf->capacity = size;
	if (shim_sheaf_fill(s, gfp, sheaf, size)) {
		kmem_cache_return_sheaf(s, gfp, sheaf);
		return NULL;
	}
	return sheaf;
}

int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size)
{
	struct slab_sheaf *sheaf = *sheafp, *n;

	if (!sheaf)
		return -EINVAL;
	if (size > sheaf->capacity) {
		n = kzalloc(struct_size(n, objects, size), gfp);
		if (!n)
			return -ENOMEM;
		n->capacity = size;
		n->size = sheaf->size;
		memcpy(n->objects, sheaf->objects, sheaf->size * sizeof(void *));
		kfree(sheaf);
		*sheafp = sheaf = n;
	}
	return shim_sheaf_fill(s, gfp, sheaf, size);
}

void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	kmem_cache_free_bulk(s, sheaf->size, sheaf->objects);
	kfree(sheaf);
}

void *kmem_cache_alloc_from_sheaf_noprof(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	void *o;

	if (!sheaf->size)
		return NULL;
	o = sheaf->objects[--sheaf->size];
	if (gfp & __GFP_ZERO)
		memset(o, 0, s->size);
	return o;
}

unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}

