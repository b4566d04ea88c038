// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: services the linked kernel code references but the
 * simulator does not provide yet.
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

/* ---- module parameters (CUSTOMISED: only the defaults are used) ---- */
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
int ida_alloc_range(struct ida *ida, unsigned int min, unsigned int max, gfp_t gfp)
{
	SMMUSIM_TRAP(ida_alloc_range);
	return -ENOSPC;
}

void ida_free(struct ida *ida, unsigned int id) { SMMUSIM_TRAP(ida_free); }

/* STUB (no-op): nothing is ever allocated from an IDA (ida_alloc_range traps). */
void ida_destroy(struct ida *ida) { }

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
