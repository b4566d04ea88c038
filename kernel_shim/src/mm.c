// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: memory services.
 *
 * CUSTOMISED (behaviour chosen for testing):
 *   kmalloc & co.       host heap through the bridge: every live block is
 *                       counted (leak checks), failures can be injected,
 *                       non-zeroed blocks are poisoned
 *   devm_* / devres     per-device release lists, released in reverse order
 *                       on unbind or failed probe, as drivers/base/devres.c
 *   dma_alloc_* /dmam_* simulated DRAM: the DMA handle is the physical
 *                       address the models see, the CPU pointer is the
 *                       host mapping of that DRAM
 *   iommu page tables   simulated DRAM too (the SMMU walks them)
 *   ioremap             a cookie in a PROT_NONE host range; accesses go
 *                       through __raw_read/__raw_write to the models
 *   __va/__pa, pfn      page_offset_base/vmemmap_base make the x86
 *                       arithmetic land on the DRAM host mapping and on a
 *                       struct page array that covers DRAM
 *   user copies         "user" memory is host memory of the same process
 */
#include <linux/version.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>
#include <linux/sprintf.h>
#include <linux/bitmap.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/radix-tree.h>
#include <linux/maple_tree.h>
#include <smmusim/kernel.h>
#include "../../drivers/iommu/iommu-pages.h"

#include "shim.h"

/* ---- kmalloc -------------------------------------------------------------- */

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
static void *shim_kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return smmusim_host_kmalloc(size, !!(flags & __GFP_ZERO));
}

static void *shim_kvmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return smmusim_host_kmalloc(size, !!(flags & __GFP_ZERO));
}

#ifdef DECL_TOKEN_PARAMS
void *__kmalloc_noprof(DECL_TOKEN_PARAMS(size, token), gfp_t flags)
#else
void *__kmalloc_noprof(size_t size, gfp_t flags)
#endif
{
	return shim_kmalloc(size, flags);
}

#ifdef DECL_KMALLOC_PARAMS
void *__kmalloc_node_noprof(DECL_KMALLOC_PARAMS(size, b, token), gfp_t flags, int node)
{
	return shim_kmalloc(size, flags);
}
#endif

void *__kmalloc_cache_noprof(struct kmem_cache *s, gfp_t flags, size_t size)
{
	return shim_kmalloc(size, flags);
}

void *__kmalloc_large_noprof(size_t size, gfp_t flags)
{
	return shim_kmalloc(size, flags);
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

/*
 * kfree_rcu()/kvfree_rcu(): freed at once.  CUSTOMISED: with one simulated
 * CPU and TINY_RCU, a grace period has passed whenever the caller does not
 * hold an RCU read lock, which kfree_rcu() callers never do.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
void kvfree_call_rcu(struct kvfree_rcu_head *head, void *ptr)
#else
void kvfree_call_rcu(struct rcu_head *head, void *ptr)	/* 7.2 and older */
#endif
{
	kfree(ptr);
}

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *p;

	va_start(ap, fmt);
	len = smmusim_host_vformat(NULL, 0, fmt, ap);
	va_end(ap);
	p = kmalloc(len + 1, gfp);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	smmusim_host_vformat(p, len + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- devres ---------------------------------------------------------------- */

struct smmusim_devres {
	struct list_head node;
	void (*release)(struct device *dev, struct smmusim_devres *dr);
	void (*action)(void *);		/* __devm_add_action */
	void *arg;			/* action argument / DMA cookie */
	unsigned long long aux;		/* DMA size, IRQ number, ... */
	const char *name;
	size_t size;
	u8 data[] __aligned(ARCH_KMALLOC_MINALIGN);
};

static struct smmusim_devres *devres_new(size_t size, gfp_t gfp, const char *name,
					  void (*release)(struct device *, struct smmusim_devres *))
{
	struct smmusim_devres *dr;

	dr = smmusim_host_kmalloc(sizeof(*dr) + size, !!(gfp & __GFP_ZERO));
	if (!dr)
		return NULL;
	memset(dr, 0, sizeof(*dr));
	INIT_LIST_HEAD(&dr->node);
	dr->release = release;
	dr->name = name;
	dr->size = size;
	return dr;
}

static void devres_link(struct device *dev, struct smmusim_devres *dr)
{
	list_add_tail(&dr->node, &dev->devres_head);
}

void smmusim_devres_release_all(struct device *dev)
{
	/* Newest first, like release_nodes() in drivers/base/devres.c. */
	while (!list_empty(&dev->devres_head)) {
		struct smmusim_devres *dr =
			list_last_entry(&dev->devres_head, struct smmusim_devres, node);

		list_del(&dr->node);
		if (dr->release)
			dr->release(dev, dr);
		smmusim_host_kfree(dr);
	}
}

int smmusim_devres_count(struct device *dev)
{
	struct smmusim_devres *dr;
	int n = 0;

	list_for_each_entry(dr, &dev->devres_head, node)
		n++;
	return n;
}

static struct smmusim_devres *devres_of_data(struct device *dev, const void *p)
{
	struct smmusim_devres *dr;

	list_for_each_entry(dr, &dev->devres_head, node)
		if ((const void *)dr->data == p)
			return dr;
	return NULL;
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct smmusim_devres *dr = devres_new(size, gfp, "devm_kmalloc", NULL);

	if (!dr)
		return NULL;
	devres_link(dev, dr);
	return dr->data;
}

void devm_kfree(struct device *dev, const void *p)
{
	struct smmusim_devres *dr;

	if (ZERO_OR_NULL_PTR(p))
		return;
	dr = devres_of_data(dev, p);
	if (WARN_ON(!dr))
		return;
	list_del(&dr->node);
	smmusim_host_kfree(dr);
}

void *devm_krealloc(struct device *dev, void *ptr, size_t new_size, gfp_t gfp)
{
	struct smmusim_devres *old, *dr;

	if (!ptr)
		return devm_kmalloc(dev, new_size, gfp);
	old = devres_of_data(dev, ptr);
	if (WARN_ON(!old))
		return NULL;
	if (new_size <= old->size)
		return ptr;
	dr = devres_new(new_size, gfp, "devm_krealloc", NULL);
	if (!dr)
		return NULL;
	memcpy(dr->data, old->data, old->size);
	if (gfp & __GFP_ZERO)
		memset(dr->data + old->size, 0, new_size - old->size);
	/* Take the old entry's place in the release order. */
	list_replace(&old->node, &dr->node);
	smmusim_host_kfree(old);
	return dr->data;
}

static void devres_run_action(struct device *dev, struct smmusim_devres *dr)
{
	dr->action(dr->arg);
}

int __devm_add_action(struct device *dev, void (*action)(void *), void *data, const char *name)
{
	struct smmusim_devres *dr = devres_new(0, GFP_KERNEL, name, devres_run_action);

	if (!dr)
		return -ENOMEM;
	dr->action = action;
	dr->arg = data;
	devres_link(dev, dr);
	return 0;
}

/* ---- DMA --------------------------------------------------------------------- */

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
	struct smmusim_devres *dr = devres_new(0, GFP_KERNEL, "dmam_alloc", dmam_release);
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
	devres_link(dev, dr);
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

	return smmusim_host_dma_alloc(size < PAGE_SIZE ? PAGE_SIZE : size, &pa);
}

void iommu_free_pages(void *virt)
{
	if (virt)
		smmusim_host_dma_free(virt);
}

/* Simulated DRAM is coherent with the simulated CPU: nothing to map. */
int iommu_pages_start_incoherent(void *virt, struct device *dma_dev)
{
	return 0;
}

/* ---- MMIO mappings ------------------------------------------------------------ */

void __iomem *ioremap(resource_size_t offset, unsigned long size)
{
	return (void __iomem *)smmusim_host_ioremap(offset, size);
}

void __iomem *ioremap_wc(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_wt(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_uc(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_cache(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, pgprot_t prot)
{
	return ioremap(offset, size);
}

void iounmap(volatile void __iomem *addr)
{
	smmusim_host_iounmap((const volatile void __force *)addr);
}

static void devm_iounmap_release(struct device *dev, struct smmusim_devres *dr)
{
	iounmap((void __iomem *)dr->arg);
}

void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	struct smmusim_devres *dr;
	void __iomem *p;

	if (!res || resource_type(res) != IORESOURCE_MEM) {
		dev_err(dev, "invalid resource %pR\n", res);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	dr = devres_new(0, GFP_KERNEL, "devm_ioremap", devm_iounmap_release);
	if (!dr)
		return IOMEM_ERR_PTR(-ENOMEM);
	p = ioremap(res->start, resource_size(res));
	if (!p) {
		smmusim_host_kfree(dr);
		dev_err(dev, "ioremap failed for resource %pR\n", res);
		return IOMEM_ERR_PTR(-ENOMEM);
	}
	dr->arg = (void __force *)p;
	devres_link(dev, dr);
	return p;
}

/* ---- __va/__pa and struct page ---------------------------------------------- */

unsigned long page_offset_base;
unsigned long vmemmap_base;
unsigned long phys_base;

/* No vmalloc area in the shim: every allocation is linear. */
bool is_vmalloc_addr(const void *x)
{
	return false;
}

void smmusim_kernel_init(void)
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
	/* Contexts start from smmusim_ctx_init()'s state; so does the CPU. */
	{
		unsigned long pc, flags;

		smmusim_ctx_init(&pc, &flags);
		smmusim_ctx_restore(pc, flags);
	}
}

/* ---- user copies ------------------------------------------------------------ */

unsigned long _copy_from_user(void *to, const void __user *from, unsigned long n)
{
	memcpy(to, (const void __force *)from, n);
	return 0;
}

unsigned long _copy_to_user(void __user *to, const void *from, unsigned long n)
{
	memcpy((void __force *)to, from, n);
	return 0;
}

int check_zeroed_user(const void __user *from, size_t size)
{
	const u8 *p = (const u8 __force *)from;
	size_t i;

	for (i = 0; i < size; i++)
		if (p[i])
			return 0;
	return 1;
}

/* ---- more of the slab API --------------------------------------------------
 * CUSTOMISED: a kmem_cache is a size, an alignment and a constructor over
 * the same counted heap as kmalloc.  Constructors run on every allocation
 * (the kernel runs them when a slab page is populated; objects come back
 * to the cache in their constructed state, which callers must guarantee,
 * so running the constructor again is equivalent).
 */
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

void *kmem_cache_alloc_noprof(struct kmem_cache *s, gfp_t flags)
{
	/* The heap aligns power-of-two sizes to their size (up to a page). */
	size_t size = s->align > 16 ? roundup_pow_of_two(max(s->size, s->align)) : s->size;
	void *p = shim_kmalloc(size, flags);

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
	n = shim_kmalloc(new_size, flags & ~__GFP_ZERO);
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
	return (unsigned long)shim_kmalloc(PAGE_SIZE << order, gfp);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		kfree((void *)addr);
}

/* What start_kernel() sets up for the libraries before any initcall. */
void smmusim_kernel_early_init(void)
{
	smmusim_process_init();
	radix_tree_init();
	maple_tree_init();
}
