// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the simulated user process.
 *
 * iommufd is called by a process (a VMM): it takes `current`, its mm, its
 * credentials and its locked-memory accounting.  The simulator has one such
 * process, which is the host process itself (its "user" addresses are host
 * addresses; user memory the IOMMU may reach is simulated DRAM mapped into
 * it, see gup.c).  Every simulated context (the CPU thread, interrupt
 * threads) runs on behalf of that process, so `current` never changes.
 *
 * CUSTOMISED:
 *   current (current_task, const_current_task)  one task_struct, its mm,
 *                       cred and user_struct, reference counts as the
 *                       kernel keeps them (never reaching zero: the shim
 *                       holds the first reference, as init_task's are)
 *   mmput/__mmdrop      reference drops; reaching zero is a failure
 *                       (put_task_struct's too, but for a kthread's own
 *                       task, which kthread.c frees)
 *   __account_locked_vm locked_vm against RLIMIT_MEMLOCK (infinite), as
 *                       mm/util.c
 *   capable()           true: the process (the VMM, the tests) is root
 *   boot_cpu_data       x86_cache_alignment = 64 (cache_line_size())
 *   cachemode2protval   the x86 PAT-less encoding (UC = PCD|PWT, ...)
 * TRAPS:
 *   kthread_use_mm/kthread_unuse_mm  only for a caller that is not the
 *                       process owning the pages, which cannot happen here
 */
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/sched/user.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/kthread.h>
#include <linux/resource.h>
#include <linux/capability.h>
#include <asm/current.h>
#include <asm/processor.h>
#include <asm/pgtable_types.h>

#include "shim.h"

static struct user_struct shim_user = {
	.__count = REFCOUNT_INIT(1),
};

static struct cred shim_cred = {
	.user = &shim_user,
};

static struct signal_struct shim_signal;
static struct mm_struct shim_mm;
static struct task_struct shim_task;

DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task) = &shim_task;
/* x86 reads `current` through this const alias (the kernel's linker script
 * makes it the same variable as current_task). */
asm(".globl const_current_task\n.set const_current_task, current_task\n");

struct cpuinfo_x86 boot_cpu_data = {
	.x86_cache_alignment = 64,
	.x86_clflush_size = 64,
};

void smmusim_process_init(void)
{
	int i;

	init_rwsem(&shim_mm.mmap_lock);
	atomic_set(&shim_mm.mm_users, 1);
	atomic_set(&shim_mm.mm_count, 1);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		shim_signal.rlim[i].rlim_cur = RLIM_INFINITY;
		shim_signal.rlim[i].rlim_max = RLIM_INFINITY;
	}
	refcount_set(&shim_task.usage, 1);
	shim_task.mm = &shim_mm;
	shim_task.active_mm = &shim_mm;
	shim_task.group_leader = &shim_task;
	shim_task.signal = &shim_signal;
	RCU_INIT_POINTER(shim_task.cred, &shim_cred);
	RCU_INIT_POINTER(shim_task.real_cred, &shim_cred);
	memcpy(shim_task.comm, "smmusim-vmm", sizeof("smmusim-vmm"));
}

void mmput(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->mm_users))
		smmusim_host_failure("BUG", "mmput: the simulated process's mm lost its last user");
}

void __mmdrop(struct mm_struct *mm)
{
	smmusim_host_failure("BUG", "mmdrop: the simulated process's mm lost its last reference");
}

void free_uid(struct user_struct *up)
{
	if (up && refcount_dec_and_test(&up->__count))
		smmusim_host_failure("BUG", "free_uid: the simulated process's user lost its last reference");
}

void __put_task_struct_rcu_cb(struct rcu_head *rhp)
{
	struct task_struct *t = container_of(rhp, struct task_struct, rcu);

	/* A kernel thread's task (kthread.c) is freed with its last reference. */
	if (t->flags & PF_KTHREAD) {
		smmusim_kthread_free(t);
		return;
	}
	smmusim_host_failure("BUG", "put_task_struct: the simulated process lost its last reference");
}

/* mm/util.c's contract: charge or uncharge locked_vm, -ENOMEM over the
 * RLIMIT_MEMLOCK of `task` unless bypass_rlim. */
int __account_locked_vm(struct mm_struct *mm, unsigned long pages, bool inc,
			const struct task_struct *task, bool bypass_rlim)
{
	unsigned long locked_vm = mm->locked_vm;

	if (inc) {
		unsigned long limit = task_rlimit(task, RLIMIT_MEMLOCK) >> PAGE_SHIFT;

		if (!bypass_rlim && locked_vm + pages > limit)
			return -ENOMEM;
		mm->locked_vm = locked_vm + pages;
	} else {
		WARN_ON_ONCE(pages > locked_vm);
		mm->locked_vm = locked_vm - pages;
	}
	return 0;
}

/* The simulated process (the VMM, the tests) has every capability. */
bool capable(int cap)
{
	return true;
}

void kthread_use_mm(struct mm_struct *mm)
{
	SMMUSIM_TRAP(kthread_use_mm);
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	SMMUSIM_TRAP(kthread_unuse_mm);
}

/* x86 without PAT: WB 0, WC and WT as UC- (PCD), UC = PCD | PWT. */
unsigned long cachemode2protval(enum page_cache_mode pcm)
{
	switch (pcm) {
	case _PAGE_CACHE_MODE_WB:
		return 0;
	case _PAGE_CACHE_MODE_UC:
		return _PAGE_PCD | _PAGE_PWT;
	default:
		return _PAGE_PCD;
	}
}

