// SPDX-License-Identifier: GPL-2.0-only
/*
 * smmusim kernel shim: VFIO's side of iommufd, for simulated endpoints
 * (drivers/vfio/iommufd.c's calls, without VFIO).
 *
 * A VMM gives iommufd a device through VFIO (VFIO_DEVICE_BIND_IOMMUFD,
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT), which calls iommufd's exported
 * iommufd_device_bind()/attach()/replace()/detach()/unbind().  The simulator has no
 * VFIO: these entry points make the same calls for an endpoint, with the
 * iommufd context of an open /dev/iommu descriptor (iommufd_ctx_from_file,
 * as vfio_df_ioctl_bind_iommufd() does).  CUSTOMISED (test driver).
 */
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/iommufd.h>

#include <smmusim/kernel.h>
#include "shim.h"

void *smmusim_iommufd_bind(int fd, void *ep, unsigned int *dev_id, int *err)
{
	struct file *f = fget(fd);
	struct iommufd_ctx *ictx;
	struct iommufd_device *idev;
	u32 id = 0;

	*err = 0;
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	ictx = iommufd_ctx_from_file(f);
	fput(f);
	if (IS_ERR(ictx)) {
		*err = PTR_ERR(ictx);
		return NULL;
	}
	idev = iommufd_device_bind(ictx, ep, &id);
	iommufd_ctx_put(ictx);
	if (IS_ERR(idev)) {
		*err = PTR_ERR(idev);
		return NULL;
	}
	*dev_id = id;
	return idev;
}

int smmusim_iommufd_attach(void *idev, unsigned int *pt_id)
{
	u32 id = *pt_id;
	int ret = iommufd_device_attach(idev, IOMMU_NO_PASID, &id);

	*pt_id = id;
	return ret;
}

/* An attached device moves to another page table in one step, as VFIO's
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT does when the device is already attached
 * (e.g. from the nesting parent to a nested HWPT). */
int smmusim_iommufd_replace(void *idev, unsigned int *pt_id)
{
	u32 id = *pt_id;
	int ret = iommufd_device_replace(idev, IOMMU_NO_PASID, &id);

	*pt_id = id;
	return ret;
}

void smmusim_iommufd_detach(void *idev)
{
	iommufd_device_detach(idev, IOMMU_NO_PASID);
}

void smmusim_iommufd_unbind(void *idev)
{
	iommufd_device_unbind(idev);
}
