// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the simulated task's files under /proc
 * (fs/proc/base.c), only in the iommufd selftest's kernel build: today
 * fail-nth (CONFIG_FAULT_INJECTION), which
 * tools/testing/selftests/iommu/iommufd_fail_nth.c drives.
 *
 * The simulated process has one task, `current` (process.c); its user space
 * is the host process, so user space numbers the task with the host
 * process's pid (`self_tid`, from the caller).  The paths
 *   /proc/self/NAME, /proc/thread-self/NAME, /proc/<tid>/NAME,
 *   /proc/self/task/<tid>/NAME, /proc/<tid>/task/<tid>/NAME
 * name its file NAME; another number is -ENOENT, as a process that does not
 * exist.  smmusim_procfs_has() tells the simulated process's system calls
 * which /proc paths are the simulated kernel's (the others are the host's).
 *
 * CUSTOMISED, with fs/proc/base.c's semantics:
 *   fail-nth  a read gives the task's fail_nth as "%u\n" (the count left
 *             before the injected failure; 0 once it happened or when off);
 *             a write parses an unsigned number in any base
 *             (kstrtouint_from_user) and sets it, consuming the whole count
 *   smmusim_fail_nth_stats  how many writes armed fail-nth (a nonzero
 *             count) and how many of those counts were used up (the
 *             failure injected) by the next write: the sweep's figures
 * Not provided: every other /proc file.
 */
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <smmusim/fs_calls.h>
#include "shim.h"

static ssize_t shim_fail_nth_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct task_struct *task = file->private_data;
	char num[16];
	int len = snprintf(num, sizeof(num), "%u\n", task->fail_nth);

	return simple_read_from_buffer(buf, count, ppos, num, len);
}

/* What fail-nth was used for (smmusim_fail_nth_stats). */
static struct {
	unsigned int armed, injected;
	bool pending;	/* the last write armed it */
} shim_fail_nth_use;

static ssize_t shim_fail_nth_write(struct file *file, const char __user *buf, size_t count,
				   loff_t *ppos)
{
	struct task_struct *task = file->private_data;
	unsigned int n;
	int err = kstrtouint_from_user(buf, count, 0, &n);

	if (err)
		return err;
	/* An armed count used up: the failure was injected. */
	if (shim_fail_nth_use.pending && !task->fail_nth)
		shim_fail_nth_use.injected++;
	shim_fail_nth_use.pending = n != 0;
	shim_fail_nth_use.armed += n != 0;
	task->fail_nth = n;
	return count;
}

void smmusim_fail_nth_stats(unsigned int *armed, unsigned int *injected)
{
	*armed = shim_fail_nth_use.armed;
	*injected = shim_fail_nth_use.injected;
}

static const struct file_operations shim_proc_fail_nth = {
	.read = shim_fail_nth_read,
	.write = shim_fail_nth_write,
};

static const struct {
	const char *name;
	const struct file_operations *fops;
} shim_proc_task_files[] = {
	{ "fail-nth", &shim_proc_fail_nth },
};

/* Skips "<component>/" at *path if it is `want` or the number self_tid. */
static bool shim_proc_self(const char **path, const char *want, int self_tid)
{
	size_t len = strcspn(*path, "/");
	char num[16];

	snprintf(num, sizeof(num), "%d", self_tid);
	if (!(*path)[len] || !((want && strlen(want) == len && !memcmp(*path, want, len)) ||
			       (strlen(num) == len && !memcmp(*path, num, len))))
		return false;
	*path += len + 1;
	return true;
}

/* The index of the task file `path` names (what follows "/proc/"), or -1. */
static int shim_proc_lookup(const char *path, int self_tid)
{
	size_t i;

	if (!strncmp(path, "thread-self/", 12)) {
		path += 12;
	} else if (shim_proc_self(&path, "self", self_tid)) {
		if (!strncmp(path, "task/", 5)) {
			path += 5;
			if (!shim_proc_self(&path, NULL, self_tid))
				return -1;
		}
	} else {
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(shim_proc_task_files); i++)
		if (!strcmp(path, shim_proc_task_files[i].name))
			return i;
	return -1;
}

int smmusim_procfs_has(const char *path, int self_tid)
{
	return shim_proc_lookup(path, self_tid) >= 0;
}

int smmusim_procfs_open(const char *path, int flags, int self_tid)
{
	int i = shim_proc_lookup(path, self_tid);

	if (i < 0)
		return -ENOENT;
	return smmusim_file_open_fd(shim_proc_task_files[i].fops, NULL, current, flags);
}
