// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the driver core's device lifetime for devices kernel
 * code makes itself (drivers/base/core.c, bus.c, platform.c), as the mock
 * IOMMU driver of the iommufd selftest does (drivers/iommu/iommufd/
 * selftest.c: its mock bus, the mock devices it adds on that bus, and its
 * "iommufd_selftest_iommu" platform device).
 *
 * The devices the host side builds (platform_bus.c, pci.c) are owned by
 * the host and not reference counted; these are, as in the kernel: a
 * device_initialize()d device has a kobject whose last reference calls the
 * device's release (get_device/put_device in platform_bus.c count it).
 *
 * CUSTOMISED:
 *   device_initialize     the kobject (reference 1) with a release that
 *                         releases the devres entries, then calls
 *                         dev->release, then dev->type->release, else WARNs
 *                         as device_release() does
 *   dev_set_name          the kobject's name (kobject_set_name_vargs)
 *   device_add            the bus notifiers' BUS_NOTIFY_ADD_DEVICE (the iommu
 *                         core probes the device), as device_add() does for a
 *                         device no driver binds
 *   device_del            BUS_NOTIFY_DEL_DEVICE, then the managed software
 *                         node (swnode.c), the devres entries, then
 *                         BUS_NOTIFY_REMOVED_DEVICE (the iommu core releases
 *                         it), as device_del() does
 *   device_unregister     device_del + put_device
 *   bus_register/bus_unregister   a bus is a type and its notifiers; nothing
 *                         more is kept (no sysfs, no driver list)
 *   platform_device_register_full/platform_device_unregister   a platform
 *                         device with a name and an id (PLATFORM_DEVID_NONE or
 *                         a number) and nothing else: resources, data,
 *                         properties, a fwnode or PLATFORM_DEVID_AUTO are
 *                         refused with -EINVAL (no caller passes them)
 * Does not: match drivers (no driver binds these devices), sysfs, uevents.
 */
#include <linux/device.h>
#include <linux/device/bus.h>
#include <linux/kobject.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "shim.h"

static void shim_device_release(struct kobject *kobj)
{
	struct device *dev = kobj_to_dev(kobj);

	/* What a device without a driver still holds (device_release()). */
	smmusim_devres_release_all(dev);
	if (dev->release)
		dev->release(dev);
	else if (dev->type && dev->type->release)
		dev->type->release(dev);
	else
		WARN(1, "Device '%s' does not have a release() function, it is broken and must be fixed.\n",
		     dev_name(dev));
}

static const struct kobj_type shim_device_ktype = {
	.release = shim_device_release,
};

void device_initialize(struct device *dev)
{
	kref_init(&dev->kobj.kref);
	INIT_LIST_HEAD(&dev->kobj.entry);
	dev->kobj.ktype = &shim_device_ktype;
	dev->kobj.state_initialized = 1;
	INIT_LIST_HEAD(&dev->dma_pools);
	mutex_init(&dev->mutex);
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
}

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	char buf[128];
	const char *old = dev->kobj.name;
	int len;

	len = smmusim_format(buf, sizeof(buf), fmt);
	if (len >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	dev->kobj.name = kstrdup(buf, GFP_KERNEL);
	if (!dev->kobj.name) {
		dev->kobj.name = old;
		return -ENOMEM;
	}
	kfree(old);
	return 0;
}

int device_add(struct device *dev)
{
	if (!dev->kobj.state_initialized || !kobject_name(&dev->kobj))
		return -EINVAL;
	get_device(dev);
	dev->kobj.state_in_sysfs = 1;
	smmusim_bus_notify(dev, BUS_NOTIFY_ADD_DEVICE);
	return 0;
}

void device_del(struct device *dev)
{
	smmusim_bus_notify(dev, BUS_NOTIFY_DEL_DEVICE);
	smmusim_swnode_notify_remove(dev);
	smmusim_devres_release_all(dev);
	smmusim_bus_notify(dev, BUS_NOTIFY_REMOVED_DEVICE);
	dev->kobj.state_in_sysfs = 0;
	put_device(dev);
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

int bus_register(const struct bus_type *bus)
{
	return bus && bus->name ? 0 : -EINVAL;
}

void bus_unregister(const struct bus_type *bus)
{
}

/* ---- platform devices kernel code registers ------------------------------- */

static void shim_platform_device_release(struct device *dev)
{
	kfree(to_platform_device(dev));
}

struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo)
{
	struct platform_device *pdev;
	int ret;

	if (pdevinfo->res || pdevinfo->data || pdevinfo->properties || pdevinfo->swnode ||
	    pdevinfo->fwnode || pdevinfo->id == PLATFORM_DEVID_AUTO || !pdevinfo->name)
		return ERR_PTR(-EINVAL);
	pdev = kzalloc_obj(*pdev);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	pdev->name = pdevinfo->name;
	pdev->id = pdevinfo->id;
	device_initialize(&pdev->dev);
	pdev->dev.release = shim_platform_device_release;
	pdev->dev.parent = pdevinfo->parent;
	pdev->dev.bus = &platform_bus_type;
	if (pdev->id == PLATFORM_DEVID_NONE)
		ret = dev_set_name(&pdev->dev, "%s", pdev->name);
	else
		ret = dev_set_name(&pdev->dev, "%s.%d", pdev->name, pdev->id);
	if (!ret)
		ret = device_add(&pdev->dev);
	if (ret) {
		put_device(&pdev->dev);
		return ERR_PTR(ret);
	}
	return pdev;
}

void platform_device_unregister(struct platform_device *pdev)
{
	if (!IS_ERR_OR_NULL(pdev))
		device_unregister(&pdev->dev);
}
