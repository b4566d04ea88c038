// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: MMIO mappings (arch/x86/mm/ioremap.c, lib/devres.c).
 *
 * Provides ioremap* / iounmap and devm_ioremap_resource for the drivers'
 * registers (arm-smmu-v3.c's pages 0 and 1 through devm_ioremap_resource,
 * tegra241-cmdqv.c's whole CMDQV space through ioremap).
 *
 * CUSTOMISED: a mapping is a cookie in a PROT_NONE host range (a stray
 * dereference faults); the raw accessors (asm/io.h shadow) turn accesses
 * through it into MMIO on the simulated platform, in simulated time.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/ioport.h>

#include "shim.h"

void __iomem *ioremap(resource_size_t offset, unsigned long size)
{
	return (void __iomem *)smmusim_host_ioremap(offset, size);
}

void __iomem *ioremap_wc(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_wt(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_uc(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_cache(resource_size_t offset, unsigned long size)
{
	return ioremap(offset, size);
}

void __iomem *ioremap_prot(resource_size_t offset, unsigned long size, pgprot_t prot)
{
	return ioremap(offset, size);
}

void iounmap(volatile void __iomem *addr)
{
	smmusim_host_iounmap((const volatile void __force *)addr);
}

static void devm_iounmap_release(struct device *dev, struct smmusim_devres *dr)
{
	iounmap((void __iomem *)dr->arg);
}

void __iomem *devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	struct smmusim_devres *dr;
	void __iomem *p;

	if (!res || resource_type(res) != IORESOURCE_MEM) {
		dev_err(dev, "invalid resource %pR\n", res);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	dr = smmusim_devres_new(0, GFP_KERNEL, "devm_ioremap", devm_iounmap_release);
	if (!dr)
		return IOMEM_ERR_PTR(-ENOMEM);
	p = ioremap(res->start, resource_size(res));
	if (!p) {
		smmusim_host_kfree(dr);
		dev_err(dev, "ioremap failed for resource %pR\n", res);
		return IOMEM_ERR_PTR(-ENOMEM);
	}
	dr->arg = (void __force *)p;
	smmusim_devres_link(dev, dr);
	return p;
}

