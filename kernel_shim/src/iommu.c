// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: what the iommu core (drivers/iommu/iommu.c, compiled
 * unmodified) needs from files the shim does not compile: iommu-sysfs.c,
 * iommu-debugfs.c, dma-iommu.c and the MSI layer.
 *
 * CUSTOMISED:
 *   iommu_device_sysfs_add/remove  creates/frees the named iommu class
 *                                  device (no sysfs)
 *   iommu_dma_get_resv_regions     what dma-iommu.c does for a device-tree
 *                                  device: of_iommu_get_resv_regions()
 *                                  (there are no PCI host bridges)
 *   msi_device_has_isolated_msi    true: the simulated platform's MSI
 *                                  controller isolates devices, as a GICv3
 *                                  ITS does (IRQ_DOMAIN_FLAG_ISOLATED_MSI);
 *                                  iommufd requires it to bind a device
 * STUBBED (no-ops, documented in README.md):
 *   iommu_device_link/unlink       sysfs links
 *   debugfs_create_dir/_bool, iommu_debugfs_dir, iommu_debugfs_setup
 *   iommu_setup_dma_ops, iommu_get_dma_cookie, iommu_put_dma_cookie,
 *   iommu_put_msi_cookie, iommu_dma_init_fq
 *                                  the DMA-API layer over a DMA domain: the
 *                                  simulator's endpoints do not use the DMA
 *                                  API (they are driven by traces), so DMA
 *                                  domains have no IOVA allocator or flush
 *                                  queue; their page tables and
 *                                  invalidations are the driver's own
 */
#include <linux/iommu.h>
#include <linux/device.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/msi.h>
#include <linux/of_iommu.h>
#include "drivers/iommu/dma-iommu.h"
#include "drivers/iommu/iommu-priv.h"

#include <smmusim/kernel.h>
#include "shim.h"

struct shim_iommu_classdev {
	struct device dev;
	char name[64];
};

int iommu_device_sysfs_add(struct iommu_device *iommu, struct device *parent,
			   const struct attribute_group **groups, const char *fmt, ...)
{
	struct shim_iommu_classdev *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	smmusim_format(c->name, sizeof(c->name), fmt);
	c->dev.init_name = c->name;
	c->dev.parent = parent;
	INIT_LIST_HEAD(&c->dev.devres_head);
	iommu->dev = &c->dev;
	return 0;
}

void iommu_device_sysfs_remove(struct iommu_device *iommu)
{
	if (iommu->dev)
		kfree(container_of(iommu->dev, struct shim_iommu_classdev, dev));
	iommu->dev = NULL;
}

int iommu_device_link(struct iommu_device *iommu, struct device *link)
{
	return 0;
}

void iommu_device_unlink(struct iommu_device *iommu, struct device *link)
{
}

int smmusim_iommu_registered_for(const void *fwnode)
{
	return fwnode && iommu_ops_from_fwnode(fwnode) != NULL;
}

/* ---- dma-iommu.c ---------------------------------------------------------- */

void iommu_setup_dma_ops(struct device *dev, struct iommu_domain *domain)
{
}

int iommu_get_dma_cookie(struct iommu_domain *domain)
{
	return 0;
}

void iommu_put_dma_cookie(struct iommu_domain *domain)
{
}

void iommu_put_msi_cookie(struct iommu_domain *domain)
{
}

int iommu_dma_init_fq(struct iommu_domain *domain)
{
	return 0;
}

void iommu_dma_get_resv_regions(struct device *dev, struct list_head *list)
{
	if (dev_of_node(dev))
		of_iommu_get_resv_regions(dev, list);
}

bool msi_device_has_isolated_msi(struct device *dev)
{
	return true;
}

/* ---- debugfs: not modelled; the drivers ignore these return values ---- */
struct dentry *iommu_debugfs_dir;

void iommu_debugfs_setup(void)
{
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return ERR_PTR(-ENODEV);
}

void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value)
{
}
