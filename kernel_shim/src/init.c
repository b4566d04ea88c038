// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: booting and unloading the simulated kernel
 * (init/main.c's start_kernel() set-up and do_initcalls()).
 *
 * Provides to the host side (include/smmusim/kernel.h): smmusim_kernel_init
 * (the memory map of memmap.c, the first context's state of cpu.c),
 * smmusim_kernel_early_init (the simulated process and the libraries'
 * caches, before any initcall), and smmusim_run_initcalls/exitcalls: the
 * initcall table that kernel_shim/initcalls.ld gathers from every linked
 * object (the iommu core's and iommufd's set-up, module_platform_driver()
 * of arm-smmu-v3.c and tegra241-cmdqv.c), run in link order; "unloading"
 * unregisters the platform drivers (platform_bus.c).
 *
 * CUSTOMISED: initcalls run once per process; a later boot runs again only
 * the ones that registered a driver.
 */
#include <linux/init.h>
#include <linux/printk.h>
#include <linux/radix-tree.h>
#include <linux/maple_tree.h>

#include <smmusim/kernel.h>
#include "shim.h"

void smmusim_kernel_init(void)
{
	unsigned long pc, flags;

	smmusim_memmap_init();
	/* Contexts start from smmusim_ctx_init()'s state; so does the CPU. */
	smmusim_ctx_init(&pc, &flags);
	smmusim_ctx_restore(pc, flags);
}

/* What start_kernel() sets up for the libraries before any initcall. */
void smmusim_kernel_early_init(void)
{
	smmusim_process_init();
	radix_tree_init();
	maple_tree_init();
}

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
		int before = smmusim_platform_driver_count();

		ret = fn();
		if (ret)
			pr_warn("initcall %ps returned %d\n", fn, ret);
		if (smmusim_platform_driver_count() != before && shim_nr_driver_initcalls < SHIM_MAX_INITCALLS)
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
	return n + smmusim_platform_drivers_unregister_all();
}
