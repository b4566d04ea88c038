/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points of the shim's kernel-side C code (kernel_shim/src/) that the
 * C++ host side (kernel_shim/host/) calls.  Plain C types only; the kernel objects behind the
 * opaque handles are built and owned by the kernel side.
 */
#ifndef SMMUSIM_KERNEL_H
#define SMMUSIM_KERNEL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Sets up __va/__pa and the struct page array over simulated DRAM, and
 * enables interrupts on the simulated CPU.  Call once, before any kernel
 * code runs. */
void smmusim_kernel_init(void);

/* Runs the initcalls of every linked kernel object, in link order (driver
 * registration); and the exitcalls, then unregisters every platform driver
 * still registered (built-in code has no exitcalls).  Return how many. */
/* Library set-up that start_kernel() does before the initcalls (the radix
 * tree and maple tree node caches). */
void smmusim_kernel_early_init(void);
/* drivers_only: run again only the initcalls that registered a driver. */
int smmusim_run_initcalls(int drivers_only);
int smmusim_run_exitcalls(void);

/* An endpoint (DMA master) node: "iommus" = <&smmu sid>...; no driver binds
 * it.  Add it with smmusim_platform_device_add(), which makes the iommu
 * core probe it with the SMMU. */
#define SMMUSIM_MAX_ENDPOINT_SIDS 8
struct smmusim_endpoint_desc {
	const char *name;	/* device and node name */
	void *smmu;		/* the SMMU platform device */
	unsigned int sids[SMMUSIM_MAX_ENDPOINT_SIDS];
	unsigned int nr_sids;
};
void *smmusim_endpoint_device_create(const struct smmusim_endpoint_desc *d);
/* The iommu_group of a device (a struct device *, as smmusim_device_of()
 * or smmusim_pci_device_of() give it): NULL when the IOMMU did not take it. */
void *smmusim_device_iommu_group(void *dev);
/* &pdev->dev */
void *smmusim_device_of(void *pdev);

/* A PCI host bridge node (pci-host-ecam-generic, no driver binds it) with
 * "iommu-map" = <rid_base &smmu sid_base length> (RID -> StreamID) and,
 * when ats_supported, "ats-supported" (the root complex forwards ATS: the
 * iommu core then sets IOMMU_FWSPEC_PCI_RC_ATS on its functions). */
struct smmusim_pci_host_desc {
	void *smmu;		/* the SMMU platform device */
	unsigned int rid_base, sid_base, length;
	int ats_supported;
	const char *node_name;	/* e.g. "/pcie@30000000" */
};
void *smmusim_pci_host_bridge_create(const struct smmusim_pci_host_desc *d);
/* The host bridge the functions sit under (its platform device, after
 * smmusim_platform_device_add()); NULL forgets it. */
void smmusim_pci_host_bridge_set(void *bridge_pdev);
/* An endpoint function on the root bus (bus 0) with this RID (devfn; 0 to
 * 0xff) whose configuration space is the host's `cfg` (smmusim_host_pci_cfg_*);
 * what the PCI core's enumeration reads is read from it (IDs, class, the
 * ATS capability's offset). NULL without a host bridge or for a RID past
 * bus 0. */
void *smmusim_pci_device_create(unsigned int rid, void *cfg);
/* device_add(): the iommu core probes it with the IOMMU. */
void smmusim_pci_device_add(void *pci_dev);
/* device_del() (the iommu core releases it), then frees it. */
void smmusim_pci_device_destroy(void *pci_dev);
/* &pci_dev->dev */
void *smmusim_pci_device_of(void *pci_dev);

/* An arm,smmu-v3 device-tree node and its platform device. */
struct smmusim_smmu_desc {
	unsigned long long base;	/* reg: base */
	unsigned long long size;	/* reg: size */
	/* Wired interrupts (0 = absent), named as in the DT binding. */
	unsigned int irq_eventq, irq_priq, irq_gerror, irq_cmdq_sync, irq_combined;
	int dma_coherent;		/* "dma-coherent" property */
	const char *node_name;		/* e.g. "iommu@10000000" */
	/* The companion CMDQV platform device (from smmusim_cmdqv_device_create)
	 * or NULL.  When set, the node is compatible with "nvidia,tegra264-smmu"
	 * (then "arm,smmu-v3") and has "nvidia,cmdqv" = <phandle of its node>,
	 * as on a Tegra264 device tree. */
	void *cmdqv;
};

/* An nvidia,tegra264-cmdqv node and its platform device (not registered). */
struct smmusim_cmdqv_desc {
	unsigned long long base;	/* reg: base */
	unsigned long long size;	/* reg: size */
	unsigned int irq;		/* interrupts: the error line (0 = none) */
	const char *node_name;		/* e.g. "cmdqv@20000000" */
};
void *smmusim_cmdqv_device_create(const struct smmusim_cmdqv_desc *d);
/* Builds the node and the platform device (not yet registered). */
void *smmusim_smmu_device_create(const struct smmusim_smmu_desc *d);
/* Registers it: a matching platform driver probes it now.  Returns the
 * probe result (0 when bound; -EPROBE_DEFER-style codes as negative ints;
 * 1 if no driver matched). */
int smmusim_platform_device_add(void *pdev);
/* Unbinds (driver remove + devres release) and unregisters it. */
void smmusim_platform_device_del(void *pdev);
/* Frees what smmusim_smmu_device_create allocated. */
void smmusim_platform_device_destroy(void *pdev);
/* Non-zero while a driver is bound to it. */
int smmusim_platform_device_bound(void *pdev);
/* Number of devres entries on the device (for leak checks). */
int smmusim_platform_device_devres_count(void *pdev);
/* The device's firmware node (an opaque key). */
const void *smmusim_device_fwnode(void *pdev);
/* Nonzero when an iommu_device is registered with the iommu core for this
 * firmware node (iommu_ops_from_fwnode(), which only compares pointers, so
 * the node may be gone). */
int smmusim_iommu_registered_for(const void *fwnode);

/* Sets a built-in module parameter ("<module>.<name>", e.g.
 * "arm_smmu_v3.bypass_vcmdq") from the __param table the kernel objects
 * emit, through its kernel_param_ops, as the kernel's parse_args() does for
 * the command line.  0, -ENOENT if there is no such parameter, or the
 * setter's error. */
int smmusim_kernel_param_set(const char *name, const char *val);

/* Whether `val` is a value the parameter's setter takes, without setting
 * it (static data and the shim's own code only: callable before boot and
 * from any thread): 0 (or 0 and *type NULL when the parameter's type is not
 * one the shim can check: its setter decides at run time), -EINVAL with
 * *type the type's name ("bool"), or -ENOENT if there is no such
 * parameter. */
int smmusim_kernel_param_check(const char *name, const char *val, const char **type);

/* The name of the `i`th built-in module parameter of that table, NULL past
 * the last: a read of static data, callable before boot and from any
 * thread (the trace reader checks `kernel param NAME` against it). */
const char *smmusim_kernel_param_name(unsigned int i);

/* ---- driving the bound SMMUv3 driver (src/iommu_client.c) ---------------
 * `smmu_pdev` is the SMMU platform device with arm-smmu-v3 bound to it. */

/* Paging domains through the iommu core API (iommu_paging_domain_alloc,
 * iommu_attach_device, iommu_map/unmap, ...); `ep` is an endpoint's struct
 * device (smmusim_device_of() of a platform endpoint, smmusim_pci_device_of()
 * of a PCI function) that the iommu core has probed. */
void *smmusim_domain_alloc_paging(void *ep, int *err);
int smmusim_domain_attach(void *domain, void *ep);
void smmusim_domain_detach(void *domain, void *ep);
/* iommu_map() with IOMMU_READ (| IOMMU_WRITE); 0 or a negative errno. */
int smmusim_domain_map(void *domain, unsigned long long iova, unsigned long long pa,
		       unsigned long long size, int write);
/* iommu_unmap(): bytes unmapped. */
unsigned long long smmusim_domain_unmap(void *domain, unsigned long long iova,
					unsigned long long size);
unsigned long long smmusim_domain_iova_to_phys(void *domain, unsigned long long iova);
void smmusim_domain_free(void *domain);
unsigned int smmusim_domain_asid(void *domain);
/* Issues one raw command with arm_smmu_cmdq_issue_cmdlist() on the queue
 * the driver's routing picks for it (impl_ops->get_secondary_cmdq, else the
 * SMMU CMDQ), with or without a trailing CMD_SYNC.  *secondary is set when
 * it went to an implementation's queue (a VCMDQ).  Returns the driver's
 * result. */
/* How many stream IDs the bound driver's stream table reaches (its
 * arm_smmu_sid_in_range(): a master with a stream ID at or above it fails
 * to probe with -ERANGE); 0 if no driver is bound. */
unsigned long long smmusim_smmu_stream_ids(void *smmu_pdev);
int smmusim_smmu_issue_cmd(void *smmu_pdev, unsigned long long dw0, unsigned long long dw1, int sync,
			   int *secondary);

/* ---- io-pgtable-arm used directly (src/pgtable_client.c) ----------------
 * Tables built by the kernel's io-pgtable-arm in simulated DRAM, for the
 * walk oracle. `dev` is the struct device io-pgtable allocates for. The
 * registers are io-pgtable's own encodings: stage 1 TCR.T0SZ, TG0, IPS;
 * stage 2 VTCR.T0SZ, TG0, SL0, PS. */
struct smmusim_pgtable_info {
	unsigned long long ttb;            /* TTBR (stage 1) / VTTBR (stage 2) */
	unsigned int tsz, tg, sl, ps;      /* sl: stage 2 only */
	unsigned long long pgsize_bitmap;  /* the sizes of the granule io-pgtable chose */
};
enum { SMMUSIM_PGT_READ = 1, SMMUSIM_PGT_WRITE = 2, SMMUSIM_PGT_NOEXEC = 4, SMMUSIM_PGT_PRIV = 8 };
void *smmusim_pgtable_alloc(void *dev, int stage2, unsigned long long pgsize_bitmap, unsigned int ias,
			    unsigned int oas, struct smmusim_pgtable_info *info);
/* map_pages() in the largest sizes alignment allows; 0 or a negative errno. */
int smmusim_pgtable_map(void *ops, unsigned long long iova, unsigned long long pa, unsigned long long size,
			unsigned int flags);
/* unmap_pages(): bytes unmapped. */
unsigned long long smmusim_pgtable_unmap(void *ops, unsigned long long iova, unsigned long long size);
unsigned long long smmusim_pgtable_iova_to_phys(void *ops, unsigned long long iova);
void smmusim_pgtable_free(void *ops);

/* ---- the simulated process (src/process.c, src/file.c, src/vfio.c) ------- */
void smmusim_process_init(void);
/* More simulated processes (the iommufd selftest's fork()): a copy of the
 * running process (task, mm and descriptor table: each open file one
 * reference more), numbered `id` by the host side, with the host's `pid`;
 * its task. smmusim_process_switch() makes a process's task `current`
 * (NULL: the first process) and returns the one it replaces;
 * smmusim_process_exit() is do_exit() of a forked process, run while it is
 * current: its descriptors closed, its mm's users dropped (its pages cannot
 * be pinned any more), its task reference put. smmusim_process_vm(): its
 * mm's pinned_vm and locked_vm in pages (0 after its exit). */
void *smmusim_process_fork(int id, int pid);
void *smmusim_process_switch(void *task);
void smmusim_process_exit(void *task);
void smmusim_process_vm(void *task, unsigned long *pinned, unsigned long *locked);
/* System calls of the simulated process: open() of a misc device by name
 * ("iommu" is /dev/iommu), ioctl(), read(), write(), close(), mmap()/munmap().
 * Negative errno on failure, as the kernel returns them. */
int smmusim_sys_open(const char *misc_name, int flags);
long smmusim_sys_ioctl(int fd, unsigned int cmd, unsigned long arg);
long smmusim_sys_read(int fd, void *buf, unsigned long count);
long smmusim_sys_write(int fd, const void *buf, unsigned long count);
int smmusim_sys_close(int fd);
/* mmap(): *pa is the PA the file's ->mmap remapped the range to, or ~0ULL
 * for a file whose pages fault in (a shmem file): then each page is
 * smmusim_vma_fault()'s (its PA, or -EFAULT past the end of the file). */
int smmusim_sys_mmap(int fd, unsigned long where, unsigned long length, int writable, int shared,
		     unsigned long long offset, void **vma, unsigned long long *pa);
int smmusim_vma_fault(void *vma, unsigned long index, unsigned long long *pa);
void smmusim_sys_munmap(void *vma);
/* memfd_create() (a shmem file, src/shmem.c; `name` a kernel string) and
 * ftruncate(). */
int smmusim_sys_memfd_create(const char *name, unsigned int flags);
int smmusim_sys_ftruncate(int fd, long long length);
/* poll(): `fds` is the caller's struct pollfd array (the uAPI layout);
 * timeout in ms of simulated time, negative for none (src/poll.c). */
int smmusim_sys_poll(void *fds, unsigned int nfds, int timeout_ms);
/* VFIO's calls into iommufd for an endpoint's struct device (bind to the
 * context of an open /dev/iommu, attach to a page table object, detach,
 * unbind). */
void *smmusim_iommufd_bind(int fd, void *ep, unsigned int *dev_id, int *err);
int smmusim_iommufd_attach(void *idev, unsigned int *pt_id);
int smmusim_iommufd_replace(void *idev, unsigned int *pt_id);
void smmusim_iommufd_detach(void *idev);
void smmusim_iommufd_unbind(void *idev);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_KERNEL_H */
