// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: kernel threads (kernel/kthread.c, do_exit() of
 * kernel/exit.c), for lib/kunit/try-catch.c, which runs each test case in
 * a kthread and waits for its end through task_struct->vfork_done.
 *
 * A kthread is a task_struct of its own (PF_KTHREAD, its name in comm,
 * vfork_done pointing at the thread's "exited" completion) whose code runs
 * as a host context of its own (host/kthreads.{h,cc}).  `current` stays
 * the simulated process's task in every context (process.c): code a
 * kthread runs sees that task, not its own.
 *
 * CUSTOMISED:
 *   kthread_create_on_node  a stopped thread: its task_struct, usage 1 (the
 *                           reference the thread drops when it ends, as the
 *                           kernel's reaping does)
 *   wake_up_process         first wake-up of a kthread starts it; for other
 *                           tasks, wakes every sleeper (as __wake_up)
 *   do_exit (kthread_exit)  from a kthread: its result, then it ends
 *   kthread_stop            asks the thread to stop (kthread_should_stop),
 *                           wakes it, waits for its end, returns its result
 *   kthread_should_stop     whether the running kthread was asked to stop
 *   smmusim_kthread_free    the last put_task_struct() of a kthread
 *                           (process.c's __put_task_struct_rcu_cb)
 * TRAPS:
 *   do_exit outside a kthread (the simulated process never exits)
 */
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "shim.h"

struct smmusim_kthread {
	struct task_struct task;	/* what kthread_create() returns */
	struct completion exited;	/* task.vfork_done */
	int (*threadfn)(void *data);
	void *data;
	void *ctx;			/* the host context, once started */
	int result;
	bool should_stop;
	struct list_head node;		/* kthreads started and not ended */
};

static LIST_HEAD(running);

static struct smmusim_kthread *to_shim_kthread(struct task_struct *t)
{
	return (t->flags & PF_KTHREAD) ? container_of(t, struct smmusim_kthread, task) : NULL;
}

/* The kthread whose context runs now, or NULL. */
static struct smmusim_kthread *current_kthread(void)
{
	void *ctx = smmusim_host_current();
	struct smmusim_kthread *k;

	list_for_each_entry(k, &running, node)
		if (k->ctx == ctx)
			return k;
	return NULL;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	struct smmusim_kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	va_list ap;

	if (!k)
		return ERR_PTR(-ENOMEM);
	k->threadfn = threadfn;
	k->data = data;
	init_completion(&k->exited);
	INIT_LIST_HEAD(&k->node);
	refcount_set(&k->task.usage, 1);
	k->task.flags = PF_KTHREAD;
	k->task.vfork_done = &k->exited;
	va_start(ap, namefmt);
	vsnprintf(k->task.comm, sizeof(k->task.comm), namefmt, ap);
	va_end(ap);
	return &k->task;
}

static void kthread_run_fn(void *arg)
{
	struct smmusim_kthread *k = arg;

	k->result = k->threadfn(k->data);
}

/* After the thread function returned or exited: as the kernel's exit path,
 * vfork_done is completed and the thread's own reference dropped. */
static void kthread_finish(void *arg)
{
	struct smmusim_kthread *k = arg;

	list_del_init(&k->node);
	k->task.vfork_done = NULL;
	complete(&k->exited);
	put_task_struct(&k->task);
}

int wake_up_process(struct task_struct *p)
{
	struct smmusim_kthread *k = to_shim_kthread(p);

	if (!k || k->ctx) {
		smmusim_host_wake_all();
		return 1;
	}
	list_add_tail(&k->node, &running);
	k->ctx = smmusim_host_kthread_start(kthread_run_fn, kthread_finish, k, p->comm);
	return 1;
}

void __noreturn do_exit(long code)
{
	struct smmusim_kthread *k = current_kthread();

	if (!k)
		panic("do_exit(%ld): the simulated process cannot exit\n", code);
	k->result = (int)code;
	smmusim_host_kthread_exit();
}

bool kthread_should_stop(void)
{
	struct smmusim_kthread *k = current_kthread();

	return k && READ_ONCE(k->should_stop);
}

int kthread_stop(struct task_struct *p)
{
	struct smmusim_kthread *k = to_shim_kthread(p);
	int ret;

	if (WARN(!k, "kthread_stop: %s is not a kernel thread\n", p->comm))
		return -EINVAL;
	get_task_struct(p);
	WRITE_ONCE(k->should_stop, true);
	if (!k->ctx) {		/* never woken: it ends without running */
		k->result = -EINTR;
		kthread_finish(k);
	} else {
		wake_up_process(p);
		wait_for_completion(&k->exited);
	}
	ret = k->result;
	put_task_struct(p);
	return ret;
}

void smmusim_kthread_free(struct task_struct *t)
{
	kfree(container_of(t, struct smmusim_kthread, task));
}
