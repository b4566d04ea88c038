// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: device model, device tree, platform bus, initcalls.
 *
 * CUSTOMISED (a small replacement for drivers/base and drivers/of, honouring
 * the API contracts the drivers rely on):
 *   device tree      nodes and properties built by the bridge from the
 *                    simulator's configuration (big-endian cells, as in a
 *                    flattened tree); the of_* readers the drivers call
 *   platform bus     drivers register through their initcalls; devices are
 *                    matched by OF "compatible" (or name) and probed at
 *                    once; unbinding calls remove() and releases devres
 *   resources        MEM from "reg"; IRQ resources from "interrupts" +
 *                    "interrupt-names", numbered as the simulator's
 *                    interrupt controller numbers its lines (an identity
 *                    irq domain)
 *   initcalls        collected by kernel_shim/initcalls.ld and run in link
 *                    order, as do_initcalls() does per level
 *   phandles         every node the bridge builds gets one; phandle lists
 *                    ("nvidia,cmdqv" = <&cmdqv>) resolve against the
 *                    registered devices' nodes
 * STUBBED:
 *   get_device/put_device   no reference counting: the bridge owns devices
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/property.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mod_devicetable.h>
#include <linux/dma-mapping.h>
#include <linux/of_iommu.h>
#include <linux/notifier.h>

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

static LIST_HEAD(shim_devices);
static LIST_HEAD(shim_drivers);

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

static void shim_bus_notify(struct device *dev, unsigned long action)
{
	int i;

	for (i = 0; i < shim_nr_bus_nbs; i++)
		if (shim_bus_nbs[i].bus == dev->bus)
			shim_bus_nbs[i].nb->notifier_call(shim_bus_nbs[i].nb, action, dev);
}

struct shim_driver {
	struct list_head node;
	struct platform_driver *drv;
};

/* ---- device tree ------------------------------------------------------------ */

static struct property *of_find_prop(const struct device_node *np, const char *name)
{
	struct property *p;

	if (!np)
		return NULL;
	for (p = np->properties; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

/* Set when a property could not be allocated (the node is then unusable). */
static bool of_alloc_failed;

static void of_add_prop(struct device_node *np, const char *name, const void *val, int len)
{
	struct property *p = kzalloc(sizeof(*p) + len, GFP_KERNEL);
	struct property **tail = &np->properties;

	if (!p) {
		of_alloc_failed = true;
		return;
	}
	p->name = (char *)name;
	p->length = len;
	p->value = len ? (void *)(p + 1) : NULL;
	if (len)
		memcpy(p->value, val, len);
	while (*tail)
		tail = &(*tail)->next;
	*tail = p;
}

static void of_add_cells(struct device_node *np, const char *name, const u32 *cells, int n)
{
	__be32 be[16];
	int i;

	for (i = 0; i < n && i < ARRAY_SIZE(be); i++)
		be[i] = cpu_to_be32(cells[i]);
	of_add_prop(np, name, be, i * sizeof(__be32));
}

/* A string list: "a\0b\0". */
static void of_add_strings(struct device_node *np, const char *name, const char *const *s, int n)
{
	char buf[256];
	int len = 0, i;

	for (i = 0; i < n; i++) {
		int l = strlen(s[i]) + 1;

		if (len + l > sizeof(buf))
			break;
		memcpy(buf + len, s[i], l);
		len += l;
	}
	of_add_prop(np, name, buf, len);
}

static void of_free_props(struct device_node *np)
{
	while (np->properties) {
		struct property *p = np->properties;

		np->properties = p->next;
		kfree(p);
	}
}

bool of_property_read_bool(const struct device_node *np, const char *propname)
{
	return of_find_prop(np, propname) != NULL;
}

int of_property_read_variable_u32_array(const struct device_node *np, const char *propname,
					u32 *out_values, size_t sz_min, size_t sz_max)
{
	struct property *p = of_find_prop(np, propname);
	size_t n, i;
	const __be32 *v;

	if (!p)
		return -EINVAL;
	if (!p->value)
		return -ENODATA;
	n = p->length / sizeof(u32);
	if (n < sz_min)
		return -EOVERFLOW;
	if (sz_max && n > sz_max)
		n = sz_max;
	v = p->value;
	for (i = 0; i < n; i++)
		out_values[i] = be32_to_cpu(v[i]);
	return n;
}

int of_device_is_compatible(const struct device_node *device, const char *compat)
{
	struct property *p = of_find_prop(device, "compatible");
	const char *s, *end;
	int score = INT_MAX / 2;

	if (!p || !compat)
		return 0;
	s = p->value;
	end = s + p->length;
	for (; s < end; s += strlen(s) + 1, score--)
		if (!strcasecmp(s, compat))
			return score;
	return 0;
}

bool of_dma_is_coherent(struct device_node *np)
{
	return of_property_read_bool(np, "dma-coherent");
}

static struct device_node *of_find_node_by_phandle_shim(phandle ph);

/*
 * A phandle list: each entry is a phandle followed by its argument cells,
 * whose count is the target node's `cells_name` property, or `cell_count`
 * when there is no cells_name (of_parse_phandle() passes NULL, 0).
 */
int __of_parse_phandle_with_args(const struct device_node *np, const char *list_name,
				 const char *cells_name, int cell_count, int index,
				 struct of_phandle_args *out_args)
{
	struct property *p = of_find_prop(np, list_name);
	const __be32 *cell, *end;
	int cur = 0;

	if (!p)
		return -ENOENT;
	cell = p->value;
	end = cell + p->length / sizeof(__be32);
	while (cell < end) {
		phandle ph = be32_to_cpup(cell++);
		struct device_node *target = NULL;
		u32 count = 0;
		int i;

		if (ph) {
			target = of_find_node_by_phandle_shim(ph);
			if (!target) {
				pr_err("%pOF: could not find phandle %d\n", np, ph);
				return -EINVAL;
			}
			if (cells_name) {
				if (of_property_read_u32(target, cells_name, &count)) {
					pr_err("%pOF: could not get %s for %pOF\n", np, cells_name, target);
					return -EINVAL;
				}
			} else {
				count = cell_count;
			}
			if (cell + count > end) {
				pr_err("%pOF: %s = %d found %td\n", np, cells_name ?: "cells", count,
				       end - cell);
				return -EINVAL;
			}
		}
		if (cur == index) {
			if (!ph)
				return -ENOENT;
			if (out_args) {
				if (count > MAX_PHANDLE_ARGS)
					count = MAX_PHANDLE_ARGS;
				out_args->np = target;
				out_args->args_count = count;
				for (i = 0; i < count; i++)
					out_args->args[i] = be32_to_cpup(cell + i);
			}
			return 0;
		}
		cell += count;
		cur++;
	}
	return -ENOENT;
}

struct platform_device *of_find_device_by_node(struct device_node *np)
{
	struct smmusim_pdev *d;

	list_for_each_entry(d, &shim_devices, node)
		if (d->pdev.dev.of_node == np)
			return &d->pdev;
	return NULL;
}

static struct device_node *of_find_node_by_phandle_shim(phandle ph)
{
	struct smmusim_pdev *d;

	list_for_each_entry(d, &shim_devices, node)
		if (d->np.phandle == ph)
			return &d->np;
	return NULL;
}

struct device_node *of_find_node_by_phandle(phandle handle)
{
	return handle ? of_find_node_by_phandle_shim(handle) : NULL;
}

struct property *of_find_property(const struct device_node *np, const char *name, int *lenp)
{
	struct property *p = of_find_prop(np, name);

	if (p && lenp)
		*lenp = p->length;
	return p;
}

const void *of_get_property(const struct device_node *np, const char *name, int *lenp)
{
	struct property *p = of_find_property(np, name, lenp);

	return p ? p->value : NULL;
}

/* "status" absent, "okay" or "ok" (drivers/of/base.c). */
bool of_device_is_available(const struct device_node *np)
{
	const char *status;
	int len;

	if (!np)
		return false;
	status = of_get_property(np, "status", &len);
	if (!status)
		return true;
	return len > 0 && (!strcmp(status, "okay") || !strcmp(status, "ok"));
}

/* The phandle-list walker behind of_for_each_phandle(), with the contract
 * of drivers/of/base.c: 0 per entry, then -ENOENT at the end of the list. */
int of_phandle_iterator_init(struct of_phandle_iterator *it, const struct device_node *np,
			     const char *list_name, const char *cells_name, int cell_count)
{
	const __be32 *list;
	int size;

	memset(it, 0, sizeof(*it));
	if (cell_count < 0 && !cells_name)
		return -EINVAL;
	list = of_get_property(np, list_name, &size);
	if (!list)
		return -ENOENT;
	it->cells_name = cells_name;
	it->cell_count = cell_count;
	it->parent = np;
	it->list_end = list + size / sizeof(*list);
	it->phandle_end = list;
	it->cur = list;
	return 0;
}

int of_phandle_iterator_next(struct of_phandle_iterator *it)
{
	uint32_t count = 0;

	it->node = NULL;
	if (!it->cur || it->phandle_end >= it->list_end)
		return -ENOENT;
	it->cur = it->phandle_end;
	it->phandle = be32_to_cpup(it->cur++);
	if (it->phandle) {
		it->node = of_find_node_by_phandle(it->phandle);
		if (it->cells_name) {
			if (!it->node || of_property_read_u32(it->node, it->cells_name, &count)) {
				if (it->cell_count < 0) {
					pr_err("%pOF: could not get %s for phandle %u\n", it->parent,
					       it->cells_name, it->phandle);
					return -EINVAL;
				}
				count = it->cell_count;
			}
		} else {
			count = it->cell_count;
		}
		if (it->cur + count > it->list_end) {
			pr_err("%pOF: arguments longer than property\n", it->parent);
			return -EINVAL;
		}
	}
	it->phandle_end = it->cur + count;
	it->cur_count = count;
	return 0;
}

/* TRAPS: only reached for "memory-region" reserved regions and for
 * PCI/fsl-mc "iommu-map"s, neither of which the simulator's tree has. */
int of_map_iommu_id(const struct device_node *np, u32 id, struct of_phandle_args *arg)
{
	SMMUSIM_TRAP(of_map_iommu_id);
	return -ENODEV;
}

int of_address_to_resource(struct device_node *dev, int index, struct resource *r)
{
	SMMUSIM_TRAP(of_address_to_resource);
	return -EINVAL;
}

const __be32 *of_translate_dma_region(struct device_node *dev, const __be32 *addr,
				      phys_addr_t *start, size_t *length)
{
	SMMUSIM_TRAP(of_translate_dma_region);
	return NULL;
}

static int shim_platform_dma_configure(struct device *dev)
{
	return dev->of_node ? of_iommu_configure(dev, dev->of_node, NULL) : 0;
}

/* ---- generic device properties (device tree only) ------------------------- */

struct fwnode_handle *__dev_fwnode(struct device *dev)
{
	return dev->fwnode;
}

const struct fwnode_handle *__dev_fwnode_const(const struct device *dev)
{
	return dev->fwnode;
}

int device_match_fwnode(struct device *dev, const void *fwnode)
{
	return dev->fwnode && dev->fwnode == fwnode;
}

bool device_property_read_bool(const struct device *dev, const char *propname)
{
	return of_property_read_bool(dev->of_node, propname);
}

int device_property_read_u32_array(const struct device *dev, const char *propname, u32 *val,
				   size_t nval)
{
	struct property *p = of_find_prop(dev->of_node, propname);

	if (!p)
		return -EINVAL;
	if (!val)
		return p->length / sizeof(u32);
	if (p->length / sizeof(u32) < nval)
		return -EOVERFLOW;
	return of_property_read_variable_u32_array(dev->of_node, propname, val, nval, nval) < 0 ?
		-EINVAL : 0;
}

struct device *bus_find_device(const struct bus_type *bus, struct device *start, const void *data,
			       device_match_t match)
{
	struct smmusim_pdev *d;
	bool started = !start;

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

/* OF nodes are not reference counted (no OF_DYNAMIC). */
struct fwnode_handle *fwnode_handle_get(struct fwnode_handle *fwnode)
{
	return fwnode;
}

struct device *get_device(struct device *dev)
{
	return dev;
}

void put_device(struct device *dev)
{
}

/* ---- platform devices ----------------------------------------------------- */

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

/* The platform device around d->np, named d->name, on the platform bus. */
static void shim_pdev_setup(struct smmusim_pdev *d, unsigned int dma_bits)
{
	d->pdev.name = d->name;
	d->pdev.id = PLATFORM_DEVID_NONE;
	d->pdev.dev.init_name = d->name;
	d->pdev.dev.bus = &platform_bus_type;
	d->pdev.dev.of_node = &d->np;
	d->pdev.dev.fwnode = &d->np.fwnode;
	d->dma_mask = DMA_BIT_MASK(dma_bits);
	d->pdev.dev.dma_mask = &d->dma_mask;
	d->pdev.dev.coherent_dma_mask = DMA_BIT_MASK(dma_bits);
	INIT_LIST_HEAD(&d->pdev.dev.devres_head);
}

/* Phandles of the nodes the bridge builds (never 0, never reused). */
static phandle next_phandle = 1;

/* The platform device, as of_platform_populate() would make it from a node
 * called "<what>@<base>": MEM resource 0 from "reg", then the IRQs. */
static void shim_pdev_init(struct smmusim_pdev *d, const char *what, u64 base, u64 size,
			   const u32 *irqs, const char *const *names, unsigned int n)
{
	unsigned int i;

	snprintf(d->name, sizeof(d->name), "%llx.%s", base, what);
	shim_pdev_setup(d, 32);

	d->res[0].start = base;
	d->res[0].end = base + size - 1;
	d->res[0].flags = IORESOURCE_MEM;
	d->res[0].name = d->name;
	for (i = 0; i < n; i++) {
		d->res[1 + i].start = d->res[1 + i].end = irqs[i];
		d->res[1 + i].flags = IORESOURCE_IRQ;
		d->res[1 + i].name = names ? names[i] : NULL;
	}
	d->pdev.resource = d->res;
	d->pdev.num_resources = 1 + n;
}

static void of_add_reg(struct device_node *np, u64 base, u64 size)
{
	u32 reg[4] = { upper_32_bits(base), lower_32_bits(base), upper_32_bits(size),
		       lower_32_bits(size) };

	of_add_cells(np, "reg", reg, 4);
}

void *smmusim_cmdqv_device_create(const struct smmusim_cmdqv_desc *desc)
{
	static const char *const compat[] = { "nvidia,tegra264-cmdqv" };
	struct smmusim_pdev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	u32 irq = desc->irq;

	if (!d)
		return NULL;
	INIT_LIST_HEAD(&d->node);
	of_alloc_failed = false;
	d->np.name = "cmdqv";
	d->np.full_name = desc->node_name ? desc->node_name : "cmdqv";
	d->np.phandle = next_phandle++;
	of_add_strings(&d->np, "compatible", compat, 1);
	of_add_reg(&d->np, desc->base, desc->size);
	if (irq)
		of_add_cells(&d->np, "interrupts", &irq, 1);
	of_add_cells(&d->np, "phandle", &d->np.phandle, 1);
	if (of_alloc_failed) {
		of_free_props(&d->np);
		kfree(d);
		return NULL;
	}
	shim_pdev_init(d, "cmdqv", desc->base, desc->size, &irq, NULL, irq ? 1 : 0);
	return &d->pdev;
}

void *smmusim_smmu_device_create(const struct smmusim_smmu_desc *desc)
{
	static const char *const compat[] = { "arm,smmu-v3" };
	static const char *const compat_t264[] = { "nvidia,tegra264-smmu", "arm,smmu-v3" };
	struct platform_device *cmdqv = desc->cmdqv;
	struct smmusim_pdev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	const char *names[5];
	u32 irqs[5], cells = 1;
	unsigned int i, n = 0;
	struct {
		const char *name;
		unsigned int irq;
	} lines[] = {
		{ "eventq", desc->irq_eventq }, { "priq", desc->irq_priq },
		{ "gerror", desc->irq_gerror }, { "cmdq-sync", desc->irq_cmdq_sync },
		{ "combined", desc->irq_combined },
	};

	if (!d)
		return NULL;
	INIT_LIST_HEAD(&d->node);
	of_alloc_failed = false;

	/* The node. */
	d->np.name = "iommu";
	d->np.full_name = desc->node_name ? desc->node_name : "iommu";
	d->np.phandle = next_phandle++;
	if (cmdqv)
		of_add_strings(&d->np, "compatible", compat_t264, 2);
	else
		of_add_strings(&d->np, "compatible", compat, 1);
	of_add_reg(&d->np, desc->base, desc->size);
	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		if (!lines[i].irq)
			continue;
		irqs[n] = lines[i].irq;
		names[n] = lines[i].name;
		n++;
	}
	of_add_cells(&d->np, "interrupts", irqs, n);
	of_add_strings(&d->np, "interrupt-names", names, n);
	of_add_cells(&d->np, "#iommu-cells", &cells, 1);
	if (desc->dma_coherent)
		of_add_prop(&d->np, "dma-coherent", NULL, 0);
	if (cmdqv)
		of_add_cells(&d->np, "nvidia,cmdqv", &cmdqv->dev.of_node->phandle, 1);
	of_add_cells(&d->np, "phandle", &d->np.phandle, 1);
	if (of_alloc_failed) {
		of_free_props(&d->np);
		kfree(d);
		return NULL;
	}

	shim_pdev_init(d, "iommu", desc->base, desc->size, irqs, names, n);
	return &d->pdev;
}

/*
 * An endpoint (a DMA master behind the SMMU), as a device tree would
 * describe it: "iommus" = <&smmu sid>... with the SMMU's #iommu-cells = 1.
 * No driver binds it; the iommu core probes it with the SMMU when it is
 * added (BUS_NOTIFY_ADD_DEVICE -> iommu_probe_device -> dma_configure ->
 * of_iommu_configure), or when the SMMU registers after it.
 */
void *smmusim_endpoint_device_create(const struct smmusim_endpoint_desc *desc)
{
	static const char *const compat[] = { "smmusim,dma-master" };
	struct platform_device *smmu = desc->smmu;
	struct smmusim_pdev *d;
	u32 cells[2 * SMMUSIM_MAX_ENDPOINT_SIDS];
	unsigned int i;

	if (!smmu || desc->nr_sids > SMMUSIM_MAX_ENDPOINT_SIDS)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	INIT_LIST_HEAD(&d->node);
	of_alloc_failed = false;
	d->np.name = "dma-master";
	snprintf(d->node_name, sizeof(d->node_name), "/%s", desc->name);
	d->np.full_name = d->node_name;
	d->np.phandle = next_phandle++;
	of_add_strings(&d->np, "compatible", compat, 1);
	for (i = 0; i < desc->nr_sids; i++) {
		cells[2 * i] = smmu->dev.of_node->phandle;
		cells[2 * i + 1] = desc->sids[i];
	}
	of_add_cells(&d->np, "iommus", cells, 2 * desc->nr_sids);
	if (of_alloc_failed) {
		of_free_props(&d->np);
		kfree(d);
		return NULL;
	}
	snprintf(d->name, sizeof(d->name), "%s", desc->name);
	shim_pdev_setup(d, 64);
	return &d->pdev;
}

void *smmusim_device_iommu_group(void *p)
{
	return ((struct platform_device *)p)->dev.iommu_group;
}

void *smmusim_device_of(void *p)
{
	return &((struct platform_device *)p)->dev;
}

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
	struct smmusim_pdev *d = container_of(pdev, struct smmusim_pdev, pdev);
	struct shim_driver *sd;

	list_add_tail(&d->node, &shim_devices);
	d->registered = true;
	shim_bus_notify(&pdev->dev, BUS_NOTIFY_ADD_DEVICE);
	list_for_each_entry(sd, &shim_drivers, node)
		if (shim_match(sd->drv, pdev))
			return shim_probe(sd->drv, pdev);
	return 1;
}

void smmusim_platform_device_del(void *p)
{
	struct platform_device *pdev = p;
	struct smmusim_pdev *d = container_of(pdev, struct smmusim_pdev, pdev);

	shim_unbind(pdev);
	if (d->registered) {
		shim_bus_notify(&pdev->dev, BUS_NOTIFY_DEL_DEVICE);
		list_del_init(&d->node);
		d->registered = false;
		shim_bus_notify(&pdev->dev, BUS_NOTIFY_REMOVED_DEVICE);
	}
}

void smmusim_platform_device_destroy(void *p)
{
	struct platform_device *pdev = p;
	struct smmusim_pdev *d = container_of(pdev, struct smmusim_pdev, pdev);

	smmusim_platform_device_del(p);
	of_free_props(&d->np);
	kfree(d);
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

/* ---- initcalls / exitcalls (kernel_shim/initcalls.ld) --------------------- */

/*
 * Entries are 32-bit offsets from the entry to the function
 * (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS) or plain pointers otherwise, as
 * include/linux/init.h lays them out.
 */
extern const char __smmusim_initcall_start[], __smmusim_initcall_end[];
extern exitcall_t __smmusim_exitcall_start[], __smmusim_exitcall_end[];

/*
 * Initcalls run once per process (the first boot).  A later boot, after
 * smmusim_run_exitcalls() unregistered the platform drivers, runs again
 * only the initcalls that registered a driver (module_platform_driver()):
 * the rest (the iommu core's kobjects and bus notifiers, caches) is
 * initialised once, as in a kernel that never reboots.
 */
#define SHIM_MAX_INITCALLS 64
static initcall_t shim_driver_initcalls[SHIM_MAX_INITCALLS];
static int shim_nr_driver_initcalls;

static int shim_count_drivers(void)
{
	struct shim_driver *sd;
	int n = 0;

	list_for_each_entry(sd, &shim_drivers, node)
		n++;
	return n;
}

int smmusim_run_initcalls(int drivers_only)
{
	const char *p;
	int n = 0;

	if (drivers_only) {
		for (n = 0; n < shim_nr_driver_initcalls; n++) {
			int ret = shim_driver_initcalls[n]();

			if (ret)
				pr_warn("initcall %ps returned %d\n", shim_driver_initcalls[n], ret);
		}
		return n;
	}

	for (p = __smmusim_initcall_start; p < __smmusim_initcall_end; n++) {
		initcall_t fn;
		int ret;
#ifdef CONFIG_HAVE_ARCH_PREL32_RELOCATIONS
		const int *off = (const int *)p;

		fn = (initcall_t)(p + *off);
		p += sizeof(int);
#else
		fn = *(const initcall_t *)p;
		p += sizeof(initcall_t);
#endif
		int before = shim_count_drivers();

		ret = fn();
		if (ret)
			pr_warn("initcall %ps returned %d\n", fn, ret);
		if (shim_count_drivers() != before && shim_nr_driver_initcalls < SHIM_MAX_INITCALLS)
			shim_driver_initcalls[shim_nr_driver_initcalls++] = fn;
	}
	return n;
}

/*
 * Built-in code has no exitcalls in practice: include/linux/init.h marks
 * them __maybe_unused, so the compiler drops them, and a built-in driver
 * is never unloaded.  What remains is unregistering the platform drivers
 * the initcalls registered (driver_unregister(), as "unbind" of every
 * device and then the driver would do).
 */
int smmusim_run_exitcalls(void)
{
	exitcall_t *e;
	int n = 0;

	for (e = __smmusim_exitcall_start; e < __smmusim_exitcall_end; e++, n++)
		(*e)();
	while (!list_empty(&shim_drivers)) {
		platform_driver_unregister(list_first_entry(&shim_drivers, struct shim_driver, node)->drv);
		n++;
	}
	return n;
}
