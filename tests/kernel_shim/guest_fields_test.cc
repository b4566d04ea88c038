// SPDX-License-Identifier: GPL-2.0-only
// A guest's commands on its iommufd HW queue (an LVCMDQ of its VINTF), as
// the hardware executes them: every command arrives exactly once, in order,
// with the guest's fields except those the CMDQV must substitute (Tegra241
// CMDQV: the VINTF's VMID in every TLBI, the physical SID of an ATC_INV);
// the VMID is the one the device's STE uses (STE.S2VMID, Arm IHI 0070
// 5.2), or the guest's invalidations would miss its TLB entries. The HW
// queue is as long as the VMM asked (VCMDQ_BASE.LOG2SIZE, the base the
// guest PA's frame) and small enough to wrap a dozen times.
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "cmd_record.h"
#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "cmdqv/vcmdq.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/stream_table.h"
#include "support/testbench.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using smmusim::test::ste_word;
using smmusim::test::CmdRecord;
namespace f = smmuv3::cmdf;

constexpr uint32_t kSid = 0x10, kVsid = 2;
constexpr uint64_t kGpa = 1ull << 30;

// Guest commands, distinct one from another: a TLBI_NH_VA (the guest
// writes VMID 0x55, which the CMDQV must replace) or an ATC_INV of its vSID.
void guest_cmd(unsigned i, uint64_t& dw0, uint64_t& dw1)
{
    if (i % 3 == 2) {
        dw0 = f::OPCODE.put(smmuv3::OP_ATC_INV) | f::ATC_SID.put(kVsid);
        dw1 = f::ATC_ADDR.put(i) | f::ATC_SIZE.put(0);
    } else {
        dw0 = f::OPCODE.put(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(1 + i % 7) | f::TLBI_VMID.put(0x55);
        dw1 = f::TLBI_VA.put(0x100 + i) | f::TLBI_LEAF.put(1);
    }
}

class GuestWrap : public testing::TestWithParam<unsigned> {};

// 400 commands through a 32-entry LVCMDQ (and a 64-entry one), in rings of
// up to 20 or until the guest finds the queue full.
TEST_P(GuestWrap, EveryCommandArrivesOnceWithTheVintfsVmidAndThePhysicalSid)
{
    const unsigned entries = GetParam();
    TestBench bench;
    KernelShim ks(bench.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
    const int ep = ks.add_endpoint("gpu0", {kSid});
    ASSERT_GE(ep, 0);
    Vm vm(ks);
    ASSERT_EQ(vm.create({ep, 2ull << 20, kGpa, UserMemory::Layout::Contiguous, kVsid}), 0)
        << vm.failed_step() << "\n" << ks.dmesg();
    const uint64_t qgpa = kGpa + 0x10000;
    ASSERT_EQ(vm.hw_queue_alloc(0, qgpa, entries * 16), 0) << ks.dmesg();
    ASSERT_EQ(vm.guest_enable(0), 0);

    // The HW queue the VMM asked for: one VCMDQ mapped to a guest VINTF as
    // its LVCMDQ0, LOG2SIZE = log2(entries), based at the queue's frame.
    Cmdqv& c = bench.soc().cmdqv();
    int q = -1;
    for (unsigned v = 1; v < c.num_vintfs(); v++)
        if (c.vintf_enabled(v) && c.lvcmdq(v, 0) >= 0)
            q = c.lvcmdq(v, 0);
    ASSERT_GE(q, 0);
    const uint64_t base = c.vcmdq(static_cast<unsigned>(q)).reg(1, cmdqv::VCMDQ_BASE);
    EXPECT_EQ(1u << cmdqv::vcmdq_base::LOG2SIZE.get(base), entries);
    EXPECT_EQ(cmdqv::vcmdq_base::ADDR.get(base) << 5, vm.ram_pa(qgpa));

    // The VMID of the device's stage 2 (STE.S2VMID, bits [143:128]).
    const uint64_t s2vmid = ste_word(bench, kSid, 2) & 0xffff;
    EXPECT_NE(s2vmid, 0u);

    CmdRecord rec(bench.smmu().engine());
    constexpr unsigned kCmds = 400;
    unsigned sent = 0, rings = 0;
    while (sent < kCmds) {
        for (unsigned n = 0; n < 20 && sent < kCmds; n++, sent++) {
            uint64_t dw0, dw1;
            guest_cmd(sent, dw0, dw1);
            if (vm.guest_put(0, dw0, dw1) == -ENOSPC)
                break;
        }
        vm.guest_doorbell(0);
        const int r = vm.guest_wait_consumed(0);
        rings++;
        if (r) {  // stop here, and still tear the VM down
            ADD_FAILURE() << "guest_wait_consumed: " << r << " after " << sent << " commands";
            break;
        }
    }
    EXPECT_EQ(rec.cmds.size(), kCmds);
    for (unsigned i = 0; i < std::min<size_t>(kCmds, rec.cmds.size()); i++) {
        uint64_t dw0, dw1;
        guest_cmd(i, dw0, dw1);
        const smmuv3::Command& x = rec.cmds[i].cmd;
        SCOPED_TRACE(fmt::format("command {}: {:#x} {:#x}", i, x.dw0, x.dw1));
        EXPECT_EQ(rec.cmds[i].queue, fmt::format("cmdqv.vcmdq{}", q));
        EXPECT_EQ(x.dw1, dw1);  // address, size, leaf: as the guest wrote them
        EXPECT_EQ(x.op, f::OPCODE.get(dw0));
        if (x.op == smmuv3::OP_TLBI_NH_VA) {
            EXPECT_EQ(x.asid, 1 + i % 7);
            EXPECT_EQ(x.vmid, s2vmid);
        } else {
            EXPECT_EQ(x.sid, kSid);
        }
    }
    EXPECT_GE(kCmds / entries, 6u);  // the queue wrapped at least six times
    EXPECT_GE(rings, kCmds / 20);
    vm.destroy();
    ks.remove_smmu();
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
}

INSTANTIATE_TEST_SUITE_P(KernelShimCmdFields, GuestWrap, testing::Values(32u, 64u));

}  // namespace
}  // namespace smmusim::kshim
