// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: sleeping locks (kernel/locking/mutex.c, rwsem.c).
 *
 * Provides mutexes (the drivers' and the iommu core's locks, iommufd's
 * object locks) and read-write semaphores (iommufd's IOAS and io_pagetable
 * locks, the simulated process's mmap_lock).  Spinlocks need nothing
 * here: on one CPU they reduce to preempt_disable() (cpu.c).
 *
 * CUSTOMISED:
 *   mutex   the owner is the context; a contended locker blocks in
 *           simulated time; recursive locking, or unlocking a mutex the
 *           context does not hold, is a WARN
 *   rwsem   a readers count or a writer owner; contended lockers block in
 *           simulated time like a mutex's
 * Every lock taken counts once for the CPU cost model (cpu.lock_cycles:
 * the acquire and its release, smmusim/cpu_cost.h).
 */
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/bug.h>

#include "shim.h"
#include "smmusim/cpu_cost.h"

void mutex_init_generic(struct mutex *lock)
{
	atomic_long_set(&lock->owner, 0);
}

/*
 * A writer's lock (a mutex, an rwsem's write side): waits, blocked in
 * simulated time, until `busy` is 0, then makes the current context the
 * owner.  Recursive locking is a WARN (reported in the caller: inlined),
 * and the lock is not taken.
 */
static __always_inline bool shim_lock_owner(atomic_long_t *owner, atomic_long_t *busy,
					    const char *what, const void *lock)
{
	unsigned long me = (unsigned long)smmusim_host_current();

	if (WARN(atomic_long_read(owner) == me, "%s: recursive locking of %p\n", what, lock))
		return false;
	while (atomic_long_read(busy) != 0)
		smmusim_host_block(what);
	atomic_long_set(owner, me);
	smmusim_cpu_event(SMMUSIM_CPU_LOCK, 1);
	return true;
}

void mutex_lock(struct mutex *lock)
{
	shim_lock_owner(&lock->owner, &lock->owner, "mutex_lock", lock);
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

/* The same without waiting: false when `busy` is not 0. */
static bool shim_trylock_owner(atomic_long_t *owner, atomic_long_t *busy)
{
	if (atomic_long_read(busy) != 0)
		return false;
	atomic_long_set(owner, (unsigned long)smmusim_host_current());
	smmusim_cpu_event(SMMUSIM_CPU_LOCK, 1);
	return true;
}

int mutex_trylock(struct mutex *lock)
{
	return shim_trylock_owner(&lock->owner, &lock->owner);
}

void mutex_unlock(struct mutex *lock)
{
	WARN(atomic_long_read(&lock->owner) != (unsigned long)smmusim_host_current(),
	     "mutex_unlock: %p is not held by the current context\n", lock);
	atomic_long_set(&lock->owner, 0);
	smmusim_host_wake_all();
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
	smmusim_cpu_event(SMMUSIM_CPU_LOCK, 1);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (atomic_long_read(&sem->count) < 0)
		return 0;
	atomic_long_inc(&sem->count);
	smmusim_cpu_event(SMMUSIM_CPU_LOCK, 1);
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
	if (shim_lock_owner(&sem->owner, &sem->count, "down_write", sem))
		atomic_long_set(&sem->count, -1);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	if (!shim_trylock_owner(&sem->owner, &sem->count))
		return 0;
	atomic_long_set(&sem->count, -1);
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
