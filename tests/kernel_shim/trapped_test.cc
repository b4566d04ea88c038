// SPDX-License-Identifier: GPL-2.0-only
// The trapped invalidation path (kernel_shim/vmm/trapped_cmdq.h): a VM whose
// vIOMMU is of type ARM_SMMUV3, its guest's emulated command queue, the
// VMM's IOMMU_HWPT_INVALIDATE through the real iommufd core and
// arm_vsmmu_cache_invalidate onto the host's SMMU CMDQ: what reaches the
// hardware (VMID and SID put in by the kernel), what the kernel refuses
// (its errno and entry_num, and CERROR_ILL for the guest, IHI 0070 7.1),
// that a guest cannot reach outside its VM, the costs of each trap, and
// the grammar's words for it.
#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "exact_figures.h"
#include "kernel_shim.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "trace.h"
#include "vmm/trapped_cmdq.h"
#include "vmm/vmm.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using smmusim::test::parse_error;
namespace f = smmuv3::cmdf;

constexpr uint64_t kGpa = 1ull << 30;

// A trapped VM on a fresh endpoint and its emulated CMDQ (256 commands at
// the base of guest RAM), with every command the host executes recorded.
struct TrappedVm {
    TrappedVm(KernelShim& ks, TestBench& bench, const std::string& name, uint32_t sid, uint32_t vsid)
        : vm(ks), stats(name), q(ks, vm, VmCosts{}, stats, bench.smmu().clock())
    {
        const int ep = ks.add_endpoint(name, {sid});
        Vm::Config c{ep, 1ull << 20, kGpa, UserMemory::Layout::Contiguous, vsid};
        c.viommu = Vm::Config::Viommu::ArmSmmuv3;
        created = vm.create(c);
        if (created == 0)
            enabled = q.enable(kGpa, 8);
    }
    Vm vm;
    TrapStats stats;
    TrappedCmdq q;
    int created = -1, enabled = -1;
};

struct Executed {
    explicit Executed(TestBench& bench)
    {
        bench.smmu().engine().add_observer([this](unsigned, const smmuv3::Command& c) { cmds.push_back(c); });
    }
    std::vector<smmuv3::Command> cmds;
};

uint64_t op(smmuv3::Opcode o) { return f::OPCODE.put(o); }

// The platform with the driver probed, every executed command recorded
// (kept past the test's VMs: their teardown executes commands too), and no
// kernel failure at the end.
class TrappedVmTest : public testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg(); }
    void TearDown() override { EXPECT_TRUE(ks.failures().empty()) << ks.failures_text(); }
    TestBench bench;
    KernelShim ks{bench.soc()};
    Executed seen{bench};
};

TEST_F(TrappedVmTest, InvalidationsReachTheHostCmdqWithTheVmsVmidAndSid)
{
    TrappedVm t(ks, bench, "vm0", 0x10, 2);
    ASSERT_EQ(t.created, 0) << t.vm.failed_step() << "\n" << ks.dmesg();
    ASSERT_EQ(t.enabled, 0);
    // No HW queue on an ARM_SMMUV3 vIOMMU: iommufd_hw_queue_alloc_ioctl
    // finds no get_hw_queue_size op.
    EXPECT_EQ(t.vm.hw_queue_alloc(0, kGpa + 0x10000, 4096), -EOPNOTSUPP);
    seen.cmds.clear();
    ASSERT_EQ(t.q.put(op(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(5), f::TLBI_LEAF.put(1) | 0x7f0000001000ull), 0);
    ASSERT_EQ(t.q.put(op(smmuv3::OP_CFGI_CD) | f::CFGI_SID.put(2), f::CFGI_LEAF.put(1)), 0);
    ASSERT_EQ(t.q.put(op(smmuv3::OP_ATC_INV) | f::ATC_SID.put(2), f::ATC_SIZE.put(52)), 0);
    ASSERT_EQ(t.q.put(op(smmuv3::OP_CMD_SYNC), 0), 0);
    EXPECT_TRUE(seen.cmds.empty());  // stores into guest RAM do not trap
    ASSERT_EQ(t.q.doorbell(), 0);
    EXPECT_EQ(t.q.wait_consumed(1000), 0);
    EXPECT_EQ(t.q.cons(), 4u);
    // The guest's CMD_SYNC stays in the VMM; the kernel closes its batch
    // with its own. The first nesting parent's VMID is 1.
    ASSERT_EQ(seen.cmds.size(), 4u);
    EXPECT_EQ(seen.cmds[0].op, smmuv3::OP_TLBI_NH_VA);
    EXPECT_EQ(seen.cmds[0].vmid, 1u);
    EXPECT_EQ(seen.cmds[0].asid, 5u);
    EXPECT_EQ(seen.cmds[1].op, smmuv3::OP_CFGI_CD);
    EXPECT_EQ(seen.cmds[1].sid, 0x10u);
    EXPECT_EQ(seen.cmds[2].op, smmuv3::OP_ATC_INV);
    EXPECT_EQ(seen.cmds[2].sid, 0x10u);
    EXPECT_EQ(seen.cmds[3].op, smmuv3::OP_CMD_SYNC);
    EXPECT_EQ(t.q.last_invalidation().result, 0);
    EXPECT_EQ(t.q.last_invalidation().sent, 3u);
    EXPECT_EQ(t.q.last_invalidation().done, 3u);
    EXPECT_EQ(t.stats.traps.value(), 3u);  // CMDQ_BASE, CR0, PROD
    EXPECT_EQ(t.stats.ioctls.value(), 1u);
    EXPECT_EQ(t.stats.forwarded.value(), 3u);
    EXPECT_EQ(t.stats.handled.value(), 1u);
    // Each trap: exit 1354 ns, dispatch 1000 ns, entry 1354 ns (1 GHz SMMU
    // clock: as many cycles), and 20 ns per command read.
    EXPECT_EQ(t.stats.exit_cycles.value(), 3u * 1354);
    EXPECT_EQ(t.stats.entry_cycles.value(), 3u * 1354);
    EXPECT_EQ(t.stats.dispatch_cycles.value(), 3u * 1000 + 4 * 20);
    ASSERT_EQ(t.stats.latency.count(), 1u);
    EXPECT_EQ(t.stats.latency.max(), 1354 + 1000 + 4 * 20 + t.stats.ioctl_cycles.value() + 1354);
    // The real code: MMIO, CMD_SYNC wait, CPU cost (cpu.*). Exact with the
    // kernel and compiler it was taken with; elsewhere, the CMD_SYNC's
    // round trip at least and well under the traps' own costs.
    if (exact_figures_hold()) {
        EXPECT_EQ(t.stats.ioctl_cycles.value(), 1445u);
    } else {
        EXPECT_GT(t.stats.ioctl_cycles.value(), 100u);
        EXPECT_LT(t.stats.ioctl_cycles.value(), 20000u);
    }
}

TEST_F(TrappedVmTest, ARefusedCommandIsTheIoctlsEioAndTheGuestsCerrorIll)
{
    TrappedVm t(ks, bench, "vm0", 0x10, 2);
    ASSERT_EQ(t.enabled, 0) << t.vm.failed_step();
    seen.cmds.clear();
    // A stage-2 TLBI is not a guest's to issue (arm_vsmmu_convert_user_cmd).
    ASSERT_EQ(t.q.put(op(smmuv3::OP_TLBI_NH_ALL), 0), 0);
    ASSERT_EQ(t.q.put(op(smmuv3::OP_TLBI_S2_IPA), 0x1000), 0);
    ASSERT_EQ(t.q.put(op(smmuv3::OP_CMD_SYNC), 0), 0);
    ASSERT_EQ(t.q.doorbell(), 0);  // the trap worked; the error is the guest's
    EXPECT_EQ(t.q.last_invalidation().result, -EIO);
    EXPECT_EQ(t.q.last_invalidation().sent, 2u);
    EXPECT_EQ(t.q.last_invalidation().done, 1u);  // entry_num: TLBI_NH_ALL converted...
    EXPECT_TRUE(seen.cmds.empty());               // ...but its batch was never issued
    // IHI 0070 7.1: CONS indexes the refused command, CONS.ERR = CERROR_ILL,
    // GERROR.CMDQ_ERR active; the queue stopped.
    EXPECT_TRUE(t.q.error());
    EXPECT_EQ(t.q.cons(), 1u | static_cast<uint32_t>(smmuv3::q::CONS_ERR.put(smmuv3::CERROR_ILL)));
    EXPECT_EQ(t.q.wait_consumed(1000), -EIO);
    EXPECT_EQ(t.stats.ioctl_errors.value(), 1u);
    EXPECT_EQ(t.stats.cerrors.value(), 1u);
    // The guest's recovery: the bad command becomes a CMD_SYNC, GERRORN
    // resumes the queue, which the VMM completes without the kernel.
    EXPECT_EQ(t.q.skip_error(), 1);
    EXPECT_FALSE(t.q.error());
    EXPECT_EQ(t.q.wait_consumed(1000), 0);
    EXPECT_EQ(t.q.cons(), 3u);
    EXPECT_TRUE(seen.cmds.empty());
    EXPECT_EQ(t.q.skip_error(), 0);
}

TEST_F(TrappedVmTest, AGuestCannotReachOutsideItsVmidAndItsVsids)
{
    TrappedVm a(ks, bench, "vma", 0x20, 5);
    TrappedVm b(ks, bench, "vmb", 0x30, 6);
    ASSERT_EQ(a.enabled, 0) << a.vm.failed_step();
    ASSERT_EQ(b.enabled, 0) << b.vm.failed_step();
    seen.cmds.clear();
    // VM b's vSID, and a vSID nobody has: no vDEVICE of VM a, so EIO
    // (arm_vsmmu_vsid_to_sid), nothing executed.
    for (uint32_t vsid : {6u, 7u}) {
        ASSERT_EQ(a.q.put(op(smmuv3::OP_CFGI_CD_ALL) | f::CFGI_SID.put(vsid), 0), 0);
        ASSERT_EQ(a.q.doorbell(), 0);
        EXPECT_EQ(a.q.last_invalidation().result, -EIO) << vsid;
        EXPECT_EQ(a.q.last_invalidation().done, 0u) << vsid;
        EXPECT_TRUE(a.q.error());
        EXPECT_EQ(a.q.skip_error(), 1);
    }
    EXPECT_TRUE(seen.cmds.empty());
    // A VMID of its own choosing is replaced by its VM's; its vSID 5 is
    // its device's SID 0x20 alone.
    ASSERT_EQ(a.q.put(op(smmuv3::OP_TLBI_NH_ASID) | f::TLBI_VMID.put(2) | f::TLBI_ASID.put(3), 0), 0);
    ASSERT_EQ(a.q.put(op(smmuv3::OP_ATC_INV) | f::ATC_SID.put(5), f::ATC_SIZE.put(52)), 0);
    ASSERT_EQ(a.q.doorbell(), 0);
    ASSERT_EQ(seen.cmds.size(), 3u);
    EXPECT_EQ(seen.cmds[0].op, smmuv3::OP_TLBI_NH_ASID);
    EXPECT_EQ(seen.cmds[0].vmid, 1u);  // VM a's nesting parent; VM b's is 2
    EXPECT_EQ(seen.cmds[1].sid, 0x20u);
    EXPECT_EQ(seen.cmds[2].op, smmuv3::OP_CMD_SYNC);
}

TEST_F(TrappedVmTest, TheAcceleratedVmIsUnchanged)
{
    Vm vm(ks);
    ASSERT_EQ(vm.create({ks.add_endpoint("gpu0", {0x10}), 1ull << 20, kGpa, UserMemory::Layout::Contiguous, 2}), 0);
    EXPECT_FALSE(vm.trapped());
    EXPECT_EQ(vm.hw_queue_alloc(0, kGpa, 4096), 0);  // a VINTF's LVCMDQ, as before
}

// The grammar: viommu=, the trapped VM's index-less queue operations, and
// each refusal at its column.
TEST(TrappedVmParse, WordsAndRefusals)
{
    const std::string head = "kernel boot\nendpoint e sid=0x10\nvm v endpoint=e vsid=1 viommu=arm-smmuv3\n"
                             "vm w endpoint=e vsid=2 viommu=tegra241-cmdqv\n";
    std::vector<TraceOp> ops;
    ASSERT_EQ(parse_error(head + "guest v enable gpa=0x40001000 log2size=4\n"
                                 "guest v cmd TLBI_NH_ASID asid=1\n"
                                 "guest v cmd 0 CMD_SYNC\n"
                                 "guest v doorbell\n"
                                 "guest v wait 0 timeout=10\n"
                                 "guest v skip 0\n"
                                 "guest v enable\n",
                          &ops),
              "");
    ASSERT_EQ(ops.size(), 11u);
    EXPECT_TRUE(ops[2].kop.trapped);
    EXPECT_FALSE(ops[3].kop.trapped);
    EXPECT_EQ(ops[4].kop.verb, KernelOp::Verb::GuestEnable);
    EXPECT_EQ(ops[4].kop.queue_gpa, 0x40001000u);
    EXPECT_TRUE(ops[4].kop.queue_gpa_given);
    EXPECT_EQ(ops[4].kop.log2size, 4u);
    EXPECT_EQ(ops[5].kop.verb, KernelOp::Verb::GuestCmd);
    EXPECT_EQ(ops[5].kop.dw0, op(smmuv3::OP_TLBI_NH_ASID) | f::TLBI_ASID.put(1));
    EXPECT_EQ(ops[6].kop.dw0, op(smmuv3::OP_CMD_SYNC));
    EXPECT_EQ(ops[7].kop.verb, KernelOp::Verb::GuestDoorbell);
    EXPECT_EQ(ops[8].kop.timeout_ns, 10u);
    EXPECT_EQ(ops[9].kop.verb, KernelOp::Verb::GuestSkip);
    EXPECT_FALSE(ops[10].kop.queue_gpa_given);  // guest RAM's base
    EXPECT_EQ(ops[10].kop.log2size, 8u);
    // gpa=0 is guest PA 0, not "not given" (newcomer17).
    ops.clear();
    ASSERT_EQ(parse_error(head + "guest v enable gpa=0\n", &ops), "");
    EXPECT_TRUE(ops[4].kop.queue_gpa_given);
    EXPECT_EQ(ops[4].kop.queue_gpa, 0u);
    struct Row {
        std::string line, where, what;
    };
    for (const Row& r : std::vector<Row>{
             {"guest v cmd 1 CMD_SYNC", ":5:13:", "VM 'v' has a trapped vIOMMU (arm-smmuv3): one emulated command queue"},
             {"guest v doorbell 2", ":5:18:", "VM 'v' has a trapped vIOMMU (arm-smmuv3): one emulated command queue, index 0 (or none)"},
             {"guest v doorbell 0 0", ":5:20:", "unexpected '0'"},
             {"guest v enable log2size=20", ":5:25:", "log2size is from 1 to 19"},
             {"guest v enable gpa=0x40000800", ":5:20:", "the queue's base must be aligned to its size (0x1000 bytes)"},
             {"guest v enable fast=1", ":5:16:", "unknown argument 'fast' (expected gpa, log2size)"},
             {"guest v poke", ":5:9:", "expected cmd, enable, doorbell, wait, skip, stage1, map or unmap"},
             {"guest w doorbell", ":5:17:", "expected an action and an LVCMDQ index after 'w'"},
             {"vm x endpoint=e vsid=3 viommu=smmu", ":5:31:", "expected 'tegra241-cmdqv' or 'arm-smmuv3', got 'smmu'"},
         }) {
        const std::string err = parse_error(head + r.line + "\n");
        EXPECT_NE(err.find(r.where + " " + r.what), std::string::npos) << r.line << "\n -> " << err;
    }
    // A destroyed trapped VM's name may be a VINTF VM's again.
    EXPECT_EQ(parse_error(head + "vm v destroy\nvm v endpoint=e vsid=1\nguest v doorbell 0\n"), "");
}

}  // namespace
}  // namespace smmusim::kshim
