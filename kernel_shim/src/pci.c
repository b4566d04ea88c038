// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: PCI (drivers/pci), which the simulated system does
 * not have yet: no PCI endpoints, so no ATS, ACS or DMA aliases.
 *
 * Provides pci_bus_type and the PCI calls of arm-smmu-v3.c (ATS) and of
 * the iommu core (grouping by ACS and DMA aliases), which run only for PCI
 * devices.
 *
 * TRAPS: every call that needs a PCI device (kernel_shim/README.md)
 * STUBBED: pci_request_acs, pci_dev_put, pci_get_device (no devices: the
 *   right answers)
 */
#include <linux/pci.h>
#include <linux/pci-ats.h>

#include "shim.h"

const struct bus_type pci_bus_type = { .name = "pci" };

bool pci_ats_supported(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_supported); return false; }
bool pci_ats_required(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_required); return false; }
int pci_enable_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_enable_ats); return -EINVAL; }
int pci_prepare_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_prepare_ats); return -EINVAL; }
void pci_disable_ats(struct pci_dev *dev) { SMMUSIM_TRAP(pci_disable_ats); }

/* ---- PCI topology (the simulated system has no PCI endpoints yet) ----
 * The iommu core's PCI paths (group by ACS and DMA aliases) only run for
 * PCI devices, of which there are none: TRAPS, except the harmless ones. */
void pci_request_acs(void)
{
	/* STUB: records that ACS is wanted; nothing to enable. */
}

bool pci_acs_enabled(struct pci_dev *pdev, u16 acs_flags)
{
	SMMUSIM_TRAP(pci_acs_enabled);
	return false;
}

bool pci_acs_path_enabled(struct pci_dev *start, struct pci_dev *end, u16 acs_flags)
{
	SMMUSIM_TRAP(pci_acs_path_enabled);
	return false;
}

void pci_dev_put(struct pci_dev *dev)
{
	/* STUB: PCI devices are not reference counted here (and none exist). */
}

bool pci_devs_are_dma_aliases(struct pci_dev *dev1, struct pci_dev *dev2)
{
	SMMUSIM_TRAP(pci_devs_are_dma_aliases);
	return false;
}

int pci_for_each_dma_alias(struct pci_dev *pdev, int (*fn)(struct pci_dev *pdev, u16 alias, void *data),
			   void *data)
{
	SMMUSIM_TRAP(pci_for_each_dma_alias);
	return -ENODEV;
}

struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device, struct pci_dev *from)
{
	return NULL;	/* STUB: no PCI devices, which is the right answer. */
}
