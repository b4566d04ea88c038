// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the DMA-API layer over IOMMU domains
 * (drivers/iommu/dma-iommu.c), which the iommu core (drivers/iommu/iommu.c)
 * calls when it gives a device a DMA domain, and for reserved regions.
 *
 * CUSTOMISED:
 *   iommu_dma_get_resv_regions     what dma-iommu.c does for a device-tree
 *                                  device: of_iommu_get_resv_regions()
 *                                  (there are no PCI host bridges)
 * STUBBED (no-ops):
 *   iommu_setup_dma_ops, iommu_get_dma_cookie, iommu_put_dma_cookie,
 *   iommu_put_msi_cookie, iommu_dma_init_fq
 *                                  the simulator's endpoints do not use the
 *                                  DMA API (they are driven by traces), so
 *                                  DMA domains have no IOVA allocator or
 *                                  flush queue; their page tables and
 *                                  invalidations are the driver's own
 */
#include <linux/iommu.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/of_iommu.h>
#include "drivers/iommu/dma-iommu.h"

#include "shim.h"

void iommu_setup_dma_ops(struct device *dev, struct iommu_domain *domain)
{
}

int iommu_get_dma_cookie(struct iommu_domain *domain)
{
	return 0;
}

void iommu_put_dma_cookie(struct iommu_domain *domain)
{
}

void iommu_put_msi_cookie(struct iommu_domain *domain)
{
}

int iommu_dma_init_fq(struct iommu_domain *domain)
{
	return 0;
}

void iommu_dma_get_resv_regions(struct device *dev, struct list_head *list)
{
	if (dev_of_node(dev))
		of_iommu_get_resv_regions(dev, list);
}
