// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the iommu core's sysfs and debugfs presence
 * (drivers/iommu/iommu-sysfs.c, iommu-debugfs.c; fs/debugfs).
 *
 * Provides iommu_device_sysfs_add/remove and iommu_device_link/unlink,
 * which arm-smmu-v3.c and the iommu core (drivers/iommu/iommu.c) call for
 * every IOMMU and endpoint, and the debugfs calls of the iommu core and
 * tegra241-cmdqv.c.
 *
 * CUSTOMISED:
 *   iommu_device_sysfs_add/remove  creates/frees the named iommu class
 *                                  device (no sysfs)
 * STUBBED (no sysfs, no debugfs; the callers ignore these results):
 *   iommu_device_link/unlink       sysfs links
 *   debugfs_create_dir/_bool, debugfs_remove (but in a kernel with
 *   CONFIG_FAULT_INJECTION_DEBUG_FS, which has debugfs.c), iommu_debugfs_dir,
 *   iommu_debugfs_setup
 */
#include <linux/iommu.h>
#include <linux/device.h>
#include <linux/debugfs.h>
#include <linux/slab.h>

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

/* debugfs: not modelled; the callers ignore these return values. */
struct dentry *iommu_debugfs_dir;

void iommu_debugfs_setup(void)
{
}

/* The kernel with fault injection's debugfs files (the iommufd selftest's)
 * has a debugfs of its own (debugfs.c). */
#ifndef CONFIG_FAULT_INJECTION_DEBUG_FS
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return ERR_PTR(-ENODEV);
}

void debugfs_remove(struct dentry *dentry)
{
}

void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value)
{
}
#endif
