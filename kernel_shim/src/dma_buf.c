// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: dma-buf (drivers/dma-buf/dma-buf.c, dma-resv.c) as
 * far as the iommufd selftest uses it: the mock driver exports a buffer
 * (IOMMU_TEST_OP_DMABUF_GET) and revokes it (IOMMU_TEST_OP_DMABUF_REVOKE),
 * and iommufd imports it (IOMMU_IOAS_MAP_FILE on a dma-buf fd:
 * io_pagetable.c, pages.c's dynamic attachment and pin).
 *
 * CUSTOMISED:
 *   dma_buf_export    a dma_buf with its embedded reservation object (or the
 *                     exporter's) and its file (an anonymous inode whose last
 *                     fput() calls the exporter's release and frees it)
 *   dma_buf_fd/dma_buf_get/dma_buf_put   the file in the descriptor table
 *                     (file.c); dma_buf_get of another kind of file is -EINVAL
 *   dma_buf_dynamic_attach/dma_buf_detach   an attachment on the buffer's
 *                     list (under its reservation lock), with the exporter's
 *                     attach/detach called
 *   dma_buf_pin/dma_buf_unpin   the exporter's pin/unpin, if it has them
 *   dma_buf_invalidate_mappings   every importer's invalidate_mappings (the
 *                     caller holds the reservation lock)
 *   dma_resv_init/dma_resv_fini, reservation_ww_class   a ww_mutex, no fences
 * Does not: fences, sg_table mappings (dma_buf_map_attachment), vmap, mmap
 *   or read of the file, sysfs/debugfs accounting, peer-to-peer checks.
 */
#include <linux/anon_inodes.h>
#include <linux/dma-buf.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "shim.h"

DEFINE_WW_CLASS(reservation_ww_class);

void dma_resv_init(struct dma_resv *obj)
{
	ww_mutex_init(&obj->lock, &reservation_ww_class);
	RCU_INIT_POINTER(obj->fences, NULL);
}

void dma_resv_fini(struct dma_resv *obj)
{
}

static int shim_dma_buf_release(struct inode *inode, struct file *file)
{
	struct dma_buf *dmabuf = file->private_data;

	WARN_ON(!list_empty(&dmabuf->attachments));
	dmabuf->ops->release(dmabuf);
	if (dmabuf->resv == (struct dma_resv *)&dmabuf[1])
		dma_resv_fini(dmabuf->resv);
	kfree(dmabuf);
	return 0;
}

static const struct file_operations shim_dma_buf_fops = {
	.release = shim_dma_buf_release,
};

struct dma_buf *dma_buf_export(const struct dma_buf_export_info *exp_info)
{
	struct dma_buf *dmabuf;
	struct file *file;

	if (WARN_ON(!exp_info->priv || !exp_info->ops || !exp_info->ops->release ||
		    !exp_info->ops->map_dma_buf || !exp_info->ops->unmap_dma_buf))
		return ERR_PTR(-EINVAL);
	dmabuf = kzalloc(sizeof(*dmabuf) + (exp_info->resv ? 0 : sizeof(struct dma_resv)),
			 GFP_KERNEL);
	if (!dmabuf)
		return ERR_PTR(-ENOMEM);
	dmabuf->priv = exp_info->priv;
	dmabuf->ops = exp_info->ops;
	dmabuf->size = exp_info->size;
	dmabuf->exp_name = exp_info->exp_name;
	dmabuf->owner = exp_info->owner;
	INIT_LIST_HEAD(&dmabuf->attachments);
	dmabuf->resv = exp_info->resv;
	if (!dmabuf->resv) {
		dmabuf->resv = (struct dma_resv *)&dmabuf[1];
		dma_resv_init(dmabuf->resv);
	}
	file = anon_inode_getfile("dmabuf", &shim_dma_buf_fops, dmabuf, exp_info->flags);
	if (IS_ERR(file)) {
		kfree(dmabuf);
		return ERR_CAST(file);
	}
	dmabuf->file = file;
	return dmabuf;
}

int dma_buf_fd(struct dma_buf *dmabuf, int flags)
{
	int fd;

	if (!dmabuf || !dmabuf->file)
		return -EINVAL;
	fd = get_unused_fd_flags(flags);
	if (fd < 0)
		return fd;
	fd_install(fd, dmabuf->file);
	return fd;
}

struct dma_buf *dma_buf_get(int fd)
{
	struct file *file = fget(fd);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &shim_dma_buf_fops) {
		fput(file);
		return ERR_PTR(-EINVAL);
	}
	return file->private_data;
}

void dma_buf_put(struct dma_buf *dmabuf)
{
	if (WARN_ON(!dmabuf || !dmabuf->file))
		return;
	fput(dmabuf->file);
}

struct dma_buf_attachment *dma_buf_dynamic_attach(struct dma_buf *dmabuf, struct device *dev,
						  const struct dma_buf_attach_ops *importer_ops,
						  void *importer_priv)
{
	struct dma_buf_attachment *attach;
	int ret;

	if (WARN_ON(!dmabuf || !dev))
		return ERR_PTR(-EINVAL);
	attach = kzalloc_obj(*attach);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dev = dev;
	attach->dmabuf = dmabuf;
	attach->importer_ops = importer_ops;
	attach->importer_priv = importer_priv;
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret) {
			kfree(attach);
			return ERR_PTR(ret);
		}
	}
	dma_resv_lock(dmabuf->resv, NULL);
	list_add(&attach->node, &dmabuf->attachments);
	dma_resv_unlock(dmabuf->resv);
	return attach;
}

void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (WARN_ON(!dmabuf || !attach || attach->dmabuf != dmabuf))
		return;
	dma_resv_lock(dmabuf->resv, NULL);
	list_del(&attach->node);
	dma_resv_unlock(dmabuf->resv);
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
	kfree(attach);
}

int dma_buf_pin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf = attach->dmabuf;

	return dmabuf->ops->pin ? dmabuf->ops->pin(attach) : 0;
}

void dma_buf_unpin(struct dma_buf_attachment *attach)
{
	struct dma_buf *dmabuf = attach->dmabuf;

	if (dmabuf->ops->unpin)
		dmabuf->ops->unpin(attach);
}

void dma_buf_invalidate_mappings(struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;

	list_for_each_entry(attach, &dmabuf->attachments, node)
		if (attach->importer_ops && attach->importer_ops->invalidate_mappings)
			attach->importer_ops->invalidate_mappings(attach);
}
