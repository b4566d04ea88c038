// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the parts of the iommu core (drivers/iommu/iommu.c,
 * iommu-sysfs.c, dma-iommu.c) that the SMMUv3 driver calls.
 *
 * drivers/iommu/iommu.c is not compiled (yet): it brings in the whole bus
 * notifier / group / default-domain machinery.  This is a small replacement
 * honouring the contract of each function the drivers call during probe
 * and remove.  CUSTOMISED:
 *   iommu_device_register/unregister   keeps a list of registered IOMMUs
 *   iommu_device_sysfs_add/remove      creates/frees the named iommu class
 *                                      device (no sysfs)
 * STUBBED (no-ops, nothing is created):
 *   debugfs_create_dir/_bool, iommu_debugfs_dir
 * Endpoint-side functions (groups, fwspec, reserved regions) are TRAPS in
 * stubs.c until endpoints exist in the simulator.
 */
#include <linux/iommu.h>
#include <linux/device.h>
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/list.h>

#include <smmusim/kernel.h>
#include "shim.h"

static LIST_HEAD(shim_iommus);

int iommu_device_register(struct iommu_device *iommu, const struct iommu_ops *ops,
			  struct device *hwdev)
{
	if (WARN_ON(!ops))
		return -EINVAL;
	iommu->ops = ops;
	if (hwdev)
		iommu->fwnode = dev_fwnode(hwdev);
	list_add_tail(&iommu->list, &shim_iommus);
	iommu->ready = true;
	return 0;
}

void iommu_device_unregister(struct iommu_device *iommu)
{
	list_del(&iommu->list);
	iommu->ready = false;
}

int smmusim_iommu_registered_count(void)
{
	struct iommu_device *i;
	int n = 0;

	list_for_each_entry(i, &shim_iommus, list)
		n++;
	return n;
}

struct shim_iommu_classdev {
	struct device dev;
	char name[64];
};

int iommu_device_sysfs_add(struct iommu_device *iommu, struct device *parent,
			   const struct attribute_group **groups, const char *fmt, ...)
{
	struct shim_iommu_classdev *c = kzalloc(sizeof(*c), GFP_KERNEL);
	va_list ap;

	if (!c)
		return -ENOMEM;
	va_start(ap, fmt);
	smmusim_host_vformat(c->name, sizeof(c->name), fmt, ap);
	va_end(ap);
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

/* STUB: debugfs is not modelled; the drivers ignore these return values. */
struct dentry *iommu_debugfs_dir;

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return ERR_PTR(-ENODEV);
}

void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value)
{
}
