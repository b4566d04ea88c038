// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the simulated user processes.
 *
 * iommufd is called by a process (a VMM): it takes `current`, its mm, its
 * credentials and its locked-memory accounting.  The first simulated
 * process is the host process itself (its "user" addresses are host
 * addresses; user memory the IOMMU may reach is simulated DRAM mapped into
 * it, see gup.c).  fork() may add more (smmusim_process_fork(): the
 * iommufd selftest's cases that pin a child's pages): each has a task, an
 * mm and a descriptor table of its own, and the host side makes one
 * `current` while it serves that process's system calls
 * (smmusim_process_switch()).  Every other simulated context (the CPU
 * thread, interrupt threads, kthreads) sees the `current` of the call it
 * runs in.
 *
 * CUSTOMISED:
 *   current (current_task, const_current_task)  the running process's
 *                       task_struct, its mm, cred and user_struct (one
 *                       cred and user for every process: fork() keeps
 *                       them), reference counts as the kernel keeps them;
 *                       the first process's never reach zero (the shim
 *                       holds the first reference, as init_task's are)
 *   mmput/__mmdrop      a forked process's mm: its last user gone (its
 *                       exit) unmaps its address space (exit_mmap: the host
 *                       side's copy of it) and drops the users' mm_count;
 *                       the last mm_count frees it.  The first process's
 *                       reaching zero is a failure
 *   __put_task_struct_rcu_cb  a forked process's task is freed with its
 *                       last reference (a kthread's by kthread.c); the
 *                       first process's is a failure
 *   __account_locked_vm locked_vm against RLIMIT_MEMLOCK (infinite), as
 *                       mm/util.c
 *   capable()           the process (the VMM, the tests) is root: true,
 *                       but for a capability its host process dropped
 *                       from its effective set (the iommufd selftest's
 *                       change_process drops CAP_IPC_LOCK, which makes
 *                       iommufd account its pins)
 *   boot_cpu_data       x86_cache_alignment = 64 (cache_line_size())
 *   cachemode2protval   the x86 PAT-less encoding (UC = PCD|PWT, ...)
 * TRAPS:
 *   kthread_use_mm/kthread_unuse_mm  (iommufd's access with
 *                       IOMMUFD_ACCESS_RW_KTHREAD on another mm: no case
 *                       of the simulator or of the selftest does it)
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

#include <smmusim/kernel.h>
#include "shim.h"

static struct user_struct shim_user = {
	.__count = REFCOUNT_INIT(1),
};

static struct cred shim_cred = {
	.user = &shim_user,
};

/* A simulated process: its task (its own thread group leader), signal
 * limits and descriptor table (file.c's, smmusim_current_fds()). */
struct shim_process {
	struct task_struct task;
	struct signal_struct signal;
	struct file *fds[SMMUSIM_NR_FDS];
	int id;			/* the host side's number: 0 is the first */
};

/* An mm and the host side's number of its address space. */
struct shim_mm {
	struct mm_struct mm;
	int id;
};

static struct shim_process shim_proc;
static struct shim_mm shim_mm;

DEFINE_PER_CPU_CACHE_HOT(struct task_struct *, current_task) = &shim_proc.task;
/* x86 reads `current` through this const alias (the kernel's linker script
 * makes it the same variable as current_task). */
asm(".globl const_current_task\n.set const_current_task, current_task\n");

struct cpuinfo_x86 boot_cpu_data = {
	.x86_cache_alignment = 64,
	.x86_clflush_size = 64,
};

/* One user, one mm, the limits infinite, as the first process has them. */
static void shim_process_setup(struct shim_process *p, struct shim_mm *m, int id, int pid)
{
	int i;

	p->id = id;
	m->id = id;
	init_rwsem(&m->mm.mmap_lock);
	atomic_set(&m->mm.mm_users, 1);
	atomic_set(&m->mm.mm_count, 1);
	for (i = 0; i < RLIM_NLIMITS; i++) {
		p->signal.rlim[i].rlim_cur = RLIM_INFINITY;
		p->signal.rlim[i].rlim_max = RLIM_INFINITY;
	}
	refcount_set(&p->task.usage, 1);
	p->task.mm = &m->mm;
	p->task.active_mm = &m->mm;
	p->task.group_leader = &p->task;
	p->task.signal = &p->signal;
	p->task.pid = pid;
	p->task.tgid = pid;
	RCU_INIT_POINTER(p->task.cred, &shim_cred);
	RCU_INIT_POINTER(p->task.real_cred, &shim_cred);
	memcpy(p->task.comm, "smmusim-vmm", sizeof("smmusim-vmm"));
}

void smmusim_process_init(void)
{
	shim_process_setup(&shim_proc, &shim_mm, 0, 0);
}

static struct shim_process *to_shim_process(struct task_struct *t)
{
	return container_of(t, struct shim_process, task);
}

struct file **smmusim_current_fds(void)
{
	return to_shim_process(current->group_leader)->fds;
}

int smmusim_mm_id(struct mm_struct *mm)
{
	return container_of(mm, struct shim_mm, mm)->id;
}

void *smmusim_process_fork(int id, int pid)
{
	struct shim_process *p = kzalloc(sizeof(*p), GFP_KERNEL);
	struct shim_mm *m = kzalloc(sizeof(*m), GFP_KERNEL);
	struct shim_process *parent = to_shim_process(current->group_leader);

	if (!p || !m) {
		kfree(p);
		kfree(m);
		return NULL;
	}
	shim_process_setup(p, m, id, pid);
	memcpy(p->signal.rlim, parent->signal.rlim, sizeof(p->signal.rlim));
	smmusim_files_dup(p->fds, parent->fds);
	return &p->task;
}

void *smmusim_process_switch(void *task)
{
	struct task_struct *prev = current_task;

	current_task = task ? task : &shim_proc.task;
	return prev;
}

/* do_exit() of a forked process, run as that process: exit_files(),
 * exit_mm() (mm->mm_users drops: pins of its pages fail from now on), the
 * reference the process held on its task. */
void smmusim_process_exit(void *task)
{
	struct task_struct *t = task;
	struct mm_struct *mm = t->mm;

	smmusim_files_close(to_shim_process(t)->fds);
	t->mm = NULL;
	t->active_mm = NULL;
	mmput(mm);
	put_task_struct(t);
}

void smmusim_process_vm(void *task, unsigned long *pinned, unsigned long *locked)
{
	struct task_struct *t = task ? task : &shim_proc.task;

	*pinned = t->mm ? (unsigned long)atomic64_read(&t->mm->pinned_vm) : 0;
	*locked = t->mm ? t->mm->locked_vm : 0;
}

void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	if (mm == &shim_mm.mm) {
		smmusim_host_failure("BUG", "mmput: the simulated process's mm lost its last user");
		return;
	}
	/* __mmput(): the address space goes, then the users' mm_count. */
	smmusim_host_user_exit_mmap(smmusim_mm_id(mm));
	mmdrop(mm);
}

void __mmdrop(struct mm_struct *mm)
{
	if (mm == &shim_mm.mm) {
		smmusim_host_failure("BUG", "mmdrop: the simulated process's mm lost its last reference");
		return;
	}
	kfree(container_of(mm, struct shim_mm, mm));
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
	if (t == &shim_proc.task) {
		smmusim_host_failure("BUG", "put_task_struct: the simulated process lost its last reference");
		return;
	}
	kfree(to_shim_process(t));
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

/* The simulated process (the VMM, the tests) is root: it has every
 * capability its host process has not dropped (smmusim/host.h). */
bool capable(int cap)
{
	return smmusim_host_capable(cap);
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

