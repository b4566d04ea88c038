// SPDX-License-Identifier: GPL-2.0-only
// CMDQ_ALLOC: LVCMDQs are mapped in ascending and unmapped in descending
// order. A write that breaks the rule (or maps a slot twice, or unmaps a
// queue that is still enabled) is ignored and counted in alloc_violations.
#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::test;

namespace {
bool allocated(TestBench& b, unsigned q) { return b.cmdqv_rd(cmdq_alloc(q)) & 1; }
void unmap(TestBench& b, unsigned q) { b.cmdqv_wr(cmdq_alloc(q), b.cmdqv_rd(cmdq_alloc(q)) & ~1ull); }
}  // namespace

TEST(CmdqvAlloc, AscendingMapDescendingUnmap)
{
    TestBench b({"cmdqv.vintfs_log2=1", "cmdqv.vcmdqs_log2=3"});  // 4 LVCMDQs per VINTF
    Cmdqv& c = b.soc().cmdqv();
    b.run([&] {
        enable_cmdqv(b);
        map_lvcmdq(b, 2, 1, 1);  // LVCMDQ1 before LVCMDQ0: refused
        EXPECT_FALSE(allocated(b, 2));
        map_lvcmdq(b, 2, 1, 0);
        map_lvcmdq(b, 6, 1, 1);
        map_lvcmdq(b, 3, 1, 2);
        EXPECT_TRUE(allocated(b, 2) && allocated(b, 6) && allocated(b, 3));
        EXPECT_EQ(c.lvcmdq(1, 0), 2);
        EXPECT_EQ(c.lvcmdq(1, 1), 6);
        EXPECT_EQ(c.lvcmdq(1, 2), 3);
        map_lvcmdq(b, 7, 1, 1);  // slot taken: refused
        EXPECT_FALSE(allocated(b, 7));
        unmap(b, 6);  // LVCMDQ2 is still mapped: refused
        EXPECT_TRUE(allocated(b, 6));
        // Remapping a mapped VCMDQ elsewhere without unmapping: refused.
        map_lvcmdq(b, 3, 0, 0);
        EXPECT_EQ(c.lvcmdq(1, 2), 3);
        unmap(b, 3);
        unmap(b, 6);
        unmap(b, 2);
        EXPECT_EQ(c.lvcmdq(1, 0), -1);
        EXPECT_EQ(vintf_status::VI_NUM_LVCMDQ.get(b.cmdqv_rd(vintf(1) + VINTF_STATUS)), 0u);
        // Beyond the LVCMDQs of a VINTF: refused.
        map_lvcmdq(b, 1, 0, 4);
        EXPECT_FALSE(allocated(b, 1));
    });
    EXPECT_EQ(c.stats().value("alloc_violations"), 5u);
}

TEST(CmdqvAlloc, EnabledQueueCannotBeUnmapped)
{
    TestBench b;
    b.run([&] {
        enable_host_lvcmdq0(b);
        unmap(b, 0);
        EXPECT_TRUE(allocated(b, 0));
        write_config(b, lvq0(0, 0, VCMDQ_CONFIG), lvq0(0, 0, VCMDQ_STATUS), 0);
        unmap(b, 0);
        EXPECT_FALSE(allocated(b, 0));
    });
    EXPECT_EQ(b.soc().cmdqv().stats().value("alloc_violations"), 1u);
}

TEST(CmdqvAlloc, CmdqvDisableReleasesEveryMapping)
{
    TestBench b;
    b.run([&] {
        enable_host_lvcmdq0(b);
        map_lvcmdq(b, 1, 0, 1);
        write_config(b, CONFIG, STATUS, 0);
        EXPECT_FALSE(allocated(b, 0));
        EXPECT_FALSE(allocated(b, 1));
        EXPECT_EQ(b.cmdqv_rd(vq0(0, VCMDQ_STATUS)), 0u);
        EXPECT_EQ(b.cmdqv_rd(vintf(0) + VINTF_STATUS), 0u);
        // The other ALLOC fields stay, so the driver's reset sequence can
        // map again after re-enabling.
        EXPECT_EQ(alloc::LVCMDQ.get(b.cmdqv_rd(cmdq_alloc(1))), 1u);
        enable_cmdqv(b);
        map_lvcmdq(b, 0, 0, 0);
        EXPECT_TRUE(allocated(b, 0));
    });
    EXPECT_TRUE(b.finished());
}
