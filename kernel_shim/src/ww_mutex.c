// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: wound/wait mutexes (kernel/locking/ww_mutex.h),
 * which dma_resv_lock() takes: the iommufd selftest's dma-buf paths.
 *
 * CUSTOMISED:
 *   ww_mutex_lock, ww_mutex_lock_interruptible, ww_mutex_unlock   the base
 *                      mutex (locking.c). One CPU and callers that hold one
 *                      ww_mutex at a time: the wound/wait back-off never
 *                      has a second acquisition context to order against,
 *                      so an acquire context is only counted; locking the
 *                      same mutex twice in one context is -EALREADY, as
 *                      the kernel's
 * Does not: -EDEADLK back-off between contexts (a second context holding a
 *   ww_mutex of the same class is a WARN).
 */
#include <linux/ww_mutex.h>

#include "shim.h"

static int shim_ww_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (ctx && lock->ctx == ctx)
		return -EALREADY;
	mutex_lock(&lock->base);
	lock->ctx = ctx;
	if (ctx)
		ctx->acquired++;
	return 0;
}

int ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	return shim_ww_lock(lock, ctx);
}

int ww_mutex_lock_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	return shim_ww_lock(lock, ctx);
}

void ww_mutex_unlock(struct ww_mutex *lock)
{
	if (lock->ctx)
		lock->ctx->acquired--;
	lock->ctx = NULL;
	mutex_unlock(&lock->base);
}
