// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: module parameters and IDAs (CUSTOMISED, below), and
 * services the linked kernel code references but the simulator does not
 * provide yet.
 *
 * TRAPS: each records a "trap" failure (which fails the running test) naming
 * the function, then returns an error/empty value.  None is reached by
 * probe/remove of the SMMUv3 driver against the model; they belong to paths
 * for later issues (endpoints and groups, PCI ATS, iommufd vIOMMU, ACPI,
 * MSIs, IDs).  STUBS that are harmless no-ops say so.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/iommu.h>
#include <linux/iommufd.h>
#include <linux/iova_bitmap.h>
#include <linux/moduleparam.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/pci-ats.h>
#include <linux/xarray.h>
#include <linux/string.h>
#include <linux/capability.h>
#include <linux/cpuhotplug.h>
#include <linux/bottom_half.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include "../../drivers/iommu/dma-iommu.h"

#include "shim.h"

/*
 * ---- module parameters (CUSTOMISED) ----
 * Parameters keep their defaults unless a test sets one with
 * smmusim_kernel_param_set(), which walks the __param table the kernel
 * objects emit (module_param() puts a struct kernel_param there, named
 * "<KBUILD_MODNAME>.<name>" for built-in code) and calls its ops->set, as
 * the kernel's parse_args() does for the command line.  The linker provides
 * __start___param/__stop___param for the orphan section.
 */
extern const struct kernel_param __start___param[] __attribute__((weak));
extern const struct kernel_param __stop___param[] __attribute__((weak));

int smmusim_kernel_param_set(const char *name, const char *val)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp && kp < __stop___param; kp++) {
		if (strcmp(kp->name, name))
			continue;
		if (!kp->ops || !kp->ops->set)
			return -EPERM;
		return kp->ops->set(val, kp);
	}
	return -ENOENT;
}

static int shim_param_set_bool(const char *val, const struct kernel_param *kp)
{
	/* "1/y/Y/on" and "0/n/N/off", as the kernel's kstrtobool() accepts. */
	if (!val || !strcmp(val, "1") || !strcasecmp(val, "y") || !strcasecmp(val, "on"))
		*(bool *)kp->arg = true;
	else if (!strcmp(val, "0") || !strcasecmp(val, "n") || !strcasecmp(val, "off"))
		*(bool *)kp->arg = false;
	else
		return -EINVAL;
	return 0;
}

static int shim_param_get_bool(char *buffer, const struct kernel_param *kp)
{
	buffer[0] = *(bool *)kp->arg ? 'Y' : 'N';
	buffer[1] = '\n';
	buffer[2] = '\0';
	return 2;
}

const struct kernel_param_ops param_ops_bool = {
	.set = shim_param_set_bool,
	.get = shim_param_get_bool,
};

/* ---- PCI (no PCI endpoints in the simulated system yet) ---- */
const struct bus_type pci_bus_type = { .name = "pci" };

bool pci_ats_supported(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_supported); return false; }
bool pci_ats_required(struct pci_dev *dev) { SMMUSIM_TRAP(pci_ats_required); return false; }
int pci_enable_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_enable_ats); return -EINVAL; }
int pci_prepare_ats(struct pci_dev *dev, int ps) { SMMUSIM_TRAP(pci_prepare_ats); return -EINVAL; }
void pci_disable_ats(struct pci_dev *dev) { SMMUSIM_TRAP(pci_disable_ats); }
/* ---- ACPI (the simulator describes its devices with a device tree) ---- */
struct acpi_device *acpi_dev_get_first_match_dev(const char *hid, const char *uid, s64 hrv)
{
	return NULL;	/* STUB: no ACPI namespace, so no match (correct answer). */
}

struct device *acpi_get_first_physical_node(struct acpi_device *adev)
{
	SMMUSIM_TRAP(acpi_get_first_physical_node);
	return NULL;
}

/* ---- MSI domains (no MSI parent in the tree: the drivers use wired IRQs) ---- */
unsigned int msi_domain_get_virq(struct device *dev, unsigned int domid, unsigned int index)
{
	SMMUSIM_TRAP(msi_domain_get_virq);
	return 0;
}

int platform_device_msi_init_and_alloc_irqs(struct device *dev, unsigned int nvec,
					    irq_write_msi_msg_t write_msi_msg)
{
	SMMUSIM_TRAP(platform_device_msi_init_and_alloc_irqs);
	return -ENODEV;
}

void platform_device_msi_free_irqs_all(struct device *dev)
{
	SMMUSIM_TRAP(platform_device_msi_free_irqs_all);
}

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

/* ---- processes, CPUs, softirqs ---- */

/* The simulated process (the VMM, the tests) has every capability. */
bool capable(int cap)
{
	return true;
}

/* CPU hotplug: one CPU that never goes away; the callbacks are not needed
 * (they drain per-CPU preload caches of CPUs going offline). STUB. */
int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke,
			int (*startup)(unsigned int cpu), int (*teardown)(unsigned int cpu),
			bool multi_instance)
{
	return 0;
}

/* local_bh_enable(): no softirqs are ever pending in the simulator. */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	preempt_count_sub(cnt);
}

/* Deterministic "random" numbers (same run, same answers): a 32-bit LCG. */
u32 __get_random_u32_below(u32 ceil)
{
	static u32 state = 0x12345678;

	state = state * 1664525u + 1013904223u;
	return ceil ? (u32)(((u64)state * ceil) >> 32) : 0;
}
