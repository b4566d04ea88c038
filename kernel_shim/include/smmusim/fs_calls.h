/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The simulated process's file system calls beyond /dev/iommu
 * (smmusim/kernel.h has open/ioctl/read/close/mmap of a misc device): files
 * opened by path in the pseudo file systems the shim models (debugfs under
 * /sys/kernel/debug, the task's /proc files), positioned reads and writes,
 * writes, and directory listings.  Each returns what the system call does
 * in the kernel: a value, or a negative errno.  Called on a simulated CPU
 * (KernelShim::run).  These paths exist only in a kernel that has the files
 * (the iommufd selftest's: debugfs.c, procfs.c); elsewhere they are
 * -ENOENT.
 */
#ifndef SMMUSIM_FS_CALLS_H
#define SMMUSIM_FS_CALLS_H

#ifdef __cplusplus
extern "C" {
#endif

struct file_operations;
struct inode;

/* file.c: a new file with these operations on `inode` (NULL: the anonymous
 * inode), private_data `priv`, opened (f_op->open) and installed: its
 * descriptor. */
int smmusim_file_open_fd(const struct file_operations *fops, struct inode *inode, void *priv,
			 int flags);

/* path_open.c.  `self_tid` is the simulated process's task as its user
 * space numbers it (getpid() there: /proc/self/task/<self_tid>/...). */
/* 1 if `path` (absolute) is in a pseudo file system of the simulated
 * kernel: below /sys/kernel/debug, or one of the task's /proc files. */
int smmusim_path_simulated(const char *path, int self_tid);
/* openat(dfd, path, flags): an absolute path, or one relative to a
 * simulated directory descriptor (dfd < 0 with a relative path: -EBADF). */
int smmusim_sys_openat(int dfd, const char *path, int flags, int self_tid);
long smmusim_sys_write(int fd, const void *buf, unsigned long count);
long smmusim_sys_pread(int fd, void *buf, unsigned long count, long long pos);
long smmusim_sys_pwrite(int fd, const void *buf, unsigned long count, long long pos);
/* The directory entry at position `pos` (0 "." and 1 ".." first): 1 with
 * its name and whether it is a directory, 0 past the last. */
int smmusim_sys_readdir(int fd, long pos, char *name, unsigned long size, int *is_dir);

/* debugfs.c: a path below /sys/kernel/debug (dfd < 0: from its root, else
 * from that open debugfs directory), opened; and a directory's entries. */
int smmusim_debugfs_open(int dfd, const char *path, int flags);
int smmusim_debugfs_readdir(int dfd, long pos, char *name, unsigned long size, int *is_dir);

/* procfs.c: a file of the simulated task under /proc (`path` is what
 * follows "/proc/"): whether it exists; opened. */
int smmusim_procfs_has(const char *path, int self_tid);
int smmusim_procfs_open(const char *path, int flags, int self_tid);
/* Writes of fail-nth that armed it (a nonzero count), and how many of those
 * counts the fault points used up (a failure injected) before the next
 * write. */
void smmusim_fail_nth_stats(unsigned int *armed, unsigned int *injected);

#ifdef __cplusplus
}
#endif

#endif /* SMMUSIM_FS_CALLS_H */
