// SPDX-License-Identifier: GPL-2.0-only
// VintfWatch (kernel_shim/vmm/vintf_watch.h) follows VINTF_STATUS.ENABLED
// of every VINTF as the CMDQV model changes it, on enables, disables and
// the CMDQV's own disable (which takes every VINTF down): it always agrees
// with the registers, without reading them.
#include <cstdint>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv/cmdqv_regs.h"
#include "driver/sequences.h"
#include "support/testbench.h"
#include "vmm/vintf_watch.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

uint64_t enabled_in_registers(TestBench& b)
{
    uint64_t m = 0;
    for (unsigned v = 0; v < b.soc().cmdqv().num_vintfs(); v++)
        m |= uint64_t{b.soc().cmdqv().vintf_enabled(v)} << v;
    return m;
}

TEST(VintfWatch, AgreesWithVintfStatusThroughEnablesAndDisables)
{
    TestBench bench;
    ASSERT_EQ(bench.soc().cmdqv().num_vintfs(), 64u);
    VintfWatch watch(bench.soc());
    EXPECT_EQ(watch.enabled(), 0u);
    const uint64_t cmdqv = bench.cmdqv_base();
    const uint64_t vintf63 = cmdqv + cmdqv::vintf(63);
    bench.run([&] {
        ASSERT_TRUE(driver::cmdqv_enable(bench, cmdqv));
        ASSERT_TRUE(driver::vintf_enable(bench, cmdqv, 0, true, 0));
        ASSERT_TRUE(driver::vintf_enable(bench, cmdqv, 63, false, 7));
        EXPECT_EQ(watch.enabled(), 1u | 1ull << 63);
        EXPECT_EQ(watch.enabled(), enabled_in_registers(bench));
        // VINTF 63 off (EN cleared), then the CMDQV off: every VINTF goes.
        ASSERT_TRUE(driver::write_config(bench, vintf63 + cmdqv::VINTF_CONFIG, vintf63 + cmdqv::VINTF_STATUS, 0));
        EXPECT_EQ(watch.enabled(), 1u);
        ASSERT_TRUE(driver::write_config(bench, cmdqv + cmdqv::CONFIG, cmdqv + cmdqv::STATUS, 0));
        EXPECT_EQ(watch.enabled(), enabled_in_registers(bench));
        EXPECT_EQ(watch.enabled(), 0u);
    });
    ASSERT_TRUE(bench.finished());
}

TEST(VintfWatch, APlatformWithoutCmdqvHasNoVintf)
{
    TestBench bench({"cmdqv.present=false"});
    VintfWatch watch(bench.soc());
    EXPECT_EQ(watch.enabled(), 0u);
}

}  // namespace
}  // namespace smmusim::kshim
