// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: software nodes (drivers/base/swnode.c), the firmware
 * nodes kernel code makes for itself.  The iommu core gives the iommufd
 * selftest's mock IOMMU one (iommu_device_register_bus:
 * fwnode_create_software_node), whose handle the mock devices' fwspecs
 * name; the mock driver gives each mock device one with its
 * "pasid-num-bits" property (device_create_managed_software_node), which
 * the iommu core reads with device_property_read_u32() (of.c reaches the
 * node's property_read_int_array operation).
 *
 * CUSTOMISED:
 *   fwnode_create_software_node   a node with a copy of the properties
 *   fwnode_remove_software_node   frees it
 *   device_create_managed_software_node   the same, made the device's
 *                      fwnode and freed by device_del()
 *                      (smmusim_swnode_notify_remove, as the kernel's
 *                      software_node_notify_remove()): a device released
 *                      without device_del() keeps it, as in the kernel
 *   is_software_node   whether a handle is one of these
 *   property_read_int_array   integer properties (u8/u16/u32/u64, inline or
 *                      by pointer), with the kernel's errors: -EINVAL no
 *                      such property, -EPROTO another type, -EOVERFLOW too
 *                      few values; a null buffer asks for the count
 * Does not: parents (a parent node is refused with -EINVAL), string or
 *   reference properties (ignored), sysfs (/sys/kernel/software_nodes).
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fwnode.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "shim.h"

struct shim_swnode {
	struct fwnode_handle fwnode;
	struct property_entry *props;	/* a copy, terminated by an empty entry */
	int nprops;
	bool managed;	/* a device's, removed by device_del() */
};

static const struct fwnode_operations shim_swnode_ops;

bool is_software_node(const struct fwnode_handle *fwnode)
{
	return !IS_ERR_OR_NULL(fwnode) && fwnode->ops == &shim_swnode_ops;
}

static const struct property_entry *shim_swnode_prop(const struct fwnode_handle *fwnode,
						     const char *name)
{
	const struct shim_swnode *sw = container_of(fwnode, struct shim_swnode, fwnode);
	int i;

	for (i = 0; i < sw->nprops; i++)
		if (!strcmp(sw->props[i].name, name))
			return &sw->props[i];
	return NULL;
}

static enum dev_prop_type shim_int_type(unsigned int elem_size)
{
	switch (elem_size) {
	case 1: return DEV_PROP_U8;
	case 2: return DEV_PROP_U16;
	case 4: return DEV_PROP_U32;
	default: return DEV_PROP_U64;
	}
}

static int shim_swnode_read_int_array(const struct fwnode_handle *fwnode, const char *propname,
				      unsigned int elem_size, void *val, size_t nval)
{
	const struct property_entry *p = shim_swnode_prop(fwnode, propname);
	const void *data;

	if (!p)
		return -EINVAL;
	if (p->type != shim_int_type(elem_size))
		return -EPROTO;
	if (!val)
		return p->length / elem_size;
	if (nval > p->length / elem_size)
		return -EOVERFLOW;
	data = p->is_inline ? (const void *)&p->value : p->pointer;
	memcpy(val, data, nval * elem_size);
	return 0;
}

static const struct fwnode_operations shim_swnode_ops = {
	.property_read_int_array = shim_swnode_read_int_array,
};

/* The integer properties, copied (pointers to the caller's values too). */
static int shim_swnode_copy(struct shim_swnode *sw, const struct property_entry *props)
{
	int i, n = 0;

	while (props && props[n].name)
		n++;
	sw->props = kcalloc(n + 1, sizeof(*sw->props), GFP_KERNEL);
	if (!sw->props)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct property_entry *d = &sw->props[sw->nprops];

		if (props[i].type > DEV_PROP_U64)
			continue;
		*d = props[i];
		if (!d->is_inline) {
			void *copy = kmalloc(props[i].length, GFP_KERNEL);

			if (!copy)
				return -ENOMEM;
			memcpy(copy, props[i].pointer, props[i].length);
			d->pointer = copy;
		}
		sw->nprops++;
	}
	return 0;
}

void fwnode_remove_software_node(struct fwnode_handle *fwnode)
{
	struct shim_swnode *sw;
	int i;

	if (!is_software_node(fwnode))
		return;
	sw = container_of(fwnode, struct shim_swnode, fwnode);
	for (i = 0; i < sw->nprops; i++)
		if (!sw->props[i].is_inline)
			kfree(sw->props[i].pointer);
	kfree(sw->props);
	kfree(sw);
}

struct fwnode_handle *fwnode_create_software_node(const struct property_entry *properties,
						  const struct fwnode_handle *parent)
{
	struct shim_swnode *sw;
	int ret;

	if (parent)
		return ERR_PTR(-EINVAL);
	sw = kzalloc_obj(*sw);
	if (!sw)
		return ERR_PTR(-ENOMEM);
	fwnode_init(&sw->fwnode, &shim_swnode_ops);
	ret = shim_swnode_copy(sw, properties);
	if (ret) {
		fwnode_remove_software_node(&sw->fwnode);
		return ERR_PTR(ret);
	}
	return &sw->fwnode;
}

/* device_del() (software_node_notify_remove()): a managed node goes. */
void smmusim_swnode_notify_remove(struct device *dev)
{
	struct fwnode_handle *fwnode = dev->fwnode;

	if (!is_software_node(fwnode) ||
	    !container_of(fwnode, struct shim_swnode, fwnode)->managed)
		return;
	dev->fwnode = NULL;
	fwnode_remove_software_node(fwnode);
}

int device_create_managed_software_node(struct device *dev,
					const struct property_entry *properties,
					const struct software_node *parent)
{
	struct fwnode_handle *fwnode;

	if (parent || dev->fwnode)
		return -EINVAL;
	fwnode = fwnode_create_software_node(properties, NULL);
	if (IS_ERR(fwnode))
		return PTR_ERR(fwnode);
	container_of(fwnode, struct shim_swnode, fwnode)->managed = true;
	dev->fwnode = fwnode;
	return 0;
}
