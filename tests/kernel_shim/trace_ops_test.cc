// SPDX-License-Identifier: GPL-2.0-only
// Kernel-level trace operations played through the real kernel code: a
// failing line is reported with its place, and what depends on it fails
// cleanly instead of taking the simulator down.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "player.h"
#include "support/testbench.h"
#include "trace_ops.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

std::string write_trace(const std::string& text)
{
    char path[] = "/tmp/smmusim-ktrace-XXXXXX";
    const int fd = mkstemp(path);
    FILE* f = fdopen(fd, "w");
    fputs(text.c_str(), f);
    fclose(f);
    return path;
}

TEST(KernelTraceOps, FailuresNameTheLineAndDependentsFailCleanly)
{
    TestBench bench;
    KernelShim ks(bench.soc());
    KernelTraceOps ops(ks);
    // SID 0x1000000 is beyond the SMMU's SIDSIZE: the driver refuses the
    // endpoint, so the VM on it cannot be made, nor its queue.
    const std::string p = write_trace("kernel boot\n"
                                      "endpoint bad sid=0x1000000\n"
                                      "vm v endpoint=bad vsid=1\n"
                                      "hwqueue v index=0 gpa=0x40000000 size=0x1000\n"
                                      "endpoint good sid=0x10\n"
                                      "vm w endpoint=good vsid=1\n"
                                      "hwqueue w index=1 gpa=0x40000000 size=0x1000 expect=EIO\n"
                                      "hwqueue w index=0 gpa=0x40000000 size=0x1000 expect=EINVAL\n"
                                      "guest w skip 0\n");
    TracePlayer player(bench.soc(), p);
    player.validate();
    ASSERT_TRUE(player.uses_kernel());
    player.set_kernel(&ops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    remove(p.c_str());
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

}  // namespace
}  // namespace smmusim::kshim
