// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the platform bus (drivers/base/platform.c, bus.c,
 * dd.c; of_find_device_by_node() of drivers/of/platform.c).
 *
 * Provides driver registration (module_platform_driver() of
 * arm-smmu-v3.c and tegra241-cmdqv.c), matching by OF "compatible" (or
 * name) and probing at once, resources and IRQs for their probes, the bus
 * notifiers and device iteration the iommu core (drivers/iommu/iommu.c)
 * uses, the bus's dma_configure (of_iommu_configure(), as
 * platform_dma_configure()), and to the host side
 * smmusim_platform_device_add/del/bound/devres_count() and
 * smmusim_device_of/fwnode/iommu_group() (include/smmusim/kernel.h).
 * Devices are the ones dt_nodes.c builds.
 *
 * CUSTOMISED:
 *   probe            really_probe()'s order: dma_configure, probe, devres
 *                    released on failure
 *   unbind           remove(), then devres (newest first)
 *   bus notifiers    a list per process, called in registration order on
 *                    device add (BUS_NOTIFY_ADD_DEVICE) and removal
 *                    (BUS_NOTIFY_DEL_DEVICE, then BUS_NOTIFY_REMOVED_DEVICE),
 *                    for pci.c's functions too (smmusim_bus_notify)
 *   bus iteration    bus_for_each_dev/bus_find_device: the platform
 *                    devices, or for pci_bus_type pci.c's functions
 *   deferred probe   no timeout in the simulated boot: keeps deferring
 * STUBBED:
 *   get_device/put_device   no reference counting for the devices the host
 *                           side owns; a device_initialize()d one
 *                           (device_core.c) is counted by its kobject
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/of_iommu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mod_devicetable.h>
#include <linux/notifier.h>
#include <linux/pci.h>

#include <smmusim/kernel.h>
#include "shim.h"

static int shim_platform_dma_configure(struct device *dev);

/*
 * dma_configure: what platform_dma_configure() -> of_dma_configure() does
 * for a device with a node: the upstream of_iommu_configure() (it parses
 * "iommus", gives the device its fwspec and probes it with the IOMMU).
 * The DMA ops part (arch_setup_dma_ops) is not modelled: endpoints are
 * driven by the simulator, not by the DMA API.
 */
const struct bus_type platform_bus_type = {
	.name = "platform",
	.dma_configure = shim_platform_dma_configure,
};

/* The registered devices (dt_nodes.c builds them) and drivers. */
static LIST_HEAD(shim_devices);
static LIST_HEAD(shim_drivers);

struct shim_driver {
	struct list_head node;
	struct platform_driver *drv;
};

/* ---- bus notifiers (drivers/base/bus.c) -------------------------------------
 * CUSTOMISED: a list per process, called in registration order on device
 * add (BUS_NOTIFY_ADD_DEVICE) and removal (BUS_NOTIFY_DEL_DEVICE before,
 * BUS_NOTIFY_REMOVED_DEVICE after), as device_add()/device_del() do.
 */
struct shim_bus_nb {
	const struct bus_type *bus;
	struct notifier_block *nb;
};
static struct shim_bus_nb shim_bus_nbs[8];
static int shim_nr_bus_nbs;

int bus_register_notifier(const struct bus_type *bus, struct notifier_block *nb)
{
	if (WARN_ON(shim_nr_bus_nbs == ARRAY_SIZE(shim_bus_nbs)))
		return -ENOMEM;
	shim_bus_nbs[shim_nr_bus_nbs].bus = bus;
	shim_bus_nbs[shim_nr_bus_nbs].nb = nb;
	shim_nr_bus_nbs++;
	return 0;
}

int bus_unregister_notifier(const struct bus_type *bus, struct notifier_block *nb)
{
	int i;

	for (i = 0; i < shim_nr_bus_nbs; i++) {
		if (shim_bus_nbs[i].bus == bus && shim_bus_nbs[i].nb == nb) {
			memmove(&shim_bus_nbs[i], &shim_bus_nbs[i + 1],
				(shim_nr_bus_nbs - i - 1) * sizeof(shim_bus_nbs[0]));
			shim_nr_bus_nbs--;
			return 0;
		}
	}
	return -ENOENT;
}

void smmusim_bus_notify(struct device *dev, unsigned long action)
{
	int i;

	for (i = 0; i < shim_nr_bus_nbs; i++)
		if (shim_bus_nbs[i].bus == dev->bus)
			shim_bus_nbs[i].nb->notifier_call(shim_bus_nbs[i].nb, action, dev);
}

/* ---- lookups over the registered devices --------------------------------- */

struct platform_device *of_find_device_by_node(struct device_node *np)
{
	struct smmusim_pdev *d;

	list_for_each_entry(d, &shim_devices, node)
		if (d->pdev.dev.of_node == np)
			return &d->pdev;
	return NULL;
}

/* The device tree is the nodes of the registered devices (of.c's phandle
 * lists resolve here). */
struct device_node *of_find_node_by_phandle(phandle handle)
{
	struct smmusim_pdev *d;

	if (!handle)
		return NULL;
	list_for_each_entry(d, &shim_devices, node)
		if (d->np.phandle == handle)
			return &d->np;
	return NULL;
}

static int shim_platform_dma_configure(struct device *dev)
{
	return dev->of_node ? of_iommu_configure(dev, dev->of_node, NULL) : 0;
}

struct device *bus_find_device(const struct bus_type *bus, struct device *start, const void *data,
			       device_match_t match)
{
	struct smmusim_pdev *d;
	bool started = !start;

	if (bus == &pci_bus_type)
		return smmusim_pci_find_device(start, data, match);
	list_for_each_entry(d, &shim_devices, node) {
		struct device *dev = &d->pdev.dev;

		if (!started) {
			started = dev == start;
			continue;
		}
		if (dev->bus == bus && match(dev, data))
			return get_device(dev);
	}
	return NULL;
}

int bus_for_each_dev(const struct bus_type *bus, struct device *start, void *data,
		     device_iter_t fn)
{
	struct smmusim_pdev *d, *tmp;
	bool started = !start;
	int ret = 0;

	if (bus == &pci_bus_type)
		return smmusim_pci_for_each_dev(start, data, fn);
	/* _safe: fn may not remove the device it is given, but be robust. */
	list_for_each_entry_safe(d, tmp, &shim_devices, node) {
		struct device *dev = &d->pdev.dev;

		if (!started) {
			started = dev == start;
			continue;
		}
		if (dev->bus != bus)
			continue;
		ret = fn(dev, data);
		if (ret)
			break;
	}
	return ret;
}

/* No deferred-probe timeout in the simulated boot: keep deferring. */
int driver_deferred_probe_check_state(struct device *dev)
{
	return -EPROBE_DEFER;
}

/* Host-owned devices are not counted; a device_initialize()d one
 * (device_core.c) is, by its kobject. */
struct device *get_device(struct device *dev)
{
	if (dev && dev->kobj.state_initialized)
		kobject_get(&dev->kobj);
	return dev;
}

void put_device(struct device *dev)
{
	if (dev && dev->kobj.state_initialized)
		kobject_put(&dev->kobj);
}

/* ---- resources ----------------------------------------------------------- */

struct resource *platform_get_resource(struct platform_device *dev, unsigned int type,
				       unsigned int num)
{
	u32 i;

	for (i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if (type == resource_type(r) && num-- == 0)
			return r;
	}
	return NULL;
}

int platform_get_irq_optional(struct platform_device *dev, unsigned int num)
{
	struct resource *r = platform_get_resource(dev, IORESOURCE_IRQ, num);

	return r ? (int)r->start : -ENXIO;
}

int platform_get_irq_byname_optional(struct platform_device *dev, const char *name)
{
	u32 i;

	for (i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if (resource_type(r) == IORESOURCE_IRQ && r->name && !strcmp(r->name, name))
			return r->start;
	}
	return -ENXIO;
}

int platform_get_irq(struct platform_device *dev, unsigned int num)
{
	int ret = platform_get_irq_optional(dev, num);

	if (ret < 0)
		dev_err(&dev->dev, "IRQ index %u not found\n", num);
	return ret;
}

/* ---- the host side's device handles ----------------------------------------- */

void *smmusim_device_iommu_group(void *dev)
{
	return ((struct device *)dev)->iommu_group;
}

void *smmusim_device_of(void *p)
{
	return &((struct platform_device *)p)->dev;
}

const void *smmusim_device_fwnode(void *pdev)
{
	return dev_fwnode((struct device *)smmusim_device_of(pdev));
}

/* ---- binding: devices and drivers come and go ---------------------------- */

static bool shim_match(struct platform_driver *drv, struct platform_device *pdev)
{
	const struct of_device_id *id = drv->driver.of_match_table;

	for (; id && (id->compatible[0] || id->name[0] || id->type[0]); id++)
		if (id->compatible[0] && of_device_is_compatible(pdev->dev.of_node, id->compatible))
			return true;
	return drv->driver.name && !strcmp(drv->driver.name, pdev->name);
}

static int shim_probe(struct platform_driver *drv, struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int ret;

	/* really_probe(): the bus's dma_configure first (a device behind an
	 * IOMMU that is not there yet defers). */
	ret = shim_platform_dma_configure(dev);
	if (ret && ret != -ENODEV)
		return ret;
	dev->driver = &drv->driver;
	ret = drv->probe ? drv->probe(pdev) : 0;
	if (ret) {
		smmusim_devres_release_all(dev);
		dev->driver = NULL;
		dev_set_drvdata(dev, NULL);
		if (ret != -ENODEV && ret != -ENXIO)
			pr_warn("%s: probe of %s failed with error %d\n", drv->driver.name,
				dev_name(dev), ret);
	}
	return ret;
}

static void shim_unbind(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct platform_driver *drv;

	if (!dev->driver)
		return;
	drv = to_platform_driver(dev->driver);
	if (drv->remove)
		drv->remove(pdev);
	smmusim_devres_release_all(dev);
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
}

int smmusim_platform_device_add(void *p)
{
	struct platform_device *pdev = p;
	struct smmusim_pdev *d = to_smmusim_pdev(p);
	struct shim_driver *sd;

	list_add_tail(&d->node, &shim_devices);
	d->registered = true;
	smmusim_bus_notify(&pdev->dev, BUS_NOTIFY_ADD_DEVICE);
	list_for_each_entry(sd, &shim_drivers, node)
		if (shim_match(sd->drv, pdev))
			return shim_probe(sd->drv, pdev);
	return 1;
}

void smmusim_platform_device_del(void *p)
{
	struct platform_device *pdev = p;
	struct smmusim_pdev *d = to_smmusim_pdev(p);

	shim_unbind(pdev);
	if (d->registered) {
		smmusim_bus_notify(&pdev->dev, BUS_NOTIFY_DEL_DEVICE);
		list_del_init(&d->node);
		d->registered = false;
		smmusim_bus_notify(&pdev->dev, BUS_NOTIFY_REMOVED_DEVICE);
	}
}

int smmusim_platform_device_bound(void *p)
{
	return ((struct platform_device *)p)->dev.driver != NULL;
}

int smmusim_platform_device_devres_count(void *p)
{
	return smmusim_devres_count(&((struct platform_device *)p)->dev);
}

int __platform_driver_register(struct platform_driver *drv, struct module *owner,
			       const char *mod_name)
{
	struct shim_driver *sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	struct smmusim_pdev *d;

	if (!sd)
		return -ENOMEM;
	sd->drv = drv;
	drv->driver.bus = &platform_bus_type;
	drv->driver.owner = owner;
	list_add_tail(&sd->node, &shim_drivers);
	/* Bind devices that are already there (driver_attach()). */
	list_for_each_entry(d, &shim_devices, node)
		if (!d->pdev.dev.driver && shim_match(drv, &d->pdev))
			shim_probe(drv, &d->pdev);
	return 0;
}

void platform_driver_unregister(struct platform_driver *drv)
{
	struct shim_driver *sd, *tmp;
	struct smmusim_pdev *d;

	list_for_each_entry(d, &shim_devices, node)
		if (d->pdev.dev.driver == &drv->driver)
			shim_unbind(&d->pdev);
	list_for_each_entry_safe(sd, tmp, &shim_drivers, node) {
		if (sd->drv == drv) {
			list_del(&sd->node);
			kfree(sd);
		}
	}
}

int smmusim_platform_driver_count(void)
{
	struct shim_driver *sd;
	int n = 0;

	list_for_each_entry(sd, &shim_drivers, node)
		n++;
	return n;
}

int smmusim_platform_drivers_unregister_all(void)
{
	int n = 0;

	while (!list_empty(&shim_drivers)) {
		platform_driver_unregister(list_first_entry(&shim_drivers, struct shim_driver, node)->drv);
		n++;
	}
	return n;
}
