// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: workqueues (kernel/workqueue.c) as far as
 * drivers/iommu/io-pgfault.c uses them in the iommufd selftest's kernel
 * build: iopf_queue_alloc() allocates a workqueue for the queue,
 * iopf_queue_flush_dev() flushes it and iopf_queue_free() destroys it.
 *
 * Work is queued on an I/O page-fault queue only by the SVA fault handler
 * (iommu-sva.c, not compiled); iommufd's handler (eventq.c) delivers a
 * fault group to its fault object directly.  So no work is ever queued:
 * queue_work_on() is not provided, and a caller would fail to link rather
 * than lose its work.
 *
 * CUSTOMISED:
 *   alloc_workqueue_noprof  a named, empty workqueue (kzalloc)
 *   __flush_workqueue       returns at once: nothing can be pending
 *   destroy_workqueue       frees it
 * Does not: run work, workers, max_active, ordering, lockdep maps.
 */
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "shim.h"

/* kernel/workqueue.c's own structure is private to it; this is the shim's
 * (its name as long as that file's WQ_NAME_LEN). */
struct workqueue_struct {
	char name[32];
	unsigned int flags;
};

struct workqueue_struct *alloc_workqueue_noprof(const char *fmt, unsigned int flags,
						int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	if (!wq)
		return NULL;
	va_start(ap, max_active);
	vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	wq->flags = flags;
	return wq;
}

void __flush_workqueue(struct workqueue_struct *wq)
{
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	kfree(wq);
}
