// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: managed device resources (drivers/base/devres.c).
 *
 * Provides devm_kmalloc/devm_kfree/devm_krealloc and __devm_add_action
 * (devm_add_action_or_reset()) to the drivers' probes (arm-smmu-v3.c,
 * tegra241-cmdqv.c), and the devres list itself to the shim's other
 * managed resources (dmam_* in dma.c, devm_ioremap_resource in ioremap.c,
 * devm_request_threaded_irq in irq.c) and to the platform bus, which
 * releases a device's list on unbind or on a failed probe.
 *
 * CUSTOMISED: per-device release lists, released newest first, as
 * release_nodes() does.
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "shim.h"

struct smmusim_devres *smmusim_devres_new(size_t size, gfp_t gfp, const char *name,
					  void (*release)(struct device *, struct smmusim_devres *))
{
	struct smmusim_devres *dr;

	dr = smmusim_host_kmalloc(sizeof(*dr) + size, !!(gfp & __GFP_ZERO));
	if (!dr)
		return NULL;
	memset(dr, 0, sizeof(*dr));
	INIT_LIST_HEAD(&dr->node);
	dr->release = release;
	dr->name = name;
	dr->size = size;
	return dr;
}

void smmusim_devres_link(struct device *dev, struct smmusim_devres *dr)
{
	list_add_tail(&dr->node, &dev->devres_head);
}

void smmusim_devres_release_all(struct device *dev)
{
	/* Newest first, like release_nodes() in drivers/base/devres.c. */
	while (!list_empty(&dev->devres_head)) {
		struct smmusim_devres *dr =
			list_last_entry(&dev->devres_head, struct smmusim_devres, node);

		list_del(&dr->node);
		if (dr->release)
			dr->release(dev, dr);
		smmusim_host_kfree(dr);
	}
}

int smmusim_devres_count(struct device *dev)
{
	struct smmusim_devres *dr;
	int n = 0;

	list_for_each_entry(dr, &dev->devres_head, node)
		n++;
	return n;
}

static struct smmusim_devres *devres_of_data(struct device *dev, const void *p)
{
	struct smmusim_devres *dr;

	list_for_each_entry(dr, &dev->devres_head, node)
		if ((const void *)dr->data == p)
			return dr;
	return NULL;
}

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct smmusim_devres *dr = smmusim_devres_new(size, gfp, "devm_kmalloc", NULL);

	if (!dr)
		return NULL;
	smmusim_devres_link(dev, dr);
	return dr->data;
}

void devm_kfree(struct device *dev, const void *p)
{
	struct smmusim_devres *dr;

	if (ZERO_OR_NULL_PTR(p))
		return;
	dr = devres_of_data(dev, p);
	if (WARN_ON(!dr))
		return;
	list_del(&dr->node);
	smmusim_host_kfree(dr);
}

void *devm_krealloc(struct device *dev, void *ptr, size_t new_size, gfp_t gfp)
{
	struct smmusim_devres *old, *dr;

	if (!ptr)
		return devm_kmalloc(dev, new_size, gfp);
	old = devres_of_data(dev, ptr);
	if (WARN_ON(!old))
		return NULL;
	if (new_size <= old->size)
		return ptr;
	dr = smmusim_devres_new(new_size, gfp, "devm_krealloc", NULL);
	if (!dr)
		return NULL;
	memcpy(dr->data, old->data, old->size);
	if (gfp & __GFP_ZERO)
		memset(dr->data + old->size, 0, new_size - old->size);
	/* Take the old entry's place in the release order. */
	list_replace(&old->node, &dr->node);
	smmusim_host_kfree(old);
	return dr->data;
}

static void devres_run_action(struct device *dev, struct smmusim_devres *dr)
{
	dr->action(dr->arg);
}

int __devm_add_action(struct device *dev, void (*action)(void *), void *data, const char *name)
{
	struct smmusim_devres *dr = smmusim_devres_new(0, GFP_KERNEL, name, devres_run_action);

	if (!dr)
		return -ENOMEM;
	dr->action = action;
	dr->arg = data;
	smmusim_devres_link(dev, dr);
	return 0;
}

