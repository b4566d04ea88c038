// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: RCU callbacks (kernel/rcu/tiny.c).
 *
 * Provides call_rcu, synchronize_rcu, rcu_barrier and kvfree_call_rcu
 * (kfree_rcu()) for arm-smmu-v3.c, iommufd, the maple tree, the radix tree
 * and the xarray, and to the host side smmusim_rcu_flush(), which it calls
 * when a grace period has passed.
 *
 * CUSTOMISED: call_rcu() queues; the host side runs the queue once a grace
 * period has passed, which on this one-CPU machine is a moment when no
 * context is inside a non-preemptible section (the CPU reaching a sleep,
 * or the end of a CPU job).  kfree_rcu() frees at once: with one CPU and
 * TINY_RCU, a grace period has passed whenever the caller does not hold an
 * RCU read lock, which kfree_rcu() callers never do.
 */
#include <linux/version.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "shim.h"

#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 3, 0)
void kvfree_call_rcu(struct kvfree_rcu_head *head, void *ptr)
#else
void kvfree_call_rcu(struct rcu_head *head, void *ptr)	/* 7.2 and older */
#endif
{
	kfree(ptr);
}

static struct rcu_head *rcu_queue, **rcu_tail = &rcu_queue;

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	*rcu_tail = head;
	rcu_tail = &head->next;
}

int smmusim_rcu_flush(void)
{
	int n = 0;

	while (rcu_queue) {
		struct rcu_head *h = rcu_queue;

		rcu_queue = h->next;
		if (!rcu_queue)
			rcu_tail = &rcu_queue;
		h->func(h);
		n++;
	}
	return n;
}

void synchronize_rcu(void)
{
	smmusim_rcu_flush();
}

void rcu_barrier(void)
{
	smmusim_rcu_flush();
}
