// SPDX-License-Identifier: GPL-2.0-only
// The guest driver model of the study "VCMDQ vs trapped" issues, for an
// unmap, exactly the commands Linux 7.3's arm-smmu-v3 does
// (__arm_smmu_domain_inv_range, arm_smmu_cmdq_batch_add_range, batches of
// CMDQ_BATCH_ENTRIES): with IDR3.RIL one range TLBI_NH_VA per 5 bits of
// the page count (IHI 0070 4.4.1.1: TG, SCALE, NUM, TTL), without it one per
// granule, TLBI_NH_ASID from MAX_TLBI_OPS granules up; the model's own
// decoder agrees on what each covers.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "command_words.h"
#include "guest_driver.h"

namespace smmusim::studies {
namespace {

// Each submission as trace words: its commands, CMD_SYNC if it has one,
// then "doorbell".
std::vector<std::string> words(const std::vector<Submission>& subs)
{
    std::vector<std::string> w;
    for (const Submission& s : subs) {
        for (const smmuv3::EncodedCommand& c : s.cmds)
            w.push_back(command_words(c));
        if (s.sync)
            w.push_back("CMD_SYNC");
        w.push_back("doorbell");
    }
    return w;
}

std::vector<std::string> unmap(bool ril, uint64_t iova, uint64_t size)
{
    return words(guest_unmap_invalidation(GuestSmmu{ril}, GuestUnmap{iova, size, 12, 12, 1, true}));
}

// Bytes the decoder says the commands cover, summed (a TLBI without a
// range covers its one granule).
uint64_t decoded_span(const std::vector<Submission>& subs)
{
    uint64_t bytes = 0;
    for (const Submission& s : subs)
        for (const smmuv3::EncodedCommand& c : s.cmds) {
            const smmuv3::Decoded d = smmuv3::decode_command(c.dw0, c.dw1, smmuv3::CommandFeatures{});
            EXPECT_TRUE(d.ok) << d.why;
            bytes += d.cmd.span ? d.cmd.span : 0x1000;
        }
    return bytes;
}

TEST(GuestDriver, RangeInvalidation4K64K256K)
{
    EXPECT_EQ(unmap(true, 0x10000000, 0x1000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 leaf=1 ttl=3 tg=1 addr=0x10000000", "CMD_SYNC", "doorbell"}));
    EXPECT_EQ(unmap(true, 0x10000000, 0x10000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 scale=4 leaf=1 ttl=3 tg=1 addr=0x10000000", "CMD_SYNC",
                                        "doorbell"}));
    EXPECT_EQ(unmap(true, 0x10040000, 0x40000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 scale=6 leaf=1 ttl=3 tg=1 addr=0x10040000", "CMD_SYNC",
                                        "doorbell"}));
}

TEST(GuestDriver, RangeInvalidationSplitsAtFiveBitsOfPages)
{
    // 63 pages: 31 at scale 0 (NUM = 30), then 32 at scale 5.
    EXPECT_EQ(unmap(true, 0x200000, 63 * 0x1000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 num=30 leaf=1 ttl=3 tg=1 addr=0x200000",
                                        "TLBI_NH_VA asid=1 scale=5 leaf=1 ttl=3 tg=1 addr=0x21f000", "CMD_SYNC",
                                        "doorbell"}));
    const std::vector<Submission> subs =
        guest_unmap_invalidation(GuestSmmu{true}, GuestUnmap{0x200000, 63 * 0x1000, 12, 12, 1, true});
    EXPECT_EQ(decoded_span(subs), 63u * 0x1000);
}

TEST(GuestDriver, PerGranuleWithoutRil4K64K256K)
{
    EXPECT_EQ(unmap(false, 0x10000000, 0x1000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 leaf=1 addr=0x10000000", "CMD_SYNC", "doorbell"}));
    std::vector<std::string> want;
    for (unsigned i = 0; i < 16; i++)
        want.push_back(fmt::format("TLBI_NH_VA asid=1 leaf=1 addr={:#x}", 0x10000000 + i * 0x1000));
    want.insert(want.end(), {"CMD_SYNC", "doorbell"});
    EXPECT_EQ(unmap(false, 0x10000000, 0x10000), want);
    // 256 KiB: 64 pages fill one batch exactly; the sync goes with it.
    const std::vector<Submission> subs =
        guest_unmap_invalidation(GuestSmmu{false}, GuestUnmap{0x10040000, 0x40000, 12, 12, 1, true});
    ASSERT_EQ(subs.size(), 1u);
    EXPECT_TRUE(subs[0].sync);
    ASSERT_EQ(subs[0].cmds.size(), 64u);
    for (unsigned i = 0; i < 64; i++)
        EXPECT_EQ(command_words(subs[0].cmds[i]), fmt::format("TLBI_NH_VA asid=1 leaf=1 addr={:#x}", 0x10040000 + i * 0x1000));
    EXPECT_EQ(decoded_span(subs), 0x40000u);
}

TEST(GuestDriver, BatchOf64IssuedWithoutSyncBeforeThe65th)
{
    const std::vector<Submission> subs =
        guest_unmap_invalidation(GuestSmmu{false}, GuestUnmap{0x0, 65 * 0x1000, 12, 12, 1, true});
    ASSERT_EQ(subs.size(), 2u);
    EXPECT_EQ(subs[0].cmds.size(), 64u);
    EXPECT_FALSE(subs[0].sync);
    ASSERT_EQ(subs[1].cmds.size(), 1u);
    EXPECT_EQ(command_words(subs[1].cmds[0]), "TLBI_NH_VA asid=1 leaf=1 addr=0x40000");
    EXPECT_TRUE(subs[1].sync);
    EXPECT_EQ(command_count(subs), 65u);
}

TEST(GuestDriver, MaxTlbiOpsWithoutRilIsOneAsidInvalidation)
{
    // 512 granules of 4 KiB (MAX_TLBI_OPS): the whole ASID instead.
    EXPECT_EQ(unmap(false, 0x0, 0x200000), (std::vector<std::string>{"TLBI_NH_ASID asid=1", "CMD_SYNC", "doorbell"}));
    // One granule less: 511 TLBIs in 8 submissions (7 full batches, then 63 with the CMD_SYNC).
    EXPECT_EQ(unmap(false, 0x0, 0x1ff000).size(), 511u + 1 + 8);
    // With RIL any size is ranges; size 0 means everything.
    EXPECT_EQ(unmap(true, 0x0, 0x200000),
              (std::vector<std::string>{"TLBI_NH_VA asid=1 scale=9 leaf=1 ttl=3 tg=1", "CMD_SYNC", "doorbell"}));
    EXPECT_EQ(unmap(true, 0x0, 0), (std::vector<std::string>{"TLBI_NH_ASID asid=1", "CMD_SYNC", "doorbell"}));
}

}  // namespace
}  // namespace smmusim::studies
