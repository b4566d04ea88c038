// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: the kernel's taint and its ends
 * (kernel/panic.c, kernel/reboot.c), for lib/kunit: test.c taints the
 * kernel with TAINT_TEST when a suite runs; executor.c powers off, halts
 * or reboots after the tests when kunit_shutdown= asks for it (the runner
 * never sets it).
 *
 * CUSTOMISED:
 *   add_taint        sets the flag in tainted_mask (test_taint() reads it)
 * TRAPS:
 *   kernel_power_off, kernel_halt, kernel_restart
 */
#include <linux/panic.h>
#include <linux/reboot.h>
#include <linux/bitops.h>

#include "../../src/shim.h"

unsigned long tainted_mask;

void add_taint(unsigned flag, enum lockdep_ok lockdep_ok)
{
	set_bit(flag, &tainted_mask);
}

void kernel_power_off(void)
{
	SMMUSIM_TRAP(kernel_power_off);
}

void kernel_halt(void)
{
	SMMUSIM_TRAP(kernel_halt);
}

void kernel_restart(char *cmd)
{
	SMMUSIM_TRAP(kernel_restart);
}
