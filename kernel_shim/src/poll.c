// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the poll() system call of the simulated process
 * (fs/select.c's contract), through each file's ->poll (iommufd's fault
 * and vEVENTQ files).
 *
 * CUSTOMISED: a caller with nothing ready sleeps in simulated time until
 *   any wake-up or its timeout, then asks every file again (the shim's
 *   __wake_up() wakes every sleeper, so the poll table registers no wait
 *   queue entry: poll_wait() is a no-op); no signals, so never -EINTR.
 * Does not: select/ppoll/epoll, POLLPRI sources, restart blocks.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <smmusim/kernel.h>
#include "shim.h"

/* The RLIMIT_NOFILE soft limit of a process (INR_OPEN_CUR). */
#define SHIM_POLL_MAX_FDS 1024

/* do_pollfd(): a descriptor's ready events; an unused one is 0, a closed one
 * POLLNVAL. */
static __poll_t shim_pollfd(struct pollfd *pfd, poll_table *pt)
{
	__poll_t mask = 0;
	struct file *f;

	if (pfd->fd < 0)
		return 0;
	f = fget(pfd->fd);
	if (!f)
		return EPOLLNVAL;
	mask = vfs_poll(f, pt);
	fput(f);
	return mask & (demangle_poll(pfd->events) | EPOLLERR | EPOLLHUP);
}

/* One pass over the descriptors: how many have an event. */
static int shim_poll_pass(struct pollfd *fds, unsigned int nfds)
{
	poll_table pt;
	unsigned int i;
	int count = 0;

	init_poll_funcptr(&pt, NULL);
	for (i = 0; i < nfds; i++) {
		__poll_t mask = shim_pollfd(&fds[i], &pt);

		fds[i].revents = mangle_poll(mask);
		if (mask)
			count++;
	}
	return count;
}

/* do_poll(): until an event, or the timeout (ms; negative: none) ran out. */
static int shim_do_poll(struct pollfd *fds, unsigned int nfds, int timeout_ms)
{
	unsigned long long left = timeout_ms > 0 ? (unsigned long long)timeout_ms * NSEC_PER_MSEC : 0;
	bool timed_out = timeout_ms == 0;
	int count;

	for (;;) {
		count = shim_poll_pass(fds, nfds);
		if (count || timed_out)
			return count;
		if (timeout_ms < 0) {
			smmusim_host_block("poll");
			continue;
		}
		left = smmusim_host_block_timeout_ns(left, "poll");
		timed_out = !left;
	}
}

int smmusim_sys_poll(void *ufds, unsigned int nfds, int timeout_ms)
{
	struct pollfd *fds;
	int ret;

	if (nfds > SHIM_POLL_MAX_FDS)
		return -EINVAL;
	fds = kmalloc_array(nfds ? nfds : 1, sizeof(*fds), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, (void __user *)ufds, nfds * sizeof(*fds))) {
		kfree(fds);
		return -EFAULT;
	}
	ret = shim_do_poll(fds, nfds, timeout_ms);
	if (copy_to_user((void __user *)ufds, fds, nfds * sizeof(*fds)))
		ret = -EFAULT;
	kfree(fds);
	return ret;
}
