// SPDX-License-Identifier: GPL-2.0-only
// Several VMs at once, each with its own accelerated vIOMMU (a VINTF of the
// CMDQV) set up through iommufd by kernel_shim/vmm/vmm.h, each guest driving
// its own HW queue: commands run under each VM's VMID with its own SID
// substitution, and an error in one VM is reported to that VM only.
#include <array>
#include <cerrno>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "cmdqv/cmdqv.h"
#include "smmuv3/commands.h"
#include "support/testbench.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
namespace f = smmuv3::cmdf;

TEST(KernelShimVmm, TwoVmsEachWithItsOwnVintf)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
    const int ep0 = ks.add_endpoint("gpu0", {0x20});
    const int ep1 = ks.add_endpoint("gpu1", {0x30});
    std::vector<smmuv3::Command> seen;
    bench.smmu().engine().add_observer([&](unsigned, const smmuv3::Command& c) { seen.push_back(c); });

    Vm vm0(ks), vm1(ks);
    ASSERT_EQ(vm0.create({ep0, 1ull << 20, 1ull << 30, UserMemory::Layout::Contiguous, 5}), 0)
        << vm0.failed_step() << "\n" << ks.dmesg();
    ASSERT_EQ(vm1.create({ep1, 1ull << 20, 1ull << 30, UserMemory::Layout::Contiguous, 5}), 0)
        << vm1.failed_step() << "\n" << ks.dmesg();
    for (Vm* vm : {&vm0, &vm1}) {
        ASSERT_EQ(vm->hw_queue_alloc(0, 1ull << 30, 4096), 0) << ks.dmesg();
        ASSERT_EQ(vm->veventq_alloc(8), 0);
        ASSERT_EQ(vm->guest_enable(0), 0);
    }
    // Both guests invalidate the same ASID and their device (vSID 5).
    seen.clear();
    for (Vm* vm : {&vm0, &vm1}) {
        ASSERT_EQ(vm->guest_put(0, f::OPCODE.put(smmuv3::OP_TLBI_NH_ASID) | f::TLBI_ASID.put(3), 0), 0);
        ASSERT_EQ(vm->guest_put(0, f::OPCODE.put(smmuv3::OP_ATC_INV) | f::ATC_SID.put(5), f::ATC_SIZE.put(52)), 0);
        ASSERT_EQ(vm->guest_put(0, f::OPCODE.put(smmuv3::OP_CMD_SYNC), 0), 0);
        vm->guest_doorbell(0);
    }
    EXPECT_EQ(vm0.guest_wait_consumed(0), 0);
    EXPECT_EQ(vm1.guest_wait_consumed(0), 0);
    ASSERT_EQ(seen.size(), 6u);
    std::set<uint16_t> vmids;
    std::multiset<uint32_t> sids;
    for (const auto& c : seen) {
        if (c.op == smmuv3::OP_TLBI_NH_ASID) {
            EXPECT_EQ(c.asid, 3u);
            vmids.insert(c.vmid);
        }
        if (c.op == smmuv3::OP_ATC_INV)
            sids.insert(c.sid);
    }
    EXPECT_EQ(vmids.size(), 2u);  // each VM's VINTF has its own VMID
    EXPECT_EQ(sids, (std::multiset<uint32_t>{0x20, 0x30}));

    // VM 1's guest issues an illegal command: only VM 1 hears of it.
    ASSERT_EQ(vm1.guest_put(0, f::OPCODE.put(smmuv3::OP_CFGI_STE) | f::CFGI_SID.put(5), 0), 0);
    vm1.guest_doorbell(0);
    EXPECT_EQ(vm1.guest_wait_consumed(0), -EIO);
    std::array<uint64_t, 2> map{};
    EXPECT_EQ(vm1.veventq_read(map), 0);
    EXPECT_EQ(map[0], 1u);
    EXPECT_EQ(vm0.veventq_read(map), -EAGAIN);
    // Stopped (CONS.ERR set): the queue is full by CONS's pointer bits
    // after 255 more commands, and the next fails at once, not waiting
    // for room a stopped queue never makes, nor overwriting command 0.
    for (unsigned i = 1; i < 256; i++)
        ASSERT_EQ(vm1.guest_put(0, f::OPCODE.put(smmuv3::OP_TLBI_NH_ASID) | f::TLBI_ASID.put(i), 0), 0) << i;
    const uint64_t t_full = ks.now_ns();
    EXPECT_EQ(vm1.guest_put(0, f::OPCODE.put(smmuv3::OP_CMD_SYNC), 0), -ENOSPC);
    EXPECT_LT(ks.now_ns() - t_full, 10000u);  // a few register reads, not the 1 ms wait
    // The guest recovers as Linux does, and its queue goes on.
    EXPECT_EQ(vm1.guest_skip_error(0), 1);
    vm1.guest_doorbell(0);
    EXPECT_EQ(vm1.guest_wait_consumed(0), 0);
    ASSERT_EQ(vm1.guest_put(0, f::OPCODE.put(smmuv3::OP_CMD_SYNC), 0), 0);
    vm1.guest_doorbell(0);
    EXPECT_EQ(vm1.guest_wait_consumed(0), 0);

    vm0.destroy();
    vm1.destroy();
    EXPECT_EQ(ks.user_memory().pins_live(), 0u);
    EXPECT_EQ(ks.user_memory().bytes_live(), 0u);
    for (unsigned v = 1; v < 3; v++)
        EXPECT_FALSE(bench.soc().cmdqv().vintf_enabled(v));
    remove_smmu_cleanly(ks);
}

TEST(KernelShimVmm, CreateReportsTheFailingStep)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0);
    Vm vm(ks);
    // No such endpoint: the bind fails as the kernel has nothing to bind.
    EXPECT_EQ(vm.create({7, 1ull << 20, 1ull << 30, UserMemory::Layout::Contiguous, 1}), -EINVAL);
    EXPECT_EQ(vm.failed_step(), "bind (VFIO_DEVICE_BIND_IOMMUFD)");
    EXPECT_EQ(vm.hw_queue_alloc(0, 1ull << 30, 4096), -ENODEV);
    vm.destroy();
    EXPECT_EQ(ks.user_memory().bytes_live(), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

}  // namespace
}  // namespace smmusim::kshim
