// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: files, file descriptors, misc devices and mmap for
 * the simulated process.
 *
 * iommufd is a misc device (/dev/iommu) whose file operations are the whole
 * uAPI: open, ioctl, mmap, release; its event queues are anonymous-inode
 * files with read/write/poll.  The shim gives the simulated process a file
 * descriptor table and calls those file operations as the VFS would, so the
 * host side (and the tests, and the trace player) use iommufd through its own
 * entry points with the real uAPI structures.
 *
 * CUSTOMISED:
 *   misc_register/misc_deregister   a list of misc devices by name; "open"
 *                   makes a file whose private_data is the miscdevice and
 *                   calls its fops->open, as misc_open() does; each gets a
 *                   this_device named after it, as device_create() gives
 *                   one (iommufd_global_device(): the device iommufd
 *                   attaches to a dma-buf with), from a small static table
 *                   (no allocation: the simulated kernel heap is as before)
 *   get_unused_fd_flags/put_unused_fd/fd_install/fget   a 256-entry table
 *                   per simulated process (process.c), copied by fork
 *   fput/__fput_sync  the last reference calls f_op->release and frees the
 *                   file, synchronously (the kernel defers plain fput() to
 *                   task work; doing it at once is a stricter order)
 *   anon_inode_getfile   a file on a shared anonymous inode
 *   nonseekable_open     marks the file a stream
 *   smmusim_file_open_fd a file on given operations and inode, opened and
 *                   installed (a misc device's open; debugfs and /proc
 *                   files of the iommufd selftest's kernel, path_open.c)
 *   remap_pfn_range      records the PFN behind an mmap()ed range: the
 *                   host side maps it as what lies there (DRAM, the kernel's
 *                   own memory, or a device's registers, whose accesses
 *                   become MMIO)
 *   mmap of a file whose pages fault in (->fault, a shmem file): the host
 *                   side faults every page in at once (smmusim_vma_fault),
 *                   as MAP_POPULATE would, and maps the pages it is given
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/file_ref.h>
#include <linux/anon_inodes.h>
#include <linux/device.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <smmusim/fs_calls.h>
#include <smmusim/kernel.h>
#include "shim.h"

#define SHIM_NR_FDS SMMUSIM_NR_FDS
#define SHIM_FD_RESERVED ((struct file *)1)

/* The running process's table (process.c: one per simulated process). */
#define shim_fds (smmusim_current_fds())
static struct inode shim_anon_inode;
static LIST_HEAD(shim_misc_devices);

/* ---- reference counting (fs/file.c's contract for file_ref_put) ---- */

bool __file_ref_put(file_ref_t *ref, unsigned long cnt)
{
	/* The count went negative: the last reference is gone. */
	if (cnt == FILE_REF_NOREF) {
		atomic_long_set(&ref->refcnt, FILE_REF_DEAD);
		return true;
	}
	WARN_ONCE(cnt >= FILE_REF_RELEASED, "imbalanced put on file reference count");
	atomic_long_set(&ref->refcnt, FILE_REF_DEAD);
	return false;
}

struct file *shim_file_alloc(const struct file_operations *fops, void *priv, int flags)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENOMEM);
	file_ref_init(&f->f_ref, 1);
	f->f_op = fops;
	f->private_data = priv;
	f->f_flags = flags & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC);
	f->f_mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	if ((flags & O_ACCMODE) != O_WRONLY)
		f->f_mode |= FMODE_READ;
	if ((flags & O_ACCMODE) != O_RDONLY)
		f->f_mode |= FMODE_WRITE;
	f->f_inode = &shim_anon_inode;
	return f;
}

static void shim_fput_final(struct file *file)
{
	if (file->f_op && file->f_op->release)
		file->f_op->release(file->f_inode, file);
	kfree(file);
}

void fput(struct file *file)
{
	if (file && file_ref_put(&file->f_ref))
		shim_fput_final(file);
}

void __fput_sync(struct file *file)
{
	fput(file);
}

struct file *anon_inode_getfile(const char *name, const struct file_operations *fops, void *priv,
				int flags)
{
	return shim_file_alloc(fops, priv, flags);
}

int nonseekable_open(struct inode *inode, struct file *filp)
{
	filp->f_mode &= ~(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	filp->f_mode |= FMODE_STREAM;
	return 0;
}

/* ---- the descriptor table ---- */

int get_unused_fd_flags(unsigned int flags)
{
	int fd;

	for (fd = 3; fd < SHIM_NR_FDS; fd++) {
		if (!shim_fds[fd]) {
			shim_fds[fd] = SHIM_FD_RESERVED;
			return fd;
		}
	}
	return -EMFILE;
}

void put_unused_fd(unsigned int fd)
{
	if (fd < SHIM_NR_FDS && shim_fds[fd] == SHIM_FD_RESERVED)
		shim_fds[fd] = NULL;
}

void fd_install(unsigned int fd, struct file *file)
{
	if (WARN_ON(fd >= SHIM_NR_FDS || shim_fds[fd] != SHIM_FD_RESERVED))
		return;
	shim_fds[fd] = file;
}

static struct file *shim_fd_file(int fd)
{
	if (fd < 0 || fd >= SHIM_NR_FDS || shim_fds[fd] == SHIM_FD_RESERVED)
		return NULL;
	return shim_fds[fd];
}

struct file *fget(unsigned int fd)
{
	struct file *f = shim_fd_file(fd);

	return f ? get_file(f) : NULL;
}

/* fork(): the child's table is the parent's, each open file shared (one
 * reference more); a descriptor being opened stays the parent's. */
void smmusim_files_dup(struct file **to, struct file *const *from)
{
	int fd;

	for (fd = 0; fd < SHIM_NR_FDS; fd++)
		to[fd] = (from[fd] && from[fd] != SHIM_FD_RESERVED) ? get_file(from[fd]) : NULL;
}

/* exit_files(): every descriptor of the table closed. */
void smmusim_files_close(struct file **fds)
{
	int fd;

	for (fd = 0; fd < SHIM_NR_FDS; fd++) {
		struct file *f = fds[fd];

		fds[fd] = NULL;
		if (f && f != SHIM_FD_RESERVED)
			fput(f);
	}
}

/* ---- misc devices ---- */

#define SHIM_NR_MISC 4
static struct device shim_misc_dev[SHIM_NR_MISC];

int misc_register(struct miscdevice *misc)
{
	struct device *dev = NULL;
	int i;

	for (i = 0; i < SHIM_NR_MISC && !dev; i++)
		if (!shim_misc_dev[i].init_name)
			dev = &shim_misc_dev[i];
	if (WARN(!dev, "misc_register(%s): more than %d misc devices\n", misc->name, SHIM_NR_MISC))
		return -ENOMEM;
	memset(dev, 0, sizeof(*dev));
	dev->init_name = misc->name;
	dev->parent = misc->parent;
	dev_set_drvdata(dev, misc);
	misc->this_device = dev;
	INIT_LIST_HEAD(&misc->list);
	list_add_tail(&misc->list, &shim_misc_devices);
	return 0;
}

void misc_deregister(struct miscdevice *misc)
{
	list_del_init(&misc->list);
	if (misc->this_device)
		memset(misc->this_device, 0, sizeof(*misc->this_device));
	misc->this_device = NULL;
}

/* ---- mmap ---- */

struct shim_vma {
	struct vm_area_struct vma;
	unsigned long pfn;
	bool remapped;
};

int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot)
{
	struct shim_vma *sv = container_of(vma, struct shim_vma, vma);

	if (addr != vma->vm_start || size != vma->vm_end - vma->vm_start)
		return -EINVAL;	/* the shim maps whole VMAs only */
	sv->pfn = pfn;
	sv->remapped = true;
	return 0;
}

/* ---- the process's system calls, for the host side (smmusim/kernel.h) ---- */

int smmusim_file_open_fd(const struct file_operations *fops, struct inode *inode, void *priv,
			 int flags)
{
	struct file *f;
	int fd, ret;

	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	f = shim_file_alloc(fops, priv, flags);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	if (inode)
		f->f_inode = inode;
	ret = f->f_op && f->f_op->open ? f->f_op->open(f->f_inode, f) : 0;
	if (ret) {
		kfree(f);
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, f);
	return fd;
}

int smmusim_sys_open(const char *misc_name, int flags)
{
	struct miscdevice *misc;

	/* misc_open(): private_data is the miscdevice during ->open. */
	list_for_each_entry(misc, &shim_misc_devices, list)
		if (!strcmp(misc->name, misc_name))
			return smmusim_file_open_fd(misc->fops, NULL, misc, flags);
	return -ENOENT;
}

long smmusim_sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->unlocked_ioctl ? f->f_op->unlocked_ioctl(f, cmd, arg) : -ENOTTY;
	fput(f);
	/* As vfs_ioctl(): "no such command" reaches user space as ENOTTY. */
	return ret == -ENOIOCTLCMD ? -ENOTTY : ret;
}

long smmusim_sys_read(int fd, void *buf, unsigned long count)
{
	struct file *f = fget(fd);
	loff_t pos = 0;
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->read ? f->f_op->read(f, (char __user *)buf, count, &pos) : -EINVAL;
	fput(f);
	return ret;
}

/* write(fd, buf, count), as ksys_write(): a file opened for writing
 * (-EBADF otherwise), its f_op->write at the file position, which it
 * advances (a stream file has none; iommufd's fault object takes page
 * responses this way). */
long smmusim_sys_write(int fd, const void *buf, unsigned long count)
{
	struct file *f = fget(fd);
	loff_t pos;
	long ret;

	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_WRITE)) {
		fput(f);
		return -EBADF;
	}
	pos = f->f_pos;
	ret = f->f_op->write ? f->f_op->write(f, (const char __user *)buf, count,
					      (f->f_mode & FMODE_STREAM) ? NULL : &pos)
			     : -EINVAL;
	if (ret >= 0 && !(f->f_mode & FMODE_STREAM))
		f->f_pos = pos;
	fput(f);
	return ret;
}

int smmusim_sys_close(int fd)
{
	struct file *f = shim_fd_file(fd);

	if (!f)
		return -EBADF;
	shim_fds[fd] = NULL;
	fput(f);
	return 0;
}

/* do_mmap()'s access checks against the file's open mode. */
static int shim_mmap_access(struct file *f, int writable, int shared)
{
	if (!(f->f_mode & FMODE_READ))
		return -EACCES;
	if (shared && writable && !(f->f_mode & FMODE_WRITE))
		return -EACCES;
	return f->f_op->mmap ? 0 : -ENODEV;
}

static struct shim_vma *shim_vma_new(struct file *f, unsigned long where, unsigned long length,
				     int writable, int shared, unsigned long long offset)
{
	struct shim_vma *sv = kzalloc(sizeof(*sv), GFP_KERNEL);
	vm_flags_t flags = VM_READ | VM_MAYREAD | VM_MAYWRITE;

	if (!sv)
		return NULL;
	if (writable)
		flags |= VM_WRITE;
	if (shared)
		flags |= VM_SHARED | VM_MAYSHARE;
	sv->vma.vm_mm = current->mm;
	sv->vma.vm_start = where;
	sv->vma.vm_end = where + PAGE_ALIGN(length);
	sv->vma.vm_pgoff = offset >> PAGE_SHIFT;
	sv->vma.vm_file = f;	/* the mapping holds the file reference */
	vm_flags_init(&sv->vma, flags);
	return sv;
}

/*
 * mmap(NULL, length, prot, MAP_SHARED or not, fd, offset): builds the VMA
 * (vm_start is `where`, a host address range reserved by the host side) and
 * calls f_op->mmap.  On success *vma_out is the mapping (for munmap) and
 * *pa the physical address of its first page, or ~0ULL for a mapping whose
 * pages fault in (smmusim_vma_fault()).
 */
int smmusim_sys_mmap(int fd, unsigned long where, unsigned long length, int writable, int shared,
		     unsigned long long offset, void **vma_out, unsigned long long *pa)
{
	struct file *f = fget(fd);
	struct shim_vma *sv;
	int ret;

	if (!f)
		return -EBADF;
	ret = !length || offset & ~PAGE_MASK ? -EINVAL : shim_mmap_access(f, writable, shared);
	sv = ret ? NULL : shim_vma_new(f, where, length, writable, shared, offset);
	if (!ret && !sv)
		ret = -ENOMEM;
	if (!ret)
		ret = f->f_op->mmap(f, &sv->vma);
	if (!ret && !sv->remapped && !(sv->vma.vm_ops && sv->vma.vm_ops->fault))
		ret = -ENODEV;
	if (ret) {
		kfree(sv);
		fput(f);
		return ret;
	}
	*vma_out = sv;
	*pa = sv->remapped ? (unsigned long long)sv->pfn << PAGE_SHIFT : ~0ULL;
	return 0;
}

/* A page fault of the mapping at its page `index` (vm_ops->fault): the
 * page's PA, or -EFAULT where the access would be a SIGBUS (past the end
 * of the file), -ENOMEM. */
int smmusim_vma_fault(void *vma, unsigned long index, unsigned long long *pa)
{
	struct shim_vma *sv = vma;
	struct vm_fault vmf = {
		.vma = &sv->vma,
		.pgoff = sv->vma.vm_pgoff + index,
		.address = sv->vma.vm_start + index * PAGE_SIZE,
		.real_address = sv->vma.vm_start + index * PAGE_SIZE,
		.flags = (sv->vma.vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : 0,
	};
	vm_fault_t ret;

	if (!sv->vma.vm_ops || !sv->vma.vm_ops->fault)
		return -EFAULT;
	ret = sv->vma.vm_ops->fault(&vmf);
	if (ret & VM_FAULT_ERROR)
		return ret & VM_FAULT_OOM ? -ENOMEM : -EFAULT;
	*pa = (unsigned long long)page_to_pfn(vmf.page) << PAGE_SHIFT;
	/* The page table's reference is not kept: the page cache holds it. */
	put_page(vmf.page);
	return 0;
}

void smmusim_sys_munmap(void *vma)
{
	struct shim_vma *sv = vma;

	if (sv->vma.vm_ops && sv->vma.vm_ops->close)
		sv->vma.vm_ops->close(&sv->vma);
	fput(sv->vma.vm_file);
	kfree(sv);
}
