// SPDX-License-Identifier: GPL-2.0-only
// iommufd's HW queue path end to end, on the unmodified iommufd core and
// the Tegra241 CMDQV driver: a VMM (the test) opens /dev/iommu, maps guest
// RAM, binds an endpoint, allocates a nesting-parent HWPT, a vIOMMU of type
// TEGRA241_CMDQV (a VINTF), a vDEVICE (SID_MATCH/SID_REPLACE), HW queues
// backed by guest RAM; mmaps the VINTF page and plays the guest: commands
// into queue memory, LVCMDQ enable and PROD through the mapping; the CMDQV
// model reads them by physical address and executes them.
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "kernel_shim.h"
#include "shim_setup.h"
#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "smmuv3/commands.h"
#include "support/testbench.h"
#include "vmm/iommufd_args.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

// A VMM's view of the simulated kernel: one /dev/iommu descriptor.
struct Vmm {
    TestBench& bench;
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
    TestBench bench;
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
    iommu_ioas_map map = iommufd::ioas_map_fixed(ioas.out_ioas_id, ram, kGuestRam, kGpa);
    ASSERT_EQ(vmm.ioctl(IOMMU_IOAS_MAP, map), 0) << ks.dmesg() << ks.failures_text();

    uint32_t dev_id = 0;
    ASSERT_EQ(ks.vfio_bind(vmm.fd, ep, &dev_id), 0) << ks.dmesg() << ks.failures_text();

    iommu_hwpt_alloc hwpt = iommufd::hwpt_nest_parent(dev_id, ioas.out_ioas_id);
    ASSERT_EQ(vmm.ioctl(IOMMU_HWPT_ALLOC, hwpt), 0) << ks.dmesg() << ks.failures_text();
    uint32_t pt = hwpt.out_hwpt_id;
    ASSERT_EQ(ks.vfio_attach(ep, &pt), 0) << ks.dmesg() << ks.failures_text();
    // The nesting parent maps guest RAM: all of it is pinned now.
    EXPECT_EQ(ks.user_memory().pins_live(), kGuestRam / 4096);

    iommu_viommu_tegra241_cmdqv vintf_data{};
    iommu_viommu_alloc viommu = iommufd::viommu_tegra241(dev_id, hwpt.out_hwpt_id, vintf_data);
    ASSERT_EQ(vmm.ioctl(IOMMU_VIOMMU_ALLOC, viommu), 0) << ks.dmesg() << ks.failures_text();
    EXPECT_EQ(vintf_data.out_vintf_mmap_length, 0x10000u);


    // vDEVICE: the guest calls the endpoint virtual SID 2.
    iommu_vdevice_alloc vdev = iommufd::vdevice(viommu.out_viommu_id, dev_id, 2);
    ASSERT_EQ(vmm.ioctl(IOMMU_VDEVICE_ALLOC, vdev), 0) << ks.dmesg() << ks.failures_text();

    // Two HW queues in guest RAM: 4 KiB (256 commands) each at GPA +0 and
    // +64 KiB, LVCMDQ 0 then 1 (the order the hardware requires).
    iommu_hw_queue_alloc hwq0 = iommufd::hw_queue(viommu.out_viommu_id, 0, kGpa, 4096);
    ASSERT_EQ(vmm.ioctl(IOMMU_HW_QUEUE_ALLOC, hwq0), 0) << ks.dmesg() << ks.failures_text();
    iommu_hw_queue_alloc hwq1 = iommufd::hw_queue(hwq0.viommu_id, 1, kGpa + 0x10000, 4096);
    ASSERT_EQ(vmm.ioctl(IOMMU_HW_QUEUE_ALLOC, hwq1), 0) << ks.dmesg() << ks.failures_text();
    // The queues' access objects reuse the domain's pins (iopt_area_add_access
    // reads the PFNs back from the domain): no second pin.
    EXPECT_EQ(ks.user_memory().pins_live(), kGuestRam / 4096);

    // The VINTF page, as the VMM would map it into the guest.
    const int page = ks.sys_mmap(vmm.fd, vintf_data.out_vintf_mmap_length, vintf_data.out_vintf_mmap_offset);
    ASSERT_GE(page, 0) << page;

    // The guest: three commands into LVCMDQ0's memory, then enable the
    // queue and ring PROD through the VINTF page.
    namespace f = smmuv3::cmdf;
    auto* q = static_cast<uint64_t*>(ram);
    q[0] = f::OPCODE.put(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(7);
    q[1] = f::TLBI_VA.put(0x123456000ull >> 12) | f::TLBI_LEAF.put(1);
    q[2] = f::OPCODE.put(smmuv3::OP_ATC_INV) | f::ATC_SID.put(2);
    q[3] = f::ATC_SIZE.put(52);  // the whole ATC of the device
    q[4] = f::OPCODE.put(smmuv3::OP_CMD_SYNC);
    q[5] = 0;
    std::vector<smmuv3::Command> seen;
    bench.smmu().engine().add_observer(
        [&](unsigned, const smmuv3::Command& c) { seen.push_back(c); });
    ks.map_write(page, cmdqv::VCMDQ_CONFIG, 1);  // CMDQ_EN
    ks.idle(sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(ks.map_read(page, cmdqv::VCMDQ_STATUS) & 1, 1u);
    ks.map_write(page, cmdqv::VCMDQ_PROD, 3);
    ks.idle(sc_core::sc_time(10, sc_core::SC_US));
    EXPECT_EQ(ks.map_read(page, cmdqv::VCMDQ_CONS) & 0xfffff, 3u);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].op, smmuv3::OP_TLBI_NH_VA);
    EXPECT_EQ(seen[0].asid, 7u);
    EXPECT_NE(seen[0].vmid, 0u);  // the VINTF's VMID, not the guest's 0
    EXPECT_EQ(seen[1].op, smmuv3::OP_ATC_INV);
    EXPECT_EQ(seen[1].sid, 0x10u);  // vSID 2 -> the endpoint's SID
    EXPECT_EQ(seen[2].op, smmuv3::OP_CMD_SYNC);

    // The VINTF backing the vIOMMU (the kernel owns VINTF0) and its SID
    // match: vSID 2 -> SID 0x10, enabled.
    auto& cmdqv = bench.soc().cmdqv();
    auto reg = [&](uint32_t off) { return cmdqv.bank().get(off); };
    const unsigned v = 1;
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::VINTF_CONFIG) & 1, 1u);
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::vintf_sid_replace(0)), 0x10u);
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::vintf_sid_match(0)), (2u << 1) | 1u);

    // A vEVENTQ for the CMDQV's error reports, then an illegal guest
    // command (CFGI_ALL = CFGI_STE_RANGE of every SID: not for guests) on LVCMDQ0.
    iommu_veventq_alloc veq = iommufd::veventq_tegra241(viommu.out_viommu_id, 16);
    ASSERT_EQ(vmm.ioctl(IOMMU_VEVENTQ_ALLOC, veq), 0) << ks.dmesg() << ks.failures_text();
    q[6] = f::OPCODE.put(smmuv3::OP_CFGI_STE_RANGE);
    q[7] = f::CFGI_RANGE.put(31);
    ks.map_write(page, cmdqv::VCMDQ_PROD, 4);
    ks.idle(sc_core::sc_time(10, sc_core::SC_US));
    // The queue stopped at the bad command with CERROR_ILL; the host's
    // tegra241_vintf_user_handle_error() reported the VINTF's LVCMDQ error
    // map to the vEVENTQ.
    EXPECT_EQ(ks.map_read(page, cmdqv::VCMDQ_CONS) & 0xfffff, 3u);
    EXPECT_EQ(ks.map_read(page, cmdqv::VCMDQ_CONS) >> 24 & 0x7f, 1u);  // CERROR_ILL
    struct {
        iommufd_vevent_header hdr;
        iommu_vevent_tegra241_cmdqv ev;
    } rec{};
    ASSERT_EQ(ks.sys_read(static_cast<int>(veq.out_veventq_fd), &rec, sizeof(rec)),
              static_cast<long>(sizeof(rec)))
        << ks.dmesg() << ks.failures_text();
    EXPECT_EQ(rec.hdr.flags, 0u);
    EXPECT_EQ(rec.hdr.sequence, 0u);
    EXPECT_EQ(rec.ev.lvcmdq_err_map[0], 1u);  // LVCMDQ0
    EXPECT_EQ(rec.ev.lvcmdq_err_map[1], 0u);
    EXPECT_EQ(ks.sys_read(static_cast<int>(veq.out_veventq_fd), &rec, sizeof(rec)), 0);

    // Tear down in reverse order. LVCMDQ0 cannot go while LVCMDQ1 lives.
    iommu_destroy destroy{};
    destroy.id = hwq0.out_hw_queue_id;
    EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), -EBUSY);
    EXPECT_EQ(ks.sys_munmap(page), 0);
    // The vEVENTQ's file holds its object: close it, then destroy.
    EXPECT_EQ(ks.sys_close(static_cast<int>(veq.out_veventq_fd)), 0);
    for (uint32_t id : {hwq1.out_hw_queue_id, hwq0.out_hw_queue_id, veq.out_veventq_id}) {
        destroy.id = id;
        EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), 0) << id << ks.dmesg();
    }
    for (uint32_t id : {vdev.out_vdevice_id, viommu.out_viommu_id}) {
        destroy.id = id;
        EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), 0) << id << ks.dmesg();
    }
    // The VINTF is back to reset: disabled, no SID match, no VCMDQ mapped.
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::VINTF_CONFIG), 0u);
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::vintf_sid_match(0)), 0u);
    EXPECT_EQ(reg(cmdqv::vintf(v) + cmdqv::vintf_sid_replace(0)), 0u);
    EXPECT_EQ(ks.user_memory().pins_live(), kGuestRam / 4096);
    ks.vfio_detach(ep);
    destroy.id = hwpt.out_hwpt_id;
    EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), 0) << ks.dmesg();
    // No domain left: iommufd unpins (the IOAS keeps only the mapping).
    EXPECT_EQ(ks.user_memory().pins_live(), 0u);
    ks.vfio_unbind(ep);
    destroy.id = ioas.out_ioas_id;
    EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), 0) << ks.dmesg();
    EXPECT_EQ(ks.sys_close(vmm.fd), 0);
    EXPECT_TRUE(ks.user_memory().free(ram));

    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    remove_smmu_cleanly(ks);
    EXPECT_EQ(ks.alloc_stats().dma_live, 0u);
}


// The state a VMM reaches before allocating HW queues: guest RAM mapped at
// kGpa, the endpoint bound and attached to a nest-parent HWPT, a vIOMMU.
struct Guest {
    static constexpr uint64_t kRam = 1ull << 20, kGpa = 1ull << 30;
    TestBench bench;
    KernelShim ks{bench.soc()};
    Vmm vmm{bench, ks};
    void* ram = nullptr;
    uint32_t ioas_id = 0, dev_id = 0, viommu_id = 0;

    explicit Guest(UserMemory::Layout layout = UserMemory::Layout::Contiguous)
    {
        EXPECT_EQ(ks.probe_smmu(), 0);
        const int ep = ks.add_endpoint("vfio0", {0x10});
        vmm.fd = ks.sys_open("iommu");
        iommu_ioas_alloc ioas{};
        EXPECT_EQ(vmm.ioctl(IOMMU_IOAS_ALLOC, ioas), 0);
        ioas_id = ioas.out_ioas_id;
        ram = ks.user_alloc(kRam, layout);
        iommu_ioas_map map = iommufd::ioas_map_fixed(ioas_id, ram, kRam, kGpa);
        EXPECT_EQ(vmm.ioctl(IOMMU_IOAS_MAP, map), 0);
        EXPECT_EQ(ks.vfio_bind(vmm.fd, ep, &dev_id), 0);
        iommu_hwpt_alloc hwpt = iommufd::hwpt_nest_parent(dev_id, ioas_id);
        EXPECT_EQ(vmm.ioctl(IOMMU_HWPT_ALLOC, hwpt), 0);
        uint32_t pt = hwpt.out_hwpt_id;
        EXPECT_EQ(ks.vfio_attach(ep, &pt), 0);
        iommu_viommu_tegra241_cmdqv data{};
        iommu_viommu_alloc viommu = iommufd::viommu_tegra241(dev_id, hwpt.out_hwpt_id, data);
        EXPECT_EQ(vmm.ioctl(IOMMU_VIOMMU_ALLOC, viommu), 0);
        viommu_id = viommu.out_viommu_id;
    }

    // IOMMU_HW_QUEUE_ALLOC; 0 or -errno.
    long hw_queue(uint32_t index, uint64_t iova, uint64_t length,
                  uint32_t type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV, uint32_t* id = nullptr)
    {
        iommu_hw_queue_alloc q = iommufd::hw_queue(viommu_id, index, iova, length, type);
        const long ret = vmm.ioctl(IOMMU_HW_QUEUE_ALLOC, q);
        if (id)
            *id = q.out_hw_queue_id;
        return ret;
    }
};

// The errors the kernel's own selftest expects from IOMMU_HW_QUEUE_ALLOC,
// each from the real iommufd core or the real Tegra241 driver.
TEST(KernelShimHwQueue, AllocErrorsAreTheKernels)
{
    Guest g;
    constexpr uint64_t gpa = Guest::kGpa;
    EXPECT_EQ(g.hw_queue(0, gpa, 4096, IOMMU_HW_QUEUE_TYPE_DEFAULT), -EOPNOTSUPP);
    EXPECT_EQ(g.hw_queue(0, gpa, 0), -EINVAL);
    EXPECT_EQ(g.hw_queue(0, ~0ull - 4095, 8192), -EOVERFLOW);
    EXPECT_EQ(g.hw_queue(0, gpa + Guest::kRam, 4096), -ENOENT);  // not mapped in the IOAS
    EXPECT_EQ(g.hw_queue(1, gpa, 4096), -EIO);                    // index 1 before index 0
    EXPECT_EQ(g.hw_queue(2, gpa, 4096), -EINVAL);                 // 2 LVCMDQs per VINTF
    EXPECT_EQ(g.hw_queue(0, gpa, 3 * 1024), -EINVAL);             // not a power of 2
    EXPECT_EQ(g.hw_queue(0, gpa, 16), -EINVAL);                   // under 32 bytes
    EXPECT_EQ(g.hw_queue(0, gpa + 0x800, 4096), -EINVAL);         // base not aligned to length
    uint32_t q0 = 0, q1 = 0;
    ASSERT_EQ(g.hw_queue(0, gpa, 4096, IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV, &q0), 0) << g.ks.dmesg();
    EXPECT_EQ(g.hw_queue(0, gpa + 0x1000, 4096), -EEXIST);
    ASSERT_EQ(g.hw_queue(1, gpa + 0x2000, 4096, IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV, &q1), 0);

    // Queue memory is pinned by the queues: IOAS_UNMAP of it fails.
    iommu_ioas_unmap unmap{};
    unmap.ioas_id = g.ioas_id;
    unmap.iova = gpa;
    unmap.length = Guest::kRam;
    EXPECT_EQ(g.vmm.ioctl(IOMMU_IOAS_UNMAP, unmap), -EBUSY);
    iommu_destroy destroy{};
    destroy.id = q0;
    EXPECT_EQ(g.vmm.ioctl(IOMMU_DESTROY, destroy), -EBUSY);  // LVCMDQ1 still lives
    destroy.id = q1;
    EXPECT_EQ(g.vmm.ioctl(IOMMU_DESTROY, destroy), 0);
    destroy.id = q0;
    EXPECT_EQ(g.vmm.ioctl(IOMMU_DESTROY, destroy), 0);
    EXPECT_EQ(g.vmm.ioctl(IOMMU_IOAS_UNMAP, unmap), 0);
    EXPECT_EQ(unmap.length, Guest::kRam);
    EXPECT_TRUE(g.ks.failures().empty()) << g.ks.failures_text();
}

// The hardware reads a queue by physical address, so its guest memory must
// be physically contiguous: iommufd_hw_queue_alloc_phys() refuses a queue
// whose pages are scattered (-EFAULT), and accepts one inside a page.
TEST(KernelShimHwQueue, PhysicallyScatteredQueueMemoryIsRefused)
{
    Guest g(UserMemory::Layout::Scattered);
    const uint64_t pa0 = g.ks.user_memory().pa(reinterpret_cast<uint64_t>(g.ram));
    const uint64_t pa1 = g.ks.user_memory().pa(reinterpret_cast<uint64_t>(g.ram) + 4096);
    ASSERT_NE(pa1, pa0 + 4096);
    EXPECT_EQ(g.hw_queue(0, Guest::kGpa, 8192), -EFAULT);
    EXPECT_EQ(g.hw_queue(0, Guest::kGpa, 4096), 0) << g.ks.dmesg();
    EXPECT_TRUE(g.ks.failures().empty()) << g.ks.failures_text();
}


// mmap of the VINTF page goes through iommufd_fops_mmap(): only the exact
// region the driver registered, shared, not executable.
TEST(KernelShimHwQueue, VintfMmapChecksOffsetLengthAndSharing)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0);
    const int ep = ks.add_endpoint("vfio0", {0x10});
    Vmm vmm{bench, ks};
    vmm.fd = ks.sys_open("iommu");
    iommu_ioas_alloc ioas{};
    ASSERT_EQ(vmm.ioctl(IOMMU_IOAS_ALLOC, ioas), 0);
    uint32_t dev_id = 0;
    ASSERT_EQ(ks.vfio_bind(vmm.fd, ep, &dev_id), 0);
    iommu_hwpt_alloc hwpt = iommufd::hwpt_nest_parent(dev_id, ioas.out_ioas_id);
    ASSERT_EQ(vmm.ioctl(IOMMU_HWPT_ALLOC, hwpt), 0);
    iommu_viommu_tegra241_cmdqv data{};
    iommu_viommu_alloc viommu = iommufd::viommu_tegra241(dev_id, hwpt.out_hwpt_id, data);
    ASSERT_EQ(vmm.ioctl(IOMMU_VIOMMU_ALLOC, viommu), 0) << ks.dmesg();

    const uint64_t off = data.out_vintf_mmap_offset, len = data.out_vintf_mmap_length;
    EXPECT_EQ(ks.sys_mmap(vmm.fd, len, off + 4096), -ENXIO);   // inside, not at the start
    EXPECT_EQ(ks.sys_mmap(vmm.fd, len / 2, off), -ENXIO);      // part of it
    EXPECT_EQ(ks.sys_mmap(vmm.fd, len, off + len), -ENXIO);    // nothing there
    EXPECT_EQ(ks.sys_mmap(vmm.fd, len, off, false), -EINVAL);  // MAP_PRIVATE
    const int m = ks.sys_mmap(vmm.fd, len, off);
    ASSERT_GE(m, 0);
    // Reads reach the CMDQV model: LVCMDQ0 is not allocated to this VINTF
    // yet, so its CONS reads 0; beyond the mapping is a fault, not MMIO.
    EXPECT_EQ(ks.map_read(m, cmdqv::VCMDQ_CONS), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
    ks.map_read(m, len);
    ASSERT_EQ(ks.failures().size(), 1u);
    EXPECT_EQ(ks.failures()[0].kind, "segv");
    // The vIOMMU cannot go while the page is mapped.
    iommu_destroy destroy{};
    destroy.id = viommu.out_viommu_id;
    EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), -EBUSY);
    EXPECT_EQ(ks.sys_munmap(m), 0);
    EXPECT_EQ(ks.sys_munmap(m), -EINVAL);
    EXPECT_EQ(vmm.ioctl(IOMMU_DESTROY, destroy), 0);
}

}  // namespace
}  // namespace smmusim::kshim
