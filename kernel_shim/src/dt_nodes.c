// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the device tree the host side builds, and the platform
 * devices made from its nodes (what the FDT unflattening and
 * of_platform_populate() do on a real machine).
 *
 * Provides smmusim_{cmdqv,smmu,endpoint}_device_create(),
 * smmusim_pci_host_bridge_create() and
 * smmusim_platform_device_destroy() to the host side (include/smmusim/
 * kernel.h): a node per device, from the simulator's configuration, with
 * the properties the bindings ask for (arm,smmu-v3; nvidia,tegra264-cmdqv;
 * an endpoint's "iommus"; a PCI host bridge's "iommu-map" and
 * "ats-supported"), and the platform device around it with its
 * MEM and IRQ resources, numbered as the simulator's interrupt controller
 * numbers its lines (an identity irq domain).  of.c reads the nodes;
 * platform_bus.c registers the devices.
 *
 * CUSTOMISED: every node gets a phandle (never 0, never reused); a node
 * whose properties could not be allocated is not created.
 */
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/dma-mapping.h>

#include <smmusim/kernel.h>
#include "shim.h"

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

/* Phandles of the nodes the host side builds (never 0, never reused). */
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

/* A zeroed device whose node is called `name` and has the next phandle. */
static struct smmusim_pdev *shim_node_new(const char *name)
{
	struct smmusim_pdev *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	INIT_LIST_HEAD(&d->node);
	of_alloc_failed = false;
	d->np.name = name;
	d->np.phandle = next_phandle++;
	return d;
}

/* Whether every property of d's node could be allocated; if not, d is
 * freed (the node would be unusable). */
static bool shim_node_complete(struct smmusim_pdev *d)
{
	if (!of_alloc_failed)
		return true;
	of_free_props(&d->np);
	kfree(d);
	return false;
}

void *smmusim_cmdqv_device_create(const struct smmusim_cmdqv_desc *desc)
{
	static const char *const compat[] = { "nvidia,tegra264-cmdqv" };
	struct smmusim_pdev *d = shim_node_new("cmdqv");
	u32 irq = desc->irq;

	if (!d)
		return NULL;
	d->np.full_name = desc->node_name ? desc->node_name : "cmdqv";
	of_add_strings(&d->np, "compatible", compat, 1);
	of_add_reg(&d->np, desc->base, desc->size);
	if (irq)
		of_add_cells(&d->np, "interrupts", &irq, 1);
	of_add_cells(&d->np, "phandle", &d->np.phandle, 1);
	if (!shim_node_complete(d))
		return NULL;
	shim_pdev_init(d, "cmdqv", desc->base, desc->size, &irq, NULL, irq ? 1 : 0);
	return &d->pdev;
}

void *smmusim_smmu_device_create(const struct smmusim_smmu_desc *desc)
{
	static const char *const compat[] = { "arm,smmu-v3" };
	static const char *const compat_t264[] = { "nvidia,tegra264-smmu", "arm,smmu-v3" };
	struct platform_device *cmdqv = desc->cmdqv;
	struct smmusim_pdev *d = shim_node_new("iommu");
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
	d->np.full_name = desc->node_name ? desc->node_name : "iommu";
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
	if (!shim_node_complete(d))
		return NULL;

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
	d = shim_node_new("dma-master");
	if (!d)
		return NULL;
	snprintf(d->node_name, sizeof(d->node_name), "/%s", desc->name);
	d->np.full_name = d->node_name;
	of_add_strings(&d->np, "compatible", compat, 1);
	for (i = 0; i < desc->nr_sids; i++) {
		cells[2 * i] = smmu->dev.of_node->phandle;
		cells[2 * i + 1] = desc->sids[i];
	}
	of_add_cells(&d->np, "iommus", cells, 2 * desc->nr_sids);
	if (!shim_node_complete(d))
		return NULL;
	snprintf(d->name, sizeof(d->name), "%s", desc->name);
	shim_pdev_setup(d, 64);
	return &d->pdev;
}

/*
 * A PCI host bridge (Documentation/devicetree/bindings/pci/
 * host-generic-pci.yaml, pci-iommu.yaml): "iommu-map" maps the root bus's
 * RIDs to StreamIDs of the SMMU, "ats-supported" says the root complex
 * handles ATS. No driver binds it and it has no "reg": the functions under
 * it are made by pci.c, not enumerated through ECAM.
 */
void *smmusim_pci_host_bridge_create(const struct smmusim_pci_host_desc *desc)
{
	static const char *const compat[] = { "pci-host-ecam-generic" };
	struct platform_device *smmu = desc->smmu;
	struct smmusim_pdev *d;
	u32 map[4], bus_range[2] = { 0, 0 };

	if (!smmu || !desc->length)
		return NULL;
	d = shim_node_new("pcie");
	if (!d)
		return NULL;
	snprintf(d->node_name, sizeof(d->node_name), "%s", desc->node_name ? desc->node_name : "/pcie");
	d->np.full_name = d->node_name;
	of_add_strings(&d->np, "compatible", compat, 1);
	of_add_strings(&d->np, "device_type", (const char *const[]){ "pci" }, 1);
	of_add_cells(&d->np, "bus-range", bus_range, 2);
	map[0] = desc->rid_base;
	map[1] = smmu->dev.of_node->phandle;
	map[2] = desc->sid_base;
	map[3] = desc->length;
	of_add_cells(&d->np, "iommu-map", map, 4);
	if (desc->ats_supported)
		of_add_prop(&d->np, "ats-supported", NULL, 0);
	of_add_cells(&d->np, "phandle", &d->np.phandle, 1);
	if (!shim_node_complete(d))
		return NULL;
	snprintf(d->name, sizeof(d->name), "%s", d->node_name + (d->node_name[0] == '/'));
	shim_pdev_setup(d, 64);
	return &d->pdev;
}

void smmusim_platform_device_destroy(void *p)
{
	struct smmusim_pdev *d = to_smmusim_pdev(p);

	smmusim_platform_device_del(p);
	of_free_props(&d->np);
	kfree(d);
}

