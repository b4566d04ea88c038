// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the simulated process's system calls on files of the
 * pseudo file systems by path (fs/open.c, fs/read_write.c, fs/readdir.c),
 * only in the iommufd selftest's kernel build: openat() of a debugfs path
 * (/sys/kernel/debug/..., debugfs.c) or of the task's /proc files
 * (procfs.c), pread()/pwrite() with the VFS's checks (write() is
 * file.c's), and a
 * directory's entries one at a time (what getdents() returns).
 *
 * CUSTOMISED:
 *   smmusim_sys_openat   absolute paths in those file systems, or a path
 *                        relative to an open debugfs directory; O_DIRECTORY
 *                        of a file is -ENOTDIR, a directory opened for
 *                        writing -EISDIR
 *   smmusim_sys_pread/pwrite  at `pos`; -ESPIPE on a file that cannot seek
 *                        (FMODE_PREAD/FMODE_PWRITE), -EINVAL for pos < 0
 *   every call: -EBADF without the descriptor or the access mode, -EINVAL
 *                        when the file has no such operation
 * Not provided: any other file system; relative paths from the working
 * directory (the simulated process has none of its own).
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/string.h>

#include <smmusim/fs_calls.h>
#include "shim.h"

#define SHIM_DEBUGFS "/sys/kernel/debug"

/* Below SHIM_DEBUGFS (the rest of the path), or NULL. */
static const char *shim_debugfs_path(const char *path)
{
	size_t len = strlen(SHIM_DEBUGFS);

	if (strncmp(path, SHIM_DEBUGFS, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path + len;
}

int smmusim_path_simulated(const char *path, int self_tid)
{
	return shim_debugfs_path(path) ||
	       (!strncmp(path, "/proc/", 6) && smmusim_procfs_has(path + 6, self_tid));
}

int smmusim_sys_openat(int dfd, const char *path, int flags, int self_tid)
{
	const char *rest = shim_debugfs_path(path);

	if (rest)
		return smmusim_debugfs_open(-1, rest, flags);
	if (!strncmp(path, "/proc/", 6))
		return smmusim_procfs_open(path + 6, flags, self_tid);
	if (path[0] == '/')
		return -ENOENT;
	if (dfd < 0)
		return -EBADF;
	return smmusim_debugfs_open(dfd, path, flags);
}

/* The file of `fd` if it was opened with `mode` (FMODE_READ/WRITE). */
static struct file *shim_fget_mode(int fd, fmode_t mode, long *err)
{
	struct file *f = fget(fd);

	*err = -EBADF;
	if (f && !(f->f_mode & mode)) {
		fput(f);
		return NULL;
	}
	return f;
}

long smmusim_sys_pread(int fd, void *buf, unsigned long count, long long pos)
{
	long ret;
	struct file *f = shim_fget_mode(fd, FMODE_READ, &ret);
	loff_t p = pos;

	if (!f)
		return ret;
	if (pos < 0)
		ret = -EINVAL;
	else if (!(f->f_mode & FMODE_PREAD))
		ret = -ESPIPE;
	else
		ret = f->f_op->read ? f->f_op->read(f, (char __user *)buf, count, &p) : -EINVAL;
	fput(f);
	return ret;
}

long smmusim_sys_pwrite(int fd, const void *buf, unsigned long count, long long pos)
{
	long ret;
	struct file *f = shim_fget_mode(fd, FMODE_WRITE, &ret);
	loff_t p = pos;

	if (!f)
		return ret;
	if (pos < 0)
		ret = -EINVAL;
	else if (!(f->f_mode & FMODE_PWRITE))
		ret = -ESPIPE;
	else
		ret = f->f_op->write ? f->f_op->write(f, (const char __user *)buf, count, &p) : -EINVAL;
	fput(f);
	return ret;
}

int smmusim_sys_readdir(int fd, long pos, char *name, unsigned long size, int *is_dir)
{
	return smmusim_debugfs_readdir(fd, pos, name, size, is_dir);
}
