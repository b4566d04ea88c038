// SPDX-License-Identifier: GPL-2.0-only
// Kernel-level trace operations played through the real kernel code: a
// failing line is reported with its place, and what depends on it fails
// cleanly instead of taking the simulator down.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "player.h"
#include "report.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "vmm/kernel_trace_ops.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

TEST(KernelTraceOps, FailuresNameTheLineAndDependentsFailCleanly)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    KernelTraceOps ops(ks, bench.soc());
    // SID 0x1000000 is beyond the SMMU's SIDSIZE: the driver refuses the
    // endpoint, so the VM on it cannot be made, nor its queue.
    TracePlayer player(bench.soc(), smmusim::test::trace_text("kernel boot\n"
                                      "endpoint bad sid=0x1000000\n"
                                      "vm v endpoint=bad vsid=1\n"
                                      "hwqueue v index=0 gpa=0x40000000 size=0x1000\n"
                                      "endpoint good sid=0x10\n"
                                      "vm w endpoint=good vsid=1\n"
                                      "hwqueue w index=1 gpa=0x40000000 size=0x1000 expect=EIO\n"
                                      "hwqueue w index=0 gpa=0x40000000 size=0x1000 expect=EINVAL\n"
                                      "guest w skip 0\n"));
    player.validate();
    ASSERT_TRUE(player.uses_kernel());
    player.set_kernel(&ops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    const auto& f = player.failures();
    ASSERT_EQ(f.size(), 5u);
    EXPECT_NE(f[0].find(":2:1: endpoint bad: the IOMMU did not take it"), std::string::npos) << f[0];
    EXPECT_NE(f[1].find(":3:1: endpoint 'bad' does not exist"), std::string::npos) << f[1];
    EXPECT_NE(f[2].find(":4:1: VM 'v' does not exist"), std::string::npos) << f[2];
    // index 1 before 0 is EIO as expected (no failure); index 0 succeeds
    // where EINVAL was expected.
    EXPECT_NE(f[3].find(":8:1: IOMMU_HW_QUEUE_ALLOC: success, expected EINVAL"), std::string::npos) << f[3];
    EXPECT_NE(f[4].find(":9:1: guest LVCMDQ0 has no error to skip"), std::string::npos) << f[4];
    EXPECT_EQ(ops.version(), SMMUSIM_KERNEL_VERSION);
    // The trace left VM w alive: its end is the VMM's exit, which tore it
    // down while the simulation still ran.
    EXPECT_EQ(ks.user_memory().bytes_live(), 0u);
    EXPECT_EQ(ks.user_memory().pins_live(), 0u);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

// The statistics document (sim/report.h) of a kernel-level trace: who each
// VINTF served, from KernelTraceOps::vintf_owners().
TEST(Report, KernelTraceNamesTheVmOfEachQueue)
{
    TestBench b;
    TracePlayer player(b.soc(), SMMUSIM_TRACE_DIR "/multi-vm.trace");
    player.validate();
    kshim::KernelShim ks(b.soc());
    kshim::KernelTraceOps kops(ks, b.soc());
    player.set_kernel(&kops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    RunInfo info;
    info.ops = player.ops();
    info.complete = player.finished();
    info.vintf_owners = kops.vintf_owners();
    const nlohmann::json s = build_stats(b.soc(), info);
    // The host kernel's VINTF0 and one VINTF per VM, each VM on one queue.
    EXPECT_EQ(info.vintf_owners.at(0), "host");
    std::set<std::string> vms;
    for (const auto& q : s["queues"]) {
        if (q["kind"] != "vcmdq")
            continue;
        ASSERT_EQ(q["used_by"].size(), 1u) << q;
        const auto& u = q["used_by"][0];
        const std::string user = u["user"].get<std::string>();
        EXPECT_EQ(q["owner"], fmt::format("vintf{}({})", u["vintf"].get<unsigned>(), user));
        if (user != "host") {
            EXPECT_TRUE(vms.insert(user).second) << user << " on two queues";
        }
        // The VMs were destroyed: their queues are unmapped at the end.
        EXPECT_EQ(q["mapped_at_end"].is_null(), user != "host") << q;
    }
    EXPECT_EQ(vms, (std::set<std::string>{"vm0", "vm1", "vm2"}));
}

}  // namespace
}  // namespace smmusim::kshim
