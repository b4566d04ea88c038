// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: completions (kernel/sched/completion.c) and the
 * simple wait queue head they contain (kernel/sched/swait.c's
 * __init_swait_queue_head), for kthread.c, lib/kunit/try-catch.c and the
 * iommufd selftest's mock IOMMU (it waits, at module exit, for its last user).
 *
 * CUSTOMISED:
 *   complete/complete_all    count a completion (complete_all: for good)
 *                            and wake every sleeper
 *   wait_for_completion,     block until done is non-zero (re-checked after
 *   _timeout                 each wake-up, as the kernel's loop), then take
 *                            one; _timeout gives up after its jiffies of
 *                            simulated time and returns 0, else the jiffies
 *                            left (at least 1)
 * The swait list is not used: the host wakes every blocked context, and
 * each re-checks its own condition (as sched.c's wait queues).
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

static void take(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done--;
}

void wait_for_completion(struct completion *x)
{
	while (!READ_ONCE(x->done))
		smmusim_host_block("wait_for_completion");
	take(x);
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	unsigned long long left = jiffies_to_nsecs(timeout);

	while (!READ_ONCE(x->done)) {
		if (!left)
			return 0;
		left = smmusim_host_block_timeout_ns(left, "wait_for_completion_timeout");
	}
	take(x);
	/* As the kernel: at least 1 when it completed in time. */
	return max(1ul, (unsigned long)(left / (NSEC_PER_SEC / HZ)));
}
