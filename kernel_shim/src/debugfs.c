// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: debugfs (fs/debugfs/), only in the iommufd selftest's
 * kernel build (CONFIG_FAULT_INJECTION_DEBUG_FS): the directories and files
 * kernel code creates, which the simulated process opens under
 * /sys/kernel/debug (path_open.c), reads, writes and lists.  Its users are
 * the fault attributes (lib/fault-inject.c's fault_create_debugfs_attr():
 * fail_iommufd of the mock driver, failslab and fail_page_alloc of
 * fail_alloc.c), which tools/testing/selftests/iommu/iommufd_fail_nth.c
 * configures.
 *
 * CUSTOMISED:
 *   debugfs_create_dir, debugfs_create_file_full  a node in a tree of
 *                   names (NULL parent: the root; a name taken: -EEXIST, as
 *                   debugfs refuses it), its inode carrying the data
 *                   (i_private) and the file operations (i_fop) the open
 *                   calls, as debugfs hands them to the creator's fops
 *   debugfs_create_bool   reads "Y\n"/"N\n", writes kstrtobool_from_user()
 *   debugfs_create_u32, _ulong, _atomic_t  simple attribute files
 *                   (libfs.c) formatted "%llu\n" ("%lld\n" for atomic_t)
 *   debugfs_remove  the node and everything below it (the kernel's
 *                   debugfs_remove_recursive is the same function)
 *   smmusim_debugfs_open, smmusim_debugfs_readdir  the lookup and the
 *                   listing behind path_open.c's system calls
 *   lockref_get     counts a reference (lib/lockref.c's contract; one
 *                   CPU, no lock needed): Linux 7.2's lib/fault-inject.c
 *                   takes one on its directory with dget(); nodes are
 *                   freed by debugfs_remove, not by the count
 * Not provided: the remaining typed files, symlinks, automounts, blobs,
 * regsets; the removal protection of open files (debugfs_file_get: nothing
 * removes a file that is open here); permissions (the process is root).
 * In a build without fault injection's debugfs files, iommu_sysfs.c keeps
 * its stubs instead.
 */
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kstrtox.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <smmusim/fs_calls.h>
#include "shim.h"

struct shim_debugfs_node {
	struct dentry dentry;	/* what the creator holds */
	struct inode inode;	/* i_mode, i_private, i_fop */
	struct shim_debugfs_node *parent;
	struct list_head sibling;
	struct list_head children;
	char name[NAME_MAX + 1];
};

static LIST_HEAD(shim_debugfs_root);

static struct shim_debugfs_node *shim_node(struct dentry *d)
{
	return d ? container_of(d, struct shim_debugfs_node, dentry) : NULL;
}

static struct list_head *shim_children(struct shim_debugfs_node *dir)
{
	return dir ? &dir->children : &shim_debugfs_root;
}

static struct shim_debugfs_node *shim_child(struct shim_debugfs_node *dir, const char *name,
					    size_t len)
{
	struct shim_debugfs_node *n;

	list_for_each_entry(n, shim_children(dir), sibling)
		if (strlen(n->name) == len && !memcmp(n->name, name, len))
			return n;
	return NULL;
}

static struct dentry *shim_create(const char *name, umode_t mode, struct dentry *parent,
				  void *data, const struct file_operations *fops)
{
	struct shim_debugfs_node *dir = shim_node(parent), *n;

	if (IS_ERR(parent))
		return parent;
	if (dir && !S_ISDIR(dir->inode.i_mode))
		return ERR_PTR(-ENOTDIR);
	if (strlen(name) > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if (shim_child(dir, name, strlen(name))) {
		pr_err("debugfs: '%s' already exists in '%s'\n", name, dir ? dir->name : "/");
		return ERR_PTR(-EEXIST);
	}
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return ERR_PTR(-ENOMEM);
	strscpy(n->name, name, sizeof(n->name));
	n->inode.i_mode = (mode & S_IFMT) ? mode : (mode | S_IFREG);
	n->inode.i_private = data;
	n->inode.i_fop = fops;
	n->dentry.d_inode = &n->inode;
	n->parent = dir;
	INIT_LIST_HEAD(&n->children);
	list_add_tail(&n->sibling, shim_children(dir));
	return &n->dentry;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return shim_create(name, S_IFDIR | 0755, parent, NULL, NULL);
}

struct dentry *debugfs_create_file_full(const char *name, umode_t mode, struct dentry *parent,
					void *data, const void *aux,
					const struct file_operations *fops)
{
	return shim_create(name, mode, parent, data, fops);
}

static void shim_remove(struct shim_debugfs_node *n)
{
	struct shim_debugfs_node *c, *tmp;

	list_for_each_entry_safe(c, tmp, &n->children, sibling)
		shim_remove(c);
	list_del(&n->sibling);
	kfree(n);
}

void debugfs_remove(struct dentry *dentry)
{
	if (!IS_ERR_OR_NULL(dentry))
		shim_remove(shim_node(dentry));
}

/* ---- typed files ---- */

static ssize_t shim_bool_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	bool *value = file->f_inode->i_private;
	char text[2] = { *value ? 'Y' : 'N', '\n' };

	return simple_read_from_buffer(buf, count, ppos, text, sizeof(text));
}

static ssize_t shim_bool_write(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	bool *value = file->f_inode->i_private;
	bool v;
	int ret = kstrtobool_from_user(buf, count, &v);

	if (ret)
		return ret;
	*value = v;
	return count;
}

static const struct file_operations shim_fops_bool = {
	.read = shim_bool_read,
	.write = shim_bool_write,
};

void debugfs_create_bool(const char *name, umode_t mode, struct dentry *parent, bool *value)
{
	shim_create(name, mode, parent, value, &shim_fops_bool);
}

static int shim_u32_get(void *data, u64 *val)
{
	*val = *(u32 *)data;
	return 0;
}

static int shim_u32_set(void *data, u64 val)
{
	*(u32 *)data = val;
	return 0;
}
DEFINE_SIMPLE_ATTRIBUTE(shim_fops_u32, shim_u32_get, shim_u32_set, "%llu\n");

static int shim_ulong_get(void *data, u64 *val)
{
	*val = *(unsigned long *)data;
	return 0;
}

static int shim_ulong_set(void *data, u64 val)
{
	*(unsigned long *)data = val;
	return 0;
}
DEFINE_SIMPLE_ATTRIBUTE(shim_fops_ulong, shim_ulong_get, shim_ulong_set, "%llu\n");

static int shim_atomic_t_get(void *data, u64 *val)
{
	*val = atomic_read((atomic_t *)data);
	return 0;
}

static int shim_atomic_t_set(void *data, u64 val)
{
	atomic_set((atomic_t *)data, val);
	return 0;
}
DEFINE_SIMPLE_ATTRIBUTE_SIGNED(shim_fops_atomic_t, shim_atomic_t_get, shim_atomic_t_set, "%lld\n");

void debugfs_create_u32(const char *name, umode_t mode, struct dentry *parent, u32 *value)
{
	shim_create(name, mode, parent, value, &shim_fops_u32);
}

void debugfs_create_ulong(const char *name, umode_t mode, struct dentry *parent,
			  unsigned long *value)
{
	shim_create(name, mode, parent, value, &shim_fops_ulong);
}

void debugfs_create_atomic_t(const char *name, umode_t mode, struct dentry *parent,
			     atomic_t *value)
{
	shim_create(name, mode, parent, value, &shim_fops_atomic_t);
}

/* ---- the simulated process's view (path_open.c) ---- */

/* A directory opened: reading it is -EISDIR (generic_read_dir). */
static ssize_t shim_dir_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	return -EISDIR;
}

static const struct file_operations shim_fops_dir = {
	.read = shim_dir_read,
};

/* The node `path` names below `dir` (NULL: the root), or NULL. */
static struct shim_debugfs_node *shim_lookup(struct shim_debugfs_node *dir, const char *path,
					     bool *found)
{
	while (*path) {
		size_t len = strcspn(path, "/");

		if (len == 2 && !memcmp(path, "..", 2)) {
			dir = dir ? dir->parent : NULL;
		} else if (len && !(len == 1 && path[0] == '.')) {
			if (dir && !S_ISDIR(dir->inode.i_mode))
				return *found = false, NULL;
			dir = shim_child(dir, path, len);
			if (!dir)
				return *found = false, NULL;
		}
		path += len;
		path += strspn(path, "/");
	}
	*found = true;
	return dir;
}

/* The directory open as `dfd` (NULL: the root): 0, -EBADF or -ENOTDIR. */
static int shim_dir_of(int dfd, struct shim_debugfs_node **dir)
{
	struct file *f = fget(dfd);
	int ret = -EBADF;

	if (f) {
		ret = f->f_op == &shim_fops_dir ? 0 : -ENOTDIR;
		*dir = f->private_data;
		fput(f);
	}
	return ret;
}

int smmusim_debugfs_open(int dfd, const char *path, int flags)
{
	struct shim_debugfs_node *dir = NULL, *n;
	bool found;
	int ret = dfd >= 0 ? shim_dir_of(dfd, &dir) : 0;

	if (ret)
		return ret;
	n = shim_lookup(dir, path, &found);
	if (!found)
		return -ENOENT;
	if (!n || S_ISDIR(n->inode.i_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		return smmusim_file_open_fd(&shim_fops_dir, n ? &n->inode : NULL, n, flags);
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	return smmusim_file_open_fd(n->inode.i_fop, &n->inode, NULL, flags);
}

int smmusim_debugfs_readdir(int dfd, long pos, char *name, unsigned long size, int *is_dir)
{
	struct shim_debugfs_node *dir, *n;
	int ret = shim_dir_of(dfd, &dir);

	if (ret)
		return ret;
	if (pos < 2) {
		strscpy(name, pos ? ".." : ".", size);
		*is_dir = 1;
		return 1;
	}
	pos -= 2;
	list_for_each_entry(n, shim_children(dir), sibling) {
		if (pos--)
			continue;
		strscpy(name, n->name, size);
		*is_dir = S_ISDIR(n->inode.i_mode);
		return 1;
	}
	return 0;
}

/* dget()'s reference (Linux 7.2's fault_create_debugfs_attr keeps one on
 * its directory). */
void lockref_get(struct lockref *lockref)
{
	lockref->count++;
}
