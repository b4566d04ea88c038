// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: the simple attribute files of fs/libfs.c
 * (DEFINE_SIMPLE_ATTRIBUTE: a u64 read and written as text through a get
 * and a set function) and the helpers their readers use, for debugfs
 * (debugfs.c: lib/fault-inject.c's files and the typed ones), only in the
 * iommufd selftest's kernel build.
 *
 * CUSTOMISED, with fs/libfs.c's semantics:
 *   simple_attr_open      the attribute's state in private_data; the file
 *                         cannot seek (nonseekable_open)
 *   simple_attr_read      the value formatted on a read from offset 0 and
 *                         kept for the reads that continue it
 *   simple_attr_write(_signed)  at most 23 bytes, parsed in any base
 *                         (kstrtoull/kstrtoll: a trailing newline is
 *                         fine), then set; the whole count is consumed
 *   simple_attr_release   frees it
 *   simple_read_from_buffer  a read of a kernel buffer at *ppos
 *   generic_file_llseek   SEEK_SET/SEEK_CUR/SEEK_END within the file's size
 * Not provided: the lock-free debugfs_attr_* variants (nothing here
 * removes a file while it is open).
 */
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

struct simple_attr {
	int (*get)(void *, u64 *);
	int (*set)(void *, u64);
	char get_buf[24];
	char set_buf[24];
	void *data;
	const char *fmt;
	struct mutex mutex;
};

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from,
				size_t available)
{
	loff_t pos = *ppos;
	size_t left;

	if (pos < 0)
		return -EINVAL;
	if (pos >= available || !count)
		return 0;
	if (count > available - pos)
		count = available - pos;
	left = copy_to_user(to, from + pos, count);
	if (left == count)
		return -EFAULT;
	count -= left;
	*ppos = pos + count;
	return count;
}

int simple_attr_open(struct inode *inode, struct file *file, int (*get)(void *, u64 *),
		     int (*set)(void *, u64), const char *fmt)
{
	struct simple_attr *attr = kzalloc(sizeof(*attr), GFP_KERNEL);

	if (!attr)
		return -ENOMEM;
	attr->get = get;
	attr->set = set;
	attr->data = inode->i_private;
	attr->fmt = fmt;
	mutex_init(&attr->mutex);
	file->private_data = attr;
	return nonseekable_open(inode, file);
}

int simple_attr_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

ssize_t simple_attr_read(struct file *file, char __user *buf, size_t len, loff_t *ppos)
{
	struct simple_attr *attr = file->private_data;
	size_t size;
	u64 val;
	int ret;

	if (!attr->get)
		return -EACCES;
	mutex_lock(&attr->mutex);
	if (*ppos && attr->get_buf[0]) {
		size = strlen(attr->get_buf);	/* a read continued */
	} else {
		ret = attr->get(attr->data, &val);
		if (ret) {
			mutex_unlock(&attr->mutex);
			return ret;
		}
		size = scnprintf(attr->get_buf, sizeof(attr->get_buf), attr->fmt,
				 (unsigned long long)val);
	}
	ret = simple_read_from_buffer(buf, len, ppos, attr->get_buf, size);
	mutex_unlock(&attr->mutex);
	return ret;
}

static ssize_t shim_attr_write(struct file *file, const char __user *buf, size_t len, bool is_signed)
{
	struct simple_attr *attr = file->private_data;
	size_t size = min(sizeof(attr->set_buf) - 1, len);
	u64 val;
	int ret;

	if (!attr->set)
		return -EACCES;
	mutex_lock(&attr->mutex);
	ret = -EFAULT;
	if (copy_from_user(attr->set_buf, buf, size))
		goto out;
	attr->set_buf[size] = '\0';
	ret = is_signed ? kstrtoll(attr->set_buf, 0, (s64 *)&val) : kstrtoull(attr->set_buf, 0, &val);
	if (!ret)
		ret = attr->set(attr->data, val);
	if (!ret)
		ret = len;
out:
	mutex_unlock(&attr->mutex);
	return ret;
}

ssize_t simple_attr_write(struct file *file, const char __user *buf, size_t len, loff_t *ppos)
{
	return shim_attr_write(file, buf, len, false);
}

ssize_t simple_attr_write_signed(struct file *file, const char __user *buf, size_t len,
				 loff_t *ppos)
{
	return shim_attr_write(file, buf, len, true);
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t size = file->f_inode ? i_size_read(file->f_inode) : 0;

	switch (whence) {
	case SEEK_CUR:
		offset += file->f_pos;
		break;
	case SEEK_END:
		offset += size;
		break;
	case SEEK_SET:
		break;
	default:
		return -EINVAL;
	}
	if (offset < 0)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}
