// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: time and waiting (kernel/time, kernel/sched/wait.c,
 * schedule()).
 *
 * Provides ktime_get and the delays (udelay/ndelay) of arm-smmu-v3.c's
 * queue_poll(), the sleeps (usleep_range, msleep), wait queues (iommufd's
 * event queues and object destruction, eventq.c and main.c), schedule()
 * and schedule_timeout().  Every wait goes through the host side, which lets
 * simulated time pass.
 *
 * CUSTOMISED:
 *   ktime_get()              simulated time (ns)
 *   udelay/ndelay            busy-wait: simulated time passes
 *   usleep_range/msleep      sleep: simulated time passes; sleeping in
 *                            atomic context is recorded as a failure
 *   wait queues              a waiter blocks until any wake-up (or its
 *                            timeout) and then re-checks its condition
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/jiffies.h>

#include "shim.h"

ktime_t ktime_get(void)
{
	return (ktime_t)smmusim_host_now_ns();
}

/* x86 delay.h: udelay(n) = __const_udelay(n * 0x10c7), ndelay(n) = (n * 5);
 * 0x10c7 = 2^32 / 10^6 (rounded up), so xloops is microseconds * 2^32 / 10^6. */
void __const_udelay(unsigned long xloops)
{
	unsigned long long ns = (unsigned long long)(((unsigned __int128)xloops * 1000000000ull +
						      (1ull << 31)) >> 32);
	smmusim_host_spin_ns_from(ns ? ns : 1, __builtin_return_address(0));
}

void __udelay(unsigned long usecs)
{
	smmusim_host_spin_ns_from((unsigned long long)usecs * 1000, __builtin_return_address(0));
}

void __ndelay(unsigned long nsecs)
{
	smmusim_host_spin_ns_from(nsecs, __builtin_return_address(0));
}

void __delay(unsigned long loops)
{
	smmusim_host_spin_ns(loops);
}

/* Deterministic: always the minimum of the range (the timer is exact). */
void usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	smmusim_host_sleep_ns((unsigned long long)min * 1000, "usleep_range");
}

void msleep(unsigned int msecs)
{
	smmusim_host_sleep_ns((unsigned long long)msecs * 1000000, "msleep");
}

/* ---- wait queues -----------------------------------------------------------
 * CUSTOMISED: a waiter blocks until any wake-up (or its timeout) and then
 * re-checks its condition, as every wait_event*() loop does; so waking all
 * blocked contexts on each __wake_up() is correct, merely not selective.
 * The queue's list is kept as the kernel keeps it (entries are added by
 * prepare_to_wait_event() and removed by finish_wait()).
 */
void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
			   struct lock_class_key *key)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = smmusim_host_current();
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			   int state)
{
	if (list_empty(&wq_entry->entry))
		list_add_tail(&wq_entry->entry, &wq_head->head);
	return 0;	/* no signals in the simulated process */
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	if (!list_empty(&wq_entry->entry))
		list_del_init(&wq_entry->entry);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key)
{
	list_del_init(&wq_entry->entry);
	return 1;
}

int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key)
{
	smmusim_host_wake_all();
	return 0;
}

long schedule_timeout(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		smmusim_host_block("schedule_timeout");
		return timeout;
	}
	if (timeout <= 0)
		return 0;
	/* Returns the jiffies left when woken early, 0 when the time ran out. */
	return (long)(smmusim_host_block_timeout_ns(jiffies_to_nsecs(timeout), "schedule_timeout") /
		      (NSEC_PER_SEC / HZ));
}

void schedule(void)
{
	smmusim_host_block("schedule");
}
