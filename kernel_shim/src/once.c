// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: DO_ONCE() (lib/once.c), which prandom_init_once()
 * uses: lib/fault-inject.c seeds its random state once (the iommufd
 * selftest's fail_iommufd fault attribute).
 *
 * CUSTOMISED:
 *   __do_once_start   true the first time (interrupts saved and disabled
 *                     until __do_once_done, as the kernel's spinlock does)
 *   __do_once_done    marks it done and turns the call site's static key
 *                     off at once: without JUMP_LABEL a static key is a
 *                     plain counter, so there is no code to patch later
 *                     from a work item as lib/once.c does
 * Does not: the sleepable variants (no caller).
 */
#include <linux/irqflags.h>
#include <linux/jump_label.h>
#include <linux/once.h>

#include "shim.h"

bool __do_once_start(bool *done, unsigned long *flags)
{
	local_irq_save(*flags);
	if (!*done)
		return true;
	local_irq_restore(*flags);
	return false;
}

void __do_once_done(bool *done, struct static_key_true *once_key, unsigned long *flags,
		    struct module *mod)
{
	*done = true;
	local_irq_restore(*flags);
	static_branch_disable(once_key);
}
