// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: what the linked kernel code references from
 * subsystems the simulated machine does not have (ACPI, MSI domains), and
 * the random numbers the libraries ask for.
 *
 * arm-smmu-v3.c and tegra241-cmdqv.c look for their ACPI companions and
 * platform MSIs; the tree describes the devices with a device tree and has
 * no MSI parent, so the drivers take the DT paths and wired IRQs.
 *
 * TRAPS: each records a "trap" failure (which fails the running test)
 *   naming the function, then returns an error or empty value
 * STUBBED: acpi_dev_get_first_match_dev (no ACPI namespace, so no match:
 *   the right answer)
 * CUSTOMISED: __get_random_u32_below and get_random_bytes, deterministic
 *   (same run, same answers); msi_device_has_isolated_msi is true (iommufd's
 *   iommufd_device_bind() requires isolated MSIs)
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/msi.h>
#include <linux/random.h>

#include "shim.h"

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

/* The platform's MSI controller isolates devices, as a GICv3 ITS does
 * (IRQ_DOMAIN_FLAG_ISOLATED_MSI); iommufd requires it to bind a device. */
bool msi_device_has_isolated_msi(struct device *dev)
{
	return true;
}

/* Deterministic "random" numbers (same run, same answers): a 32-bit LCG. */
static u32 shim_random_u32(void)
{
	static u32 state = 0x12345678;

	state = state * 1664525u + 1013904223u;
	return state;
}

u32 __get_random_u32_below(u32 ceil)
{
	u32 r = shim_random_u32();

	return ceil ? (u32)(((u64)r * ceil) >> 32) : 0;
}

/* The same sequence as bytes (lib/random32.c seeds prandom with it). */
void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;

	while (len--)
		*p++ = shim_random_u32() >> 24;
}
