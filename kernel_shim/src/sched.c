// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: time, waiting, locking, interrupts.
 *
 * The simulated machine has one CPU (CONFIG_SMP off) running kernel code in
 * SystemC threads ("contexts": the CPU thread that probes, and one per
 * requested interrupt).  Only one context runs at a time; a context gives up
 * the host CPU only inside the bridge's waits (MMIO, delays, sleeps, WFE,
 * a contended mutex), which save and restore the per-context preemption
 * count and interrupt flag below.
 *
 * CUSTOMISED:
 *   ktime_get()              simulated time (ns)
 *   udelay/ndelay            busy-wait: simulated time passes
 *   usleep_range/msleep      sleep: simulated time passes; sleeping in
 *                            atomic context is recorded as a failure
 *   cpu_relax / wfe          a short simulated wait / wait for the SMMU's
 *                            SEV (bridge)
 *   mutex                    owner = context; contended lockers block in
 *                            simulated time; sleeping while atomic fails
 *   request_threaded_irq     handler in an interrupt context when the
 *                            interrupt controller raises the line
 * STUBBED:
 *   preempt_schedule_thunk   never reached (no reschedule is ever
 *                            requested); returns at once
 *   ___ratelimit             never suppresses a message
 */
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/ratelimit.h>
#include <linux/jump_label.h>
#include <linux/hardirq.h>
#include <linux/slab.h>
#include <linux/rwsem.h>
#include <linux/wait.h>
#include <linux/sched.h>
#include <linux/rcupdate.h>
#include <linux/jiffies.h>

#include "shim.h"

/* ---- per-CPU state of the one simulated CPU ---------------------------- */

/* x86 keeps PREEMPT_NEED_RESCHED inverted in the count: set = no resched. */
/* Its type as asm/preempt.h declares it (int up to 7.2, unsigned long since). */
DEFINE_PER_CPU_CACHE_HOT(__typeof__(__preempt_count), __preempt_count) = INIT_PREEMPT_COUNT;

/* EFLAGS-format interrupt state (asm/irqflags.h shadow); starts disabled. */
unsigned long smmusim_irq_flags;

void smmusim_ctx_save(unsigned long *pc, unsigned long *flags)
{
	*pc = raw_cpu_read(__preempt_count);
	*flags = smmusim_irq_flags;
}

void smmusim_ctx_restore(unsigned long pc, unsigned long flags)
{
	raw_cpu_write(__preempt_count, pc);
	smmusim_irq_flags = flags;
}

void smmusim_ctx_init(unsigned long *pc, unsigned long *flags)
{
	*pc = PREEMPT_ENABLED;
	*flags = X86_EFLAGS_IF;
}

int smmusim_ctx_atomic(void)
{
	return preempt_count() != 0 || irqs_disabled();
}

void smmusim_irq_enter(void)
{
	preempt_count_add(HARDIRQ_OFFSET);
	local_irq_disable();
}

void smmusim_irq_exit(void)
{
	local_irq_enable();
	preempt_count_sub(HARDIRQ_OFFSET);
}

/*
 * x86 calls this (with a special calling convention that preserves every
 * register) when preempt_enable() finds a reschedule pending.  The shim
 * never requests one (PREEMPT_NEED_RESCHED stays set, i.e. "not needed"),
 * so it is unreachable; it must still exist for the link.  STUB.
 */
asm(".pushsection .text\n"
    ".globl preempt_schedule_thunk\n"
    ".type preempt_schedule_thunk, @function\n"
    "preempt_schedule_thunk:\n"
    "\tret\n"
    ".size preempt_schedule_thunk, . - preempt_schedule_thunk\n"
    ".popsection\n");

/* Static keys are plain variables (JUMP_LABEL off); they are usable now. */
bool static_key_initialized = true;

/* STUB: every message is printed. */
int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	return 1;
}

/* ---- time ----------------------------------------------------------------- */

ktime_t ktime_get(void)
{
	return (ktime_t)smmusim_host_now_ns();
}

void smmusim_cpu_relax(void);	/* bridge: asm/vdso/processor.h shadow */

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

/* ---- mutexes ------------------------------------------------------------- */

void mutex_init_generic(struct mutex *lock)
{
	atomic_long_set(&lock->owner, 0);
}

void mutex_lock(struct mutex *lock)
{
	unsigned long me = (unsigned long)smmusim_host_current();

	if (WARN(atomic_long_read(&lock->owner) == me, "mutex_lock: recursive locking of %p\n", lock))
		return;
	while (atomic_long_read(&lock->owner) != 0)
		smmusim_host_block("mutex_lock");
	atomic_long_set(&lock->owner, me);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	if (atomic_long_read(&lock->owner) != 0)
		return 0;
	atomic_long_set(&lock->owner, (unsigned long)smmusim_host_current());
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	WARN(atomic_long_read(&lock->owner) != (unsigned long)smmusim_host_current(),
	     "mutex_unlock: %p is not held by the current context\n", lock);
	atomic_long_set(&lock->owner, 0);
	smmusim_host_wake_all();
}

/* ---- interrupts -------------------------------------------------------- */

/* irq_default_primary_handler() of kernel/irq/manage.c: wake the thread. */
static irqreturn_t shim_default_primary(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long irqflags, const char *devname, void *dev_id)
{
	if (!handler && !thread_fn)
		return -EINVAL;
	if (!handler)
		handler = shim_default_primary;
	return smmusim_host_request_irq(irq, (smmusim_irq_fn)handler, (smmusim_irq_fn)thread_fn,
					dev_id, devname);
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	smmusim_host_free_irq(irq, dev_id);
	return NULL;
}

void synchronize_irq(unsigned int irq)
{
	smmusim_host_synchronize_irq(irq);
}

struct smmusim_irq_devres {
	unsigned int irq;
	void *dev_id;
};

static void devm_irq_release(void *p)
{
	struct smmusim_irq_devres *r = p;

	free_irq(r->irq, r->dev_id);
	kfree(r);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
			      irq_handler_t thread_fn, unsigned long irqflags,
			      const char *devname, void *dev_id)
{
	struct smmusim_irq_devres *r = kmalloc(sizeof(*r), GFP_KERNEL);
	int ret;

	if (!r)
		return -ENOMEM;
	if (!devname)
		devname = dev_name(dev);
	ret = request_threaded_irq(irq, handler, thread_fn, irqflags, devname, dev_id);
	if (ret) {
		kfree(r);
		return ret;
	}
	r->irq = irq;
	r->dev_id = dev_id;
	ret = __devm_add_action(dev, devm_irq_release, r, "devm_irq");
	if (ret)
		devm_irq_release(r);
	return ret;
}

/* ---- read-write semaphores -------------------------------------------------
 * CUSTOMISED: count > 0 is the number of readers, -1 a writer (whose context
 * is the owner).  A contended locker blocks in simulated time like a mutex.
 * Readers do not starve writers of anything the simulator can observe: with
 * one CPU, a blocked writer gets the lock as soon as the readers leave.
 */
void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	atomic_long_set(&sem->count, 0);
	atomic_long_set(&sem->owner, 0);
}

void down_read(struct rw_semaphore *sem)
{
	while (atomic_long_read(&sem->count) < 0) {
		WARN(atomic_long_read(&sem->owner) == (unsigned long)smmusim_host_current(),
		     "down_read: rwsem %p is write-held by the current context\n", sem);
		smmusim_host_block("down_read");
	}
	atomic_long_inc(&sem->count);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (atomic_long_read(&sem->count) < 0)
		return 0;
	atomic_long_inc(&sem->count);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	if (WARN(atomic_long_read(&sem->count) <= 0, "up_read: rwsem %p is not read-held\n", sem))
		return;
	if (atomic_long_dec_return(&sem->count) == 0)
		smmusim_host_wake_all();
}

void down_write(struct rw_semaphore *sem)
{
	unsigned long me = (unsigned long)smmusim_host_current();

	if (WARN(atomic_long_read(&sem->owner) == me, "down_write: recursive locking of %p\n", sem))
		return;
	while (atomic_long_read(&sem->count) != 0)
		smmusim_host_block("down_write");
	atomic_long_set(&sem->count, -1);
	atomic_long_set(&sem->owner, me);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	if (atomic_long_read(&sem->count) != 0)
		return 0;
	atomic_long_set(&sem->count, -1);
	atomic_long_set(&sem->owner, (unsigned long)smmusim_host_current());
	return 1;
}

void up_write(struct rw_semaphore *sem)
{
	WARN(atomic_long_read(&sem->owner) != (unsigned long)smmusim_host_current(),
	     "up_write: rwsem %p is not write-held by the current context\n", sem);
	atomic_long_set(&sem->owner, 0);
	atomic_long_set(&sem->count, 0);
	smmusim_host_wake_all();
}

void downgrade_write(struct rw_semaphore *sem)
{
	atomic_long_set(&sem->owner, 0);
	atomic_long_set(&sem->count, 1);
	smmusim_host_wake_all();
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

/* ---- RCU callbacks ---------------------------------------------------------
 * CUSTOMISED: call_rcu() queues; the bridge runs the queue once a grace
 * period has passed, which on this one-CPU machine is a moment when no
 * context is inside a non-preemptible section (the CPU reaching a sleep, or
 * the end of a CPU job).  kfree_rcu() is freed at once (see mm.c).
 */
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

int smmusim_ctx_is_atomic(unsigned long pc, unsigned long flags)
{
	return (pc & ~PREEMPT_NEED_RESCHED) != 0 || !(flags & X86_EFLAGS_IF);
}
