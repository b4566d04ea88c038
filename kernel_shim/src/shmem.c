// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: shmem files for the simulated process (mm/memfd.c's
 * memfd_create(), mm/shmem.c's page cache, fs/open.c's ftruncate()), the
 * file-backed memory IOMMU_IOAS_MAP_FILE maps (memfd_pin_folios() in
 * gup.c pins this page cache).
 *
 * A memfd is a file on an inode of its own whose page cache holds one
 * simulated DRAM frame per page: order-0 folios (shmem without huge pages,
 * as CONFIG_TRANSPARENT_HUGEPAGE off gives), frames of user memory's pool
 * (host/user_memory.h), zeroed, allocated when a page is first used (a
 * fault of a mapping, a pin) as shmem allocates on demand.  A mapping of
 * the file faults its pages in through ->fault, so the host side maps the
 * very frames the file holds and iommufd pins what the process sees.
 *
 * CUSTOMISED:
 *   smmusim_sys_memfd_create   mm/memfd.c's checks of the flags and of the
 *                   name's length; MFD_HUGETLB is -ENOSYS, what
 *                   hugetlb_file_setup() gives without CONFIG_HUGETLBFS;
 *                   MFD_ALLOW_SEALING/MFD_NOEXEC_SEAL/MFD_EXEC are taken,
 *                   but no seal is kept (there is no fcntl(F_ADD_SEALS))
 *   smmusim_sys_ftruncate      do_sys_ftruncate()'s checks (only a shmem
 *                   file is a regular file here); shrinking drops the
 *                   pages past the end, as shmem_setattr() does: they leave
 *                   every mapping, and a pinned one lives until its unpin
 *   shmem_mapping   a mapping of this file's kind (shmem_file())
 *   shim_shmem_get_folio   the page cache lookup, allocating a page within
 *                   i_size, as shmem_get_folio(SGP_CACHE): -EINVAL at or
 *                   past i_size, -ENOMEM when user memory's pool is full
 * Does not: read/write/lseek/fallocate of the file, seals, huge pages,
 * swap, accounting (the tmpfs size limit, memcg).
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <uapi/linux/memfd.h>

#include <smmusim/kernel.h>
#include "shim.h"

/* mm/memfd.c: a name is at most NAME_MAX less the "memfd:" prefix. */
#define SHIM_MFD_NAME_MAX_LEN (NAME_MAX - (sizeof("memfd:") - 1))
#define SHIM_MFD_ALL_FLAGS (MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC)

struct shim_shmem {
	struct inode inode;
	struct xarray pages;	/* page index -> struct page * */
};

static const struct address_space_operations shim_shmem_aops;

static struct shim_shmem *shim_shmem_of(struct file *file)
{
	return container_of(file_inode(file), struct shim_shmem, inode);
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping->a_ops == &shim_shmem_aops;
}

/* The page at `index`, allocated (zeroed) on first use. */
struct folio *shim_shmem_get_folio(struct file *file, pgoff_t index)
{
	struct shim_shmem *sh = shim_shmem_of(file);
	unsigned long long pa;
	struct page *page;

	if (((loff_t)index << PAGE_SHIFT) >= i_size_read(&sh->inode))
		return ERR_PTR(-EINVAL);
	page = xa_load(&sh->pages, index);
	if (page)
		return page_folio(page);
	pa = smmusim_host_user_frame_alloc();
	if (pa == ~0ULL)
		return ERR_PTR(-ENOMEM);
	page = pfn_to_page(pa >> PAGE_SHIFT);
	if (xa_is_err(xa_store(&sh->pages, index, page, GFP_KERNEL))) {
		smmusim_host_user_frame_free(pa);
		return ERR_PTR(-ENOMEM);
	}
	return page_folio(page);
}

/* Drops the pages from byte `size` on (and zeroes the tail of a partial last
 * page, as truncate_inode_pages_range() does). */
static void shim_shmem_truncate(struct shim_shmem *sh, loff_t size)
{
	pgoff_t first = DIV_ROUND_UP(size, PAGE_SIZE);
	struct page *page;
	unsigned long index;

	if (offset_in_page(size)) {
		page = xa_load(&sh->pages, size >> PAGE_SHIFT);
		if (page)
			memset(page_address(page) + offset_in_page(size), 0,
			       PAGE_SIZE - offset_in_page(size));
	}
	xa_for_each_start(&sh->pages, index, page, first) {
		xa_erase(&sh->pages, index);
		smmusim_host_user_frame_free((unsigned long long)page_to_pfn(page) << PAGE_SHIFT);
	}
}

static vm_fault_t shim_shmem_fault(struct vm_fault *vmf)
{
	struct folio *folio = shim_shmem_get_folio(vmf->vma->vm_file, vmf->pgoff);

	if (IS_ERR(folio))
		return PTR_ERR(folio) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	folio_get(folio);
	vmf->page = folio_page(folio, 0);
	return 0;
}

static const struct vm_operations_struct shim_shmem_vm_ops = {
	.fault = shim_shmem_fault,
};

static int shim_shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &shim_shmem_vm_ops;
	return 0;
}

/* The last reference to the file: its pages go with it. */
static int shim_shmem_release(struct inode *inode, struct file *file)
{
	struct shim_shmem *sh = container_of(inode, struct shim_shmem, inode);

	shim_shmem_truncate(sh, 0);
	xa_destroy(&sh->pages);
	kfree(sh);
	return 0;
}

static const struct file_operations shim_shmem_fops = {
	.mmap = shim_shmem_mmap,
	.release = shim_shmem_release,
};

static struct file *shim_shmem_file(unsigned int flags)
{
	struct shim_shmem *sh = kzalloc(sizeof(*sh), GFP_KERNEL);
	struct file *f;

	if (!sh)
		return ERR_PTR(-ENOMEM);
	sh->inode.i_mode = S_IFREG | 0777;
	sh->inode.i_mapping = &sh->inode.i_data;
	sh->inode.i_data.host = &sh->inode;
	sh->inode.i_data.a_ops = &shim_shmem_aops;
	xa_init(&sh->pages);
	f = shim_file_alloc(&shim_shmem_fops, NULL, O_RDWR | (flags & MFD_CLOEXEC ? O_CLOEXEC : 0));
	if (IS_ERR(f)) {
		kfree(sh);
		return f;
	}
	f->f_inode = &sh->inode;
	f->f_mapping = &sh->inode.i_data;
	return f;
}

int smmusim_sys_memfd_create(const char *name, unsigned int flags)
{
	unsigned int allowed = SHIM_MFD_ALL_FLAGS;
	struct file *f;
	int fd;

	/* A huge page size may be encoded only with MFD_HUGETLB. */
	if (flags & MFD_HUGETLB)
		allowed |= MFD_HUGE_MASK << MFD_HUGE_SHIFT;
	if ((flags & ~allowed) || ((flags & MFD_EXEC) && (flags & MFD_NOEXEC_SEAL)))
		return -EINVAL;
	if (strlen(name) > SHIM_MFD_NAME_MAX_LEN)
		return -EINVAL;
	if (flags & MFD_HUGETLB)
		return -ENOSYS;
	fd = get_unused_fd_flags(flags & MFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	f = shim_shmem_file(flags);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	fd_install(fd, f);
	return fd;
}

int smmusim_sys_ftruncate(int fd, long long length)
{
	struct file *f;
	int ret = 0;

	if (length < 0)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(file_inode(f)->i_mode) || !(f->f_mode & FMODE_WRITE))
		ret = -EINVAL;
	else if (length > MAX_LFS_FILESIZE)
		ret = -EFBIG;	/* inode_newsize_ok() */
	if (!ret) {
		if (length < i_size_read(file_inode(f)))
			shim_shmem_truncate(shim_shmem_of(f), length);
		i_size_write(file_inode(f), length);
	}
	fput(f);
	return ret;
}
