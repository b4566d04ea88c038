// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: reading the device tree (drivers/of/base.c,
 * drivers/of/property.c, the DT-only part of drivers/base/property.c).
 *
 * Provides the of_* readers, phandle lists and the fwnode/device-property
 * layer over them, for arm-smmu-v3.c (its DT probe: "#iommu-cells",
 * "dma-coherent", "nvidia,cmdqv" through of_parse_phandle()),
 * tegra241-cmdqv.c and of_iommu.c ("iommus" lists, of_for_each_phandle()).
 * The nodes are the ones dt_nodes.c builds; a phandle resolves against the
 * nodes of the devices registered on the platform bus (platform_bus.c).
 * The host side's formatter names nodes for %pOF with smmusim_of_node_name().
 *
 * CUSTOMISED: properties as a flattened tree stores them (big-endian
 *   cells, string lists "a\0b\0"), read with drivers/of's return codes
 * CUSTOMISED: of_map_iommu_id ("iommu-map" of the PCI host bridge node,
 *   RID -> StreamID)
 * TRAPS: of_address_to_resource, of_translate_dma_region, reached only for
 *   "memory-region"s, which the simulator's tree does not have
 */
#include <linux/device.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_iommu.h>
#include <linux/property.h>
#include <linux/string.h>

#include "shim.h"

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
			target = of_find_node_by_phandle(ph);
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

/*
 * CUSTOMISED: of_map_id() for "iommu-map" (Documentation/devicetree/
 * bindings/pci/pci-iommu.yaml): entries <id-base &iommu iommu-base length>,
 * the input ID masked with "iommu-map-mask" (default: all ones) first.
 * Only IOMMUs with #iommu-cells = <1> (the SMMUv3's) are mapped. An ID no
 * entry covers gets no IOMMU (-ENODEV); drivers/of/base.c would log it and
 * hand back an untranslated ID with no node, which ends the same way.
 */
int of_map_iommu_id(const struct device_node *np, u32 id, struct of_phandle_args *arg)
{
	const struct property *map = of_find_prop(np, "iommu-map");
	u32 mask = ~0u, masked, i, n;
	const __be32 *cell;

	if (!map)
		return -ENODEV;
	if (!map->length || map->length % (4 * sizeof(__be32))) {
		pr_err("%pOF: Error: Bad iommu-map length: %d\n", np, map->length);
		return -EINVAL;
	}
	of_property_read_u32(np, "iommu-map-mask", &mask);
	masked = id & mask;
	cell = map->value;
	n = map->length / (4 * sizeof(__be32));
	for (i = 0; i < n; i++, cell += 4) {
		u32 base = be32_to_cpu(cell[0]), len = be32_to_cpu(cell[3]), cells = 0;
		struct device_node *iommu;

		if (base & ~mask) {
			pr_err("%pOF: Invalid iommu-map translation - iommu-map-mask (0x%x) ignores id-base (0x%x)\n",
			       np, mask, base);
			return -EFAULT;
		}
		if (masked < base || masked - base >= len)
			continue;
		iommu = of_find_node_by_phandle(be32_to_cpu(cell[1]));
		if (!iommu)
			return -ENODEV;
		if (of_property_read_u32(iommu, "#iommu-cells", &cells) || cells != 1)
			return -EINVAL;
		arg->np = iommu;
		arg->args_count = 1;
		arg->args[0] = masked - base + be32_to_cpu(cell[2]);
		return 0;
	}
	pr_info("%pOF: no iommu-map translation for id 0x%x\n", np, id);
	return -ENODEV;
}

/* TRAPS: only reached for "memory-region" reserved regions, which the
 * simulator's tree does not have. */
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
	struct property *p;

	/* A device without an OF node: its fwnode's own reader (a software
	 * node, swnode.c), as fwnode_property_read_u32_array() dispatches. */
	if (!dev->of_node && dev->fwnode && dev->fwnode->ops &&
	    dev->fwnode->ops->property_read_int_array)
		return dev->fwnode->ops->property_read_int_array(dev->fwnode, propname, sizeof(u32),
								 val, nval);
	p = of_find_prop(dev->of_node, propname);
	if (!p)
		return -EINVAL;
	if (!val)
		return p->length / sizeof(u32);
	if (p->length / sizeof(u32) < nval)
		return -EOVERFLOW;
	return of_property_read_variable_u32_array(dev->of_node, propname, val, nval, nval) < 0 ?
		-EINVAL : 0;
}

/* OF nodes are not reference counted (no OF_DYNAMIC). */
struct fwnode_handle *fwnode_handle_get(struct fwnode_handle *fwnode)
{
	return fwnode;
}

/* A node's name as %pOF prints it (the host side's formatter (host/vsprintf.cc) asks). */
const char *smmusim_of_node_name(const void *np)
{
	const struct device_node *n = np;

	return n ? (n->full_name ? n->full_name : n->name) : "(null)";
}
