// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: module parameters and IDAs (CUSTOMISED, below), and
 * services the linked kernel code references but the simulator does not
 * provide yet.
 *
 * TRAPS: each records a "trap" failure (which fails the running test) naming
 * the function, then returns an error/empty value.  None is reached by
 * probe/remove of the SMMUv3 driver against the model; they belong to paths
 * for later issues (endpoints and groups, PCI ATS, iommufd vIOMMU, ACPI,
 * MSIs, IDs).  STUBS that are harmless no-ops say so.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/iommufd.h>
#include <linux/iova_bitmap.h>
#include <linux/moduleparam.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/pci-ats.h>
#include <linux/xarray.h>
#include <linux/string.h>
#include "../../drivers/iommu/dma-iommu.h"

#include "shim.h"

/*
 * ---- module parameters (CUSTOMISED) ----
 * Parameters keep their defaults unless a test sets one with
 * smmusim_kernel_param_set(), which walks the __param table the kernel
 * objects emit (module_param() puts a struct kernel_param there, named
 * "<KBUILD_MODNAME>.<name>" for built-in code) and calls its ops->set, as
 * the kernel's parse_args() does for the command line.  The linker provides
 * __start___param/__stop___param for the orphan section.
 */
extern const struct kernel_param __start___param[] __attribute__((weak));
extern const struct kernel_param __stop___param[] __attribute__((weak));

int smmusim_kernel_param_set(const char *name, const char *val)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		if (strcmp(kp->name, name))
			continue;
		if (!kp->ops || !kp->ops->set)
			return -EPERM;
		return kp->ops->set(val, kp);
	}
	return -ENOENT;
}

static int shim_param_set_bool(const char *val, const struct kernel_param *kp)
{
	/* "1/y/Y/on" and "0/n/N/off", as the kernel's kstrtobool() accepts. */
	if (!val || !strcmp(val, "1") || !strcasecmp(val, "y") || !strcasecmp(val, "on"))
		*(bool *)kp->arg = true;
	else if (!strcmp(val, "0") || !strcasecmp(val, "n") || !strcasecmp(val, "off"))
		*(bool *)kp->arg = false;
	else
		return -EINVAL;
	return 0;
}

static int shim_param_get_bool(char *buffer, const struct kernel_param *kp)
{
	buffer[0] = *(bool *)kp->arg ? 'Y' : 'N';
	buffer[1] = '\n';
	buffer[2] = '\0';
	return 2;
}

const struct kernel_param_ops param_ops_bool = {
	.set = shim_param_set_bool,
	.get = shim_param_get_bool,
};

/* ---- PCI (no PCI endpoints in the simulated system yet) ---- */
const struct bus_type pci_bus_type = { .name = "pci" };

bool pci_ats_supported(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_supported); return false; }
bool pci_ats_required(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_required); return false; }
int pci_enable_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_enable_ats); return -EINVAL; }
int pci_prepare_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_prepare_ats); return -EINVAL; }
void pci_disable_ats(struct pci_dev *dev) { SMMUSIM_TRAP(pci_disable_ats); }
struct iommu_group *pci_device_group(struct device *dev)
{
	SMMUSIM_TRAP(pci_device_group);
	return ERR_PTR(-ENODEV);
}

/* ---- iommu core, endpoint side ---- */
struct iommu_group *generic_device_group(struct device *dev)
{
	SMMUSIM_TRAP(generic_device_group);
	return ERR_PTR(-ENODEV);
}

int iommu_fwspec_add_ids(struct device *dev, const u32 *ids, int num_ids)
{
	SMMUSIM_TRAP(iommu_fwspec_add_ids);
	return -ENODEV;
}

void dev_iommu_priv_set(struct device *dev, void *priv) { SMMUSIM_TRAP(dev_iommu_priv_set); }

struct iommu_resv_region *iommu_alloc_resv_region(phys_addr_t start, size_t length, int prot,
						  enum iommu_resv_type type, gfp_t gfp)
{
	SMMUSIM_TRAP(iommu_alloc_resv_region);
	return NULL;
}

void iommu_dma_get_resv_regions(struct device *dev, struct list_head *list)
{
	SMMUSIM_TRAP(iommu_dma_get_resv_regions);
}

struct iommu_domain *iommu_driver_get_domain_for_dev(struct device *dev)
{
	SMMUSIM_TRAP(iommu_driver_get_domain_for_dev);
	return NULL;
}

/* ---- IDs (lib/idr.c, lib/xarray.c are not linked yet) ---- */
/*
 * ---- IDA (CUSTOMISED: a small replacement for lib/idr.c's IDA) ----
 * The lowest free ID in [min, max], from a bitmap hung off the IDA's xarray
 * head (lib/idr.c keeps bitmaps in xarray leaves; lib/xarray.c is not
 * compiled yet).  The head is NULL again when the last ID is freed, so
 * ida_is_empty() keeps working, and ida_destroy() frees the bitmap.
 */
struct shim_ida_map {
	unsigned int nbits;
	unsigned long bits[];
};

int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp)
{
	struct shim_ida_map *m = (struct shim_ida_map *)ida->xa.xa_head, *n;
	unsigned long id;
	unsigned int nbits;

	if ((int)max < 0)
		max = INT_MAX;
	if (min > max)
		return -ENOSPC;
	for (id = min; m && id < m->nbits && test_bit(id, m->bits); id++)
		;
	if (m && id < m->nbits) {
		if (id > max)
			return -ENOSPC;
		__set_bit(id, m->bits);
		return id;
	}
	id = max_t(unsigned long, id, min);
	if (id > max)
		return -ENOSPC;
	nbits = round_up(max_t(unsigned long, id + 1, m ? 2 * m->nbits : BITS_PER_LONG),
			 BITS_PER_LONG);
	n = kzalloc(struct_size(n, bits, BITS_TO_LONGS(nbits)), gfp);
	if (!n)
		return -ENOMEM;
	n->nbits = nbits;
	if (m) {
		memcpy(n->bits, m->bits, BITS_TO_LONGS(m->nbits) * sizeof(long));
		kfree(m);
	}
	__set_bit(id, n->bits);
	ida->xa.xa_head = n;
	return id;
}

void ida_free(struct ida *ida, unsigned int id)
{
	struct shim_ida_map *m = (struct shim_ida_map *)ida->xa.xa_head;

	if (!m || id >= m->nbits || !test_bit(id, m->bits)) {
		WARN(1, "ida_free called for id=%u which is not allocated.\n", id);
		return;
	}
	__clear_bit(id, m->bits);
	for (id = 0; id < BITS_TO_LONGS(m->nbits); id++)
		if (m->bits[id])
			return;
	kfree(m);
	ida->xa.xa_head = NULL;
}

void ida_destroy(struct ida *ida)
{
	kfree(ida->xa.xa_head);
	ida->xa.xa_head = NULL;
}

/* ---- xarray (lib/xarray.c is not linked yet) ---- */
void *xa_erase(struct xarray *xa, unsigned long index)
{
	SMMUSIM_TRAP(xa_erase);
	return NULL;
}

int __xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp)
{
	SMMUSIM_TRAP(__xa_alloc);
	return -ENOSPC;
}

/* ---- iommufd driver core (vIOMMU paths) ---- */
int _iommufd_object_depend(struct iommufd_object *obj_dependent, struct iommufd_object *obj_depended)
{
	SMMUSIM_TRAP(_iommufd_object_depend);
	return -EOPNOTSUPP;
}

void _iommufd_object_undepend(struct iommufd_object *obj_dependent,
			      struct iommufd_object *obj_depended)
{
	SMMUSIM_TRAP(_iommufd_object_undepend);
}

int _iommufd_alloc_mmap(struct iommufd_ctx *ictx, struct iommufd_object *owner, phys_addr_t mmio_addr,
			size_t length, unsigned long *offset)
{
	SMMUSIM_TRAP(_iommufd_alloc_mmap);
	return -EOPNOTSUPP;
}

void _iommufd_destroy_mmap(struct iommufd_ctx *ictx, struct iommufd_object *owner,
			   unsigned long offset)
{
	SMMUSIM_TRAP(_iommufd_destroy_mmap);
}

struct device *iommufd_vdevice_to_device(struct iommufd_vdevice *vdev)
{
	SMMUSIM_TRAP(iommufd_vdevice_to_device);
	return NULL;
}

struct device *iommufd_viommu_find_dev(struct iommufd_viommu *viommu, unsigned long vdev_id)
{
	SMMUSIM_TRAP(iommufd_viommu_find_dev);
	return NULL;
}

int iommufd_viommu_get_vdev_id(struct iommufd_viommu *viommu, struct device *dev,
			       unsigned long *vdev_id)
{
	SMMUSIM_TRAP(iommufd_viommu_get_vdev_id);
	return -ENOENT;
}

int iommufd_viommu_report_event(struct iommufd_viommu *viommu, enum iommu_veventq_type type,
				void *event_data, size_t data_len)
{
	SMMUSIM_TRAP(iommufd_viommu_report_event);
	return -EOPNOTSUPP;
}

void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova, size_t length)
{
	SMMUSIM_TRAP(iova_bitmap_set);
}

/* ---- ACPI (the simulator describes its devices with a device tree) ---- */
struct acpi_device *acpi_dev_get_first_match_dev(const char *hid, const char *uid, s64 hrv)
{
	return NULL;	/* STUB: no ACPI namespace, so no match (correct answer). */
}

struct device *acpi_get_first_physical_node(struct acpi_device *adev)
{
	SMMUSIM_TRAP(acpi_get_first_physical_node);
	return NULL;
}

/* ---- MSI domains (no MSI parent in the tree: the drivers use wired IRQs) ---- */
unsigned int msi_domain_get_virq(struct device *dev, unsigned int domid, unsigned int index)
{
	SMMUSIM_TRAP(msi_domain_get_virq);
	return 0;
}

int platform_device_msi_init_and_alloc_irqs(struct device *dev, unsigned int nvec,
					    irq_write_msi_msg_t write_msi_msg)
{
	SMMUSIM_TRAP(platform_device_msi_init_and_alloc_irqs);
	return -ENODEV;
}

void platform_device_msi_free_irqs_all(struct device *dev)
{
	SMMUSIM_TRAP(platform_device_msi_free_irqs_all);
}
