/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal declarations shared by the shim's kernel-side C files, each
 * next to the name of the file that defines it.  These files are compiled
 * like the upstream kernel sources (same flags, real kernel headers), so
 * the structures they build are the kernel's own.
 */
#ifndef SMMUSIM_SHIM_H
#define SMMUSIM_SHIM_H

#include <linux/device.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/types.h>
#include <smmusim/host.h>

/*
 * A shim function the linked kernel code references but that the simulator
 * does not implement (yet).  Calling it records a "trap" failure naming the
 * function, which fails the running test, and returns a harmless value.
 * These are STUBS; kernel_shim/README.md lists them.
 */
#define SMMUSIM_TRAP(name) \
	smmusim_host_failure("trap", "unimplemented kernel service " #name "() called")

/*
 * In a variadic function: formats its `fmt, ...` into buf (size bytes) as
 * the kernel's vsnprintf does (the host side's formatter (host/vsprintf.cc)); the value is the
 * length the whole output would have.
 */
#define smmusim_format(buf, size, fmt)					\
	({								\
		va_list ap_;						\
		int len_;						\
									\
		va_start(ap_, fmt);					\
		len_ = smmusim_host_vformat(buf, size, fmt, ap_);	\
		va_end(ap_);						\
		len_;							\
	})

/* The heap (slab.c): kmalloc() of a size known only at run time; and the
 * same without the kmalloc fault point, for an allocation that has asked
 * its own (a kmem_cache's). */
void *smmusim_kmalloc(size_t size, gfp_t flags);
void *smmusim_kmalloc_nofault(size_t size, gfp_t flags);
/* A cache's object size (kmem_cache.c). */
struct kmem_cache;
unsigned int smmusim_kmem_cache_size(const struct kmem_cache *s);

/*
 * The fault points of kmalloc and kvmalloc (fail_alloc.c, only in a kernel
 * with CONFIG_FAILSLAB: the iommufd selftest's; elsewhere nothing fails).
 */
#ifdef CONFIG_FAILSLAB
bool smmusim_kmalloc_should_fail(size_t size, gfp_t gfp);
bool smmusim_kvmalloc_should_fail(size_t size, gfp_t gfp);
#else
static inline bool smmusim_kmalloc_should_fail(size_t size, gfp_t gfp)
{
	return false;
}
static inline bool smmusim_kvmalloc_should_fail(size_t size, gfp_t gfp)
{
	return false;
}
#endif

/*
 * devres (devres.c): an entry of a device's release list.  The shim's
 * managed resources (dmam_*, devm_ioremap_resource) make one with a
 * release function, fill it, and link it to the device.
 */
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
struct smmusim_devres *smmusim_devres_new(size_t size, gfp_t gfp, const char *name,
					  void (*release)(struct device *, struct smmusim_devres *));
void smmusim_devres_link(struct device *dev, struct smmusim_devres *dr);
/* Releases every entry, newest first (unbind, failed probe). */
void smmusim_devres_release_all(struct device *dev);
int smmusim_devres_count(struct device *dev);

/* swnode.c: device_del() removes the device's managed software node. */
void smmusim_swnode_notify_remove(struct device *dev);

/* A file of the simulated process (file.c): one reference, on the shared
 * anonymous inode until the caller sets f_inode/f_mapping. */
struct file *shim_file_alloc(const struct file_operations *fops, void *priv, int flags);

/* shmem.c: a shmem file's page at `index` (allocated within i_size), or
 * ERR_PTR(-EINVAL) at or past its end, ERR_PTR(-ENOMEM). */
struct folio *shim_shmem_get_folio(struct file *file, pgoff_t index);

/* The linear map and struct page array over simulated DRAM (memmap.c). */
void smmusim_memmap_init(void);

/*
 * The processes (process.c) and their descriptor tables (file.c): the
 * running process's table of SMMUSIM_NR_FDS files (NULL: free), the host
 * side's number of an mm's address space (0: the first process's), a copy
 * of a table for fork() (each file one reference more) and the closing of
 * every descriptor of one at exit.
 */
#define SMMUSIM_NR_FDS 256
struct file;
struct mm_struct;
struct file **smmusim_current_fds(void);
int smmusim_mm_id(struct mm_struct *mm);
void smmusim_files_dup(struct file **to, struct file *const *from);
void smmusim_files_close(struct file **fds);

/* kthread.c: frees a kernel thread's task_struct (its last reference). */
struct task_struct;
void smmusim_kthread_free(struct task_struct *t);

/*
 * A platform device with its device-tree node and resources: built by
 * dt_nodes.c, registered on the platform bus by platform_bus.c (`node`
 * links it into the bus's device list while `registered`).
 */
struct smmusim_pdev {
	struct platform_device pdev;
	struct device_node np;
	struct resource res[8];
	u64 dma_mask;
	char name[64];
	char node_name[72];
	struct list_head node;
	bool registered;
};

/* The host side's opaque device handle (a struct platform_device *). */
static inline struct smmusim_pdev *to_smmusim_pdev(void *pdev)
{
	return container_of((struct platform_device *)pdev, struct smmusim_pdev, pdev);
}

/* The bus notifiers (platform_bus.c) for a device of any bus: what
 * device_add()/device_del() send (BUS_NOTIFY_*). */
void smmusim_bus_notify(struct device *dev, unsigned long action);
/* pci_bus_type's devices (pci.c), for bus_for_each_dev()/bus_find_device(). */
int smmusim_pci_for_each_dev(struct device *start, void *data, device_iter_t fn);
struct device *smmusim_pci_find_device(struct device *start, const void *data, device_match_t match);

/* The platform bus (platform_bus.c), for the initcalls (init.c): how
 * many drivers are registered; unregister them all and say how many. */
int smmusim_platform_driver_count(void);
int smmusim_platform_drivers_unregister_all(void);

#endif /* SMMUSIM_SHIM_H */
