// SPDX-License-Identifier: GPL-2.0-only
// The endpoint function's configuration space (models/endpoint/
// pci_config.h): the ATS Extended Capability's layout and which of its
// bits software can write.
#include <gtest/gtest.h>

#include "endpoint/pci_config.h"

using namespace smmusim;
using namespace smmusim::endpoint;
using namespace smmusim::endpoint::pcicfg;

namespace {
uint32_t rd(const PciConfigSpace& c, unsigned off, unsigned size)
{
    uint32_t v = 0;
    EXPECT_TRUE(c.read(off, size, v));
    return v;
}
}  // namespace

TEST(PciConfig, HeaderAndAtsCapabilityLayout)
{
    EndpointParams p;
    p.ats_inv_queue_depth = 8;
    const PciConfigSpace c({0x10de, 0x1234, 0x020000}, true, p);
    EXPECT_EQ(rd(c, VENDOR_ID, 2), 0x10deu);
    EXPECT_EQ(rd(c, DEVICE_ID, 2), 0x1234u);
    EXPECT_EQ(rd(c, CLASS_REVISION, 4), 0x02000000u);
    // Capability ID 0x000F, version 1, no next capability.
    EXPECT_EQ(rd(c, EXT_CAP_START, 4), 0x0001000fu);
    EXPECT_EQ(rd(c, EXT_CAP_START + ATS_CAP, 2), 8u | ATS_CAP_PAGE_ALIGNED | ATS_CAP_GLOBAL_INV);
    EXPECT_EQ(rd(c, EXT_CAP_START + ATS_CTRL, 2), 0u);
    EXPECT_FALSE(c.ats_enabled());
}

TEST(PciConfig, OnlyEnableAndStuAreWritableInAtsControl)
{
    PciConfigSpace c({}, true, EndpointParams{});
    EXPECT_TRUE(c.write(EXT_CAP_START + ATS_CTRL, 2, 0xffff));
    EXPECT_EQ(rd(c, EXT_CAP_START + ATS_CTRL, 2), 0x801fu);
    EXPECT_TRUE(c.ats_enabled());
    EXPECT_EQ(c.ats_stu_shift(), 12u + 31u);
    EXPECT_TRUE(c.write(EXT_CAP_START + ATS_CTRL, 2, ATS_CTRL_ENABLE | 0));
    EXPECT_EQ(c.ats_stu_shift(), 12u);
    EXPECT_TRUE(c.write(EXT_CAP_START, 4, 0));           // the header is read-only
    EXPECT_EQ(rd(c, EXT_CAP_START, 4), 0x0001000fu);
    EXPECT_TRUE(c.write(EXT_CAP_START + ATS_CAP, 2, 0));  // so is the capability register
    EXPECT_NE(rd(c, EXT_CAP_START + ATS_CAP, 2), 0u);
    EXPECT_EQ(c.ats_ctrl_writes(), 2u);
}

TEST(PciConfig, WithoutAtsTheExtendedSpaceIsEmpty)
{
    PciConfigSpace c({}, false, EndpointParams{});
    EXPECT_EQ(rd(c, EXT_CAP_START, 4), 0u);
    EXPECT_TRUE(c.write(EXT_CAP_START + ATS_CTRL, 2, ATS_CTRL_ENABLE));
    EXPECT_FALSE(c.ats_enabled());
}

TEST(PciConfig, MisalignedOrOutOfRangeAccessesReadAllOnes)
{
    PciConfigSpace c({}, true, EndpointParams{});
    uint32_t v = 0;
    EXPECT_FALSE(c.read(0x101, 2, v));
    EXPECT_EQ(v, ~0u);
    EXPECT_FALSE(c.read(kSize, 4, v));
    EXPECT_FALSE(c.read(0, 3, v));
    EXPECT_FALSE(c.write(kSize - 2, 4, 0));
}
