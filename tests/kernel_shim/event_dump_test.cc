// SPDX-License-Identifier: GPL-2.0-only
// find_event_dumps() on log records shaped as arm_smmu_dump_event() prints
// them (the real driver's lines are checked end to end in dma_op_test.cc):
// the two forms (with and without the attribute line), "%#x" zeros, a
// report cut short, and other messages around them.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "vmm/event_dump.h"

namespace smmusim::kshim {
namespace {

const std::string kDev = "arm-smmu-v3 10000000.iommu: ";

void add(std::vector<LogRecord>& log, const std::string& text) { log.push_back({3, 0, kDev + text}); }

void raw(std::vector<LogRecord>& log)
{
    for (int i = 0; i < 4; i++)
        add(log, "\t0x0000000000000010");
}

TEST(EventDump, FindsEachCompleteReport)
{
    std::vector<LogRecord> log;
    add(log, "something else");
    add(log, "event 0x10 received:");
    raw(log);
    add(log, "event: F_TRANSLATION client: e sid: 0x10 ssid: 0 iova: 0x100800 ipa: 0");
    add(log, "unpriv data read s1 \"Input address caused fault\" stag: 0x0");
    add(log, "event 0x04 received:");
    raw(log);
    add(log, "event: C_BAD_STE client: (unassigned sid) sid: 0 ssid: 0x5");
    add(log, "event 0x13 received:");  // cut short: no decoded lines
    raw(log);

    const auto d = find_event_dumps(log, 0);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0].first, 1u);
    EXPECT_EQ(d[0].last, 7u);
    EXPECT_EQ(d[0].id, 0x10);
    EXPECT_EQ(d[0].name, "F_TRANSLATION");
    EXPECT_EQ(d[0].sid, 0x10u);
    EXPECT_EQ(d[0].ssid, 0u);
    EXPECT_TRUE(d[0].has_iova);
    EXPECT_EQ(d[0].iova, 0x100800u);
    EXPECT_EQ(d[1].first, 8u);
    EXPECT_EQ(d[1].last, 13u);
    EXPECT_EQ(d[1].id, 0x04);
    EXPECT_EQ(d[1].name, "C_BAD_STE");
    EXPECT_EQ(d[1].sid, 0u);
    EXPECT_EQ(d[1].ssid, 5u);
    EXPECT_FALSE(d[1].has_iova);

    // From a later record on, only what starts there.
    EXPECT_EQ(find_event_dumps(log, 2).size(), 1u);
}

TEST(EventDump, ATranslationFaultWithoutItsAttributeLineIsNotOne)
{
    std::vector<LogRecord> log;
    add(log, "event 0x10 received:");
    raw(log);
    add(log, "event: F_TRANSLATION client: e sid: 0x10 ssid: 0 iova: 0x1000 ipa: 0");
    EXPECT_TRUE(find_event_dumps(log, 0).empty());
}

}  // namespace
}  // namespace smmusim::kshim
