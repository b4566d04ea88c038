// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: the driver-core services
 * lib/kunit/device.c, platform.c and fwnode.c link against
 * (drivers/base/).  KUnit's init (kunit_bus_init(), from kunit_init())
 * registers a root device "kunit" and a bus "kunit"; the rest serves
 * suites that make struct devices of their own (kunit_device_register(),
 * kunit_platform_device_*(), software nodes), which the arm-smmu-v3 suite
 * does not.  The shim has no driver core and no sysfs (its platform bus is
 * platform_bus.c's own).
 *
 * CUSTOMISED:
 *   __root_device_register   a struct device with its name, no parent, no
 *                            sysfs; root_device_unregister frees it
 *   bus_register/unregister  succeed and do nothing (nothing probes on
 *                            the "kunit" bus)
 * TRAPS:
 *   driver_register/unregister, dev_set_name, device_register/unregister,
 *   device_is_bound, platform_device_alloc/register_full/add/put/unregister,
 *   the software-node functions
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>

#include "../../src/shim.h"

struct root_device {
	struct device dev;
	char name[32];
};

struct device *__root_device_register(const char *name, struct module *owner)
{
	struct root_device *root = kzalloc(sizeof(*root), GFP_KERNEL);

	if (!root)
		return ERR_PTR(-ENOMEM);
	strscpy(root->name, name, sizeof(root->name));
	root->dev.init_name = root->name;
	return &root->dev;
}

void root_device_unregister(struct device *dev)
{
	kfree(container_of(dev, struct root_device, dev));
}

int bus_register(const struct bus_type *bus)
{
	return 0;
}

void bus_unregister(const struct bus_type *bus)
{
}

int driver_register(struct device_driver *drv)
{
	SMMUSIM_TRAP(driver_register);
	return -ENODEV;
}

void driver_unregister(struct device_driver *drv)
{
	SMMUSIM_TRAP(driver_unregister);
}

int dev_set_name(struct device *dev, const char *name, ...)
{
	SMMUSIM_TRAP(dev_set_name);
	return -ENOMEM;
}

int device_register(struct device *dev)
{
	SMMUSIM_TRAP(device_register);
	return -ENODEV;
}

void device_unregister(struct device *dev)
{
	SMMUSIM_TRAP(device_unregister);
}

bool device_is_bound(struct device *dev)
{
	SMMUSIM_TRAP(device_is_bound);
	return false;
}

struct platform_device *platform_device_alloc(const char *name, int id)
{
	SMMUSIM_TRAP(platform_device_alloc);
	return NULL;
}

struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo)
{
	SMMUSIM_TRAP(platform_device_register_full);
	return ERR_PTR(-ENODEV);
}

int platform_device_add(struct platform_device *pdev)
{
	SMMUSIM_TRAP(platform_device_add);
	return -ENODEV;
}

void platform_device_put(struct platform_device *pdev)
{
	SMMUSIM_TRAP(platform_device_put);
}

void platform_device_unregister(struct platform_device *pdev)
{
	SMMUSIM_TRAP(platform_device_unregister);
}

struct fwnode_handle *fwnode_create_software_node(const struct property_entry *properties,
						  const struct fwnode_handle *parent)
{
	SMMUSIM_TRAP(fwnode_create_software_node);
	return ERR_PTR(-ENODEV);
}

void fwnode_remove_software_node(struct fwnode_handle *fwnode)
{
	SMMUSIM_TRAP(fwnode_remove_software_node);
}

int software_node_register(const struct software_node *node)
{
	SMMUSIM_TRAP(software_node_register);
	return -ENODEV;
}

void software_node_unregister(const struct software_node *node)
{
	SMMUSIM_TRAP(software_node_unregister);
}

struct fwnode_handle *software_node_fwnode(const struct software_node *node)
{
	SMMUSIM_TRAP(software_node_fwnode);
	return NULL;
}

int software_node_register_node_group(const struct software_node * const *node_group)
{
	SMMUSIM_TRAP(software_node_register_node_group);
	return -ENODEV;
}

void software_node_unregister_node_group(const struct software_node * const *node_group)
{
	SMMUSIM_TRAP(software_node_unregister_node_group);
}

int device_add_software_node(struct device *dev, const struct software_node *node)
{
	SMMUSIM_TRAP(device_add_software_node);
	return -ENODEV;
}

void device_remove_software_node(struct device *dev)
{
	SMMUSIM_TRAP(device_remove_software_node);
}
