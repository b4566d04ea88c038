// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim, KUnit build: what lib/kunit/user_alloc.c
 * (kunit_vm_mmap(): user memory for a test, in an mm of its own) links
 * against (kernel/fork.c, mm/util.c, arch/x86/mm/mmap.c).  The arm-smmu-v3
 * suite maps no user memory; the simulated process's user memory is the
 * host side's (gup.c, host/user_memory).
 *
 * TRAPS:
 *   mm_alloc, arch_pick_mmap_layout, vm_mmap, vm_munmap
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>

#include "../../src/shim.h"

struct mm_struct *mm_alloc(void)
{
	SMMUSIM_TRAP(mm_alloc);
	return NULL;
}

void arch_pick_mmap_layout(struct mm_struct *mm, const struct rlimit *rlim_stack)
{
	SMMUSIM_TRAP(arch_pick_mmap_layout);
}

unsigned long vm_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flag, unsigned long offset)
{
	SMMUSIM_TRAP(vm_mmap);
	return -ENOMEM;
}

int vm_munmap(unsigned long start, size_t len)
{
	SMMUSIM_TRAP(vm_munmap);
	return -EINVAL;
}
