// SPDX-License-Identifier: GPL-2.0-only
// The arguments of the iommufd ioctls a VMM makes for a Tegra241 CMDQV
// guest or a trapped (ARM_SMMUV3) one, with its own stage 1 (include/uapi/linux/iommufd.h), filled in one place: vmm.cc's flow
// and the tests that drive /dev/iommu by hand build them here. Each returns
// the struct with its inputs set; the caller's ioctl sets `size` and reads
// the out_* fields.
#pragma once

#include <cstdint>

#include SMMUSIM_UAPI_IOMMUFD_H

namespace smmusim::kshim::iommufd {

// IOMMU_IOAS_MAP: `length` bytes of user memory at `user_va` at the fixed
// IOVA `iova` of the IOAS, readable and writeable.
inline iommu_ioas_map ioas_map_fixed(uint32_t ioas_id, const void* user_va, uint64_t length, uint64_t iova)
{
    iommu_ioas_map m{};
    m.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
    m.ioas_id = ioas_id;
    m.user_va = reinterpret_cast<uintptr_t>(user_va);
    m.length = length;
    m.iova = iova;
    return m;
}

// IOMMU_HWPT_ALLOC: a nesting-parent HWPT for `dev_id` on the IOAS `pt_id`.
inline iommu_hwpt_alloc hwpt_nest_parent(uint32_t dev_id, uint32_t pt_id)
{
    iommu_hwpt_alloc h{};
    h.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
    h.dev_id = dev_id;
    h.pt_id = pt_id;
    return h;
}

// IOMMU_VIOMMU_ALLOC of type TEGRA241_CMDQV (a VINTF) on the nesting parent
// `hwpt_id`; the driver returns the VINTF page's mmap offset and length in
// `data`, which must outlive the ioctl.
inline iommu_viommu_alloc viommu_tegra241(uint32_t dev_id, uint32_t hwpt_id, iommu_viommu_tegra241_cmdqv& data)
{
    iommu_viommu_alloc v{};
    v.type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV;
    v.dev_id = dev_id;
    v.hwpt_id = hwpt_id;
    v.data_len = sizeof(data);
    v.data_uptr = reinterpret_cast<uintptr_t>(&data);
    return v;
}

// IOMMU_VIOMMU_ALLOC of type ARM_SMMUV3 (arm_vsmmu_init: no user data, no
// HW queues) on the nesting parent `hwpt_id`.
inline iommu_viommu_alloc viommu_arm_smmuv3(uint32_t dev_id, uint32_t hwpt_id)
{
    iommu_viommu_alloc v{};
    v.type = IOMMU_VIOMMU_TYPE_ARM_SMMUV3;
    v.dev_id = dev_id;
    v.hwpt_id = hwpt_id;
    return v;
}

// IOMMU_HWPT_INVALIDATE on the vIOMMU `viommu_id`: `n` SMMUv3 commands at
// `cmds` (IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3), which must outlive the
// ioctl; it returns in entry_num how many it processed.
inline iommu_hwpt_invalidate viommu_invalidate(uint32_t viommu_id, const iommu_viommu_arm_smmuv3_invalidate* cmds,
                                               size_t n)
{
    iommu_hwpt_invalidate inv{};
    inv.hwpt_id = viommu_id;
    inv.data_uptr = reinterpret_cast<uintptr_t>(cmds);
    inv.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3;
    inv.entry_len = sizeof(*cmds);
    inv.entry_num = static_cast<uint32_t>(n);
    return inv;
}

// IOMMU_VDEVICE_ALLOC: `dev_id` as the virtual SID `virt_id` of the vIOMMU.
inline iommu_vdevice_alloc vdevice(uint32_t viommu_id, uint32_t dev_id, uint64_t virt_id)
{
    iommu_vdevice_alloc d{};
    d.viommu_id = viommu_id;
    d.dev_id = dev_id;
    d.virt_id = virt_id;
    return d;
}

// IOMMU_HW_QUEUE_ALLOC: the vIOMMU's queue `index`, `length` bytes at the
// nesting parent's IOVA (guest PA) `iova`.
inline iommu_hw_queue_alloc hw_queue(uint32_t viommu_id, uint32_t index, uint64_t iova, uint64_t length,
                                     uint32_t type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV)
{
    iommu_hw_queue_alloc q{};
    q.viommu_id = viommu_id;
    q.type = type;
    q.index = index;
    q.nesting_parent_iova = iova;
    q.length = length;
    return q;
}

// IOMMU_HWPT_ALLOC of a nested HWPT on the vIOMMU `viommu_id` for
// `dev_id`: data type ARM_SMMUV3, the guest's vSTE in `data`, which must
// outlive the ioctl.
inline iommu_hwpt_alloc hwpt_nested(uint32_t dev_id, uint32_t viommu_id, iommu_hwpt_arm_smmuv3& data)
{
    iommu_hwpt_alloc h{};
    h.dev_id = dev_id;
    h.pt_id = viommu_id;
    h.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3;
    h.data_len = sizeof(data);
    h.data_uptr = reinterpret_cast<uintptr_t>(&data);
    return h;
}

// IOMMU_VEVENTQ_ALLOC: a vEVENTQ of `type` (enum iommu_veventq_type) and
// `depth` events.
inline iommu_veventq_alloc veventq(uint32_t viommu_id, uint32_t type, uint32_t depth)
{
    iommu_veventq_alloc v{};
    v.viommu_id = viommu_id;
    v.type = type;
    v.veventq_depth = depth;
    return v;
}

// A TEGRA241_CMDQV vEVENTQ (the VINTF's LVCMDQ errors).
inline iommu_veventq_alloc veventq_tegra241(uint32_t viommu_id, uint32_t depth)
{
    return veventq(viommu_id, IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV, depth);
}

}  // namespace smmusim::kshim::iommufd
