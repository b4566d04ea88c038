// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: completions (kernel/sched/completion.c) and the
 * simple wait queue head they embed (kernel/sched/swait.c), for the iommufd
 * selftest's mock IOMMU (it waits, at module exit, for its last user).
 *
 * CUSTOMISED:
 *   __init_swait_queue_head   an empty list and its lock
 *   complete/complete_all     count a completion (complete_all: for good) and
 *                      wake every blocked context (sched.c's wake-up: each
 *                      re-checks its own condition)
 *   wait_for_completion, wait_for_completion_timeout   block in simulated
 *                      time until done, as the kernel's; the timeout
 *                      variant returns the jiffies left (at least 1) or 0
 * Does not: interruptible or killable waits, try_wait_for_completion.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/swait.h>

#include "shim.h"

void __init_swait_queue_head(struct swait_queue_head *q, const char *name,
			     struct lock_class_key *key)
{
	raw_spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->task_list);
}

void complete(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done++;
	smmusim_host_wake_all();
}

void complete_all(struct completion *x)
{
	x->done = UINT_MAX;
	smmusim_host_wake_all();
}

static void shim_completion_take(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done--;
}

void wait_for_completion(struct completion *x)
{
	while (!x->done)
		smmusim_host_block("wait_for_completion");
	shim_completion_take(x);
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	unsigned long long left = jiffies_to_nsecs(timeout);

	while (!x->done) {
		if (!left)
			return 0;
		left = smmusim_host_block_timeout_ns(left, "wait_for_completion");
	}
	shim_completion_take(x);
	return max(1ul, (unsigned long)(left / (NSEC_PER_SEC / HZ)));
}
