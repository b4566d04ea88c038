// SPDX-License-Identifier: GPL-2.0-only
// Nested walks (walk.h walk_nested, Stage2Reader): a guest's stage 1 in
// IPA space under a stage 2, built with PgtableBuilder as a VMM builds a
// guest's tables in guest RAM. Stage-2 faults on a stage-1 table fetch
// (CLASS = TT) and on the final IPA (CLASS = IN), stage-1 faults first,
// external aborts on either stage's reads, S2PTW, the combined result and
// the reads counted (IHI 0070 3.4, 7.3 CLASS/S2/IPA).
#include <gtest/gtest.h>

#include "smmuv3/evtq.h"
#include "smmuv3/translation/pgtable_builder.h"
#include "smmuv3/translation/walk.h"
#include "smmuv3/translation/table_memory.h"

namespace smmusim::smmuv3 {
namespace {

using test::TableMemory;

// Guest RAM: IPA [kIpaRam, +64 MiB) is PA [kPaRam, +64 MiB).
constexpr uint64_t kIpaRam = 0x4000'0000, kPaRam = 0x1'0000'0000, kRamSize = 64ull << 20;
constexpr uint64_t kGuestTables = kIpaRam + (32ull << 20);  // the guest's table pool (IPAs)

// The guest's writer: tables at IPAs, written at the PA stage 2 gives them.
class GuestRam : public TableWriter {
public:
    explicit GuestRam(TableMemory& m) : m_(m) {}
    void write64(uint64_t ipa, uint64_t v) override { m_.write64(ipa - kIpaRam + kPaRam, v); }
    uint64_t alloc_table(uint64_t bytes) override
    {
        const uint64_t ipa = (next_ + bytes - 1) & ~(bytes - 1);
        next_ = ipa + bytes;
        return ipa;
    }

private:
    TableMemory& m_;
    uint64_t next_ = kGuestTables;
};

StageConfig geometry(Granule g, unsigned ia_bits, unsigned start)
{
    StageConfig c;
    c.granule = g;
    c.ia_bits = ia_bits;
    c.start_level = start;
    return c;
}

const Access kRead{};
const Access kWrite{true, false, false};

struct Nested : ::testing::Test {
    TableMemory mem;
    GuestRam guest{mem};
    // Stage 2: 4K, 40-bit IPA from level 1 (two concatenated tables), as Linux builds it.
    PgtableBuilder s2{geometry(Granule::k4K, 40, 1), Stage::S2, mem};
    PgtableBuilder s1{geometry(Granule::k4K, 48, 0), Stage::S1, guest};

    void SetUp() override
    {
        MapAttrs ram;
        ram.attr = 0xf;          // Normal write-back
        ram.pages_only = true;   // so a test can unmap one page of the table pool
        s2.map(kIpaRam, kPaRam, kRamSize, ram);
    }
    WalkOutcome run(uint64_t va, const Access& a = kRead, WalkStats* st = nullptr)
    {
        return walk_nested(s1.config(), s2.config(), va, a, mem, st);
    }
};

TEST_F(Nested, TranslatesThroughBothStagesAndCountsEveryRead)
{
    s1.map(0x10'0000, kIpaRam + 0x20'0000, 0x1000);
    WalkStats st;
    const auto o = run(0x10'0abc, kRead, &st);
    ASSERT_TRUE(o.ok()) << int(o.fault.type);
    EXPECT_EQ(o.result.oa, kPaRam + 0x20'0abc);
    EXPECT_EQ(o.result.ipa, kIpaRam + 0x20'0abc);
    EXPECT_EQ(o.result.page_size, 0x1000u);
    EXPECT_EQ(o.result.page_base_in, 0x10'0000u);
    // Four stage-1 reads; each, and the output IPA, is a 3-read stage-2 walk (levels 1..3).
    EXPECT_EQ(st.s1_reads, (std::array<uint32_t, 4>{1, 1, 1, 1}));
    EXPECT_EQ(st.s2_reads, (std::array<uint32_t, 4>{0, 5, 5, 5}));
    EXPECT_EQ(st.reads(), 19u);
    EXPECT_EQ(o.steps[0].table, s1.ttb());  // stage-1 tables by IPA
}

TEST_F(Nested, PageSizeIsTheSmallerOfTheTwoStages)
{
    s1.map(0x4000'0000, kIpaRam, 2ull << 20);  // a 2 MiB stage-1 block over 4K stage-2 pages
    const auto o = run(0x4012'3456);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, kPaRam + 0x12'3456);
    EXPECT_EQ(o.result.page_size, 0x1000u);
    EXPECT_EQ(o.result.page_base_in, 0x4012'3000u);
    EXPECT_EQ(o.result.level, 3u);
}

TEST_F(Nested, Stage2FaultOnAStage1TableFetchIsClassTt)
{
    s1.map(0x10'0000, kIpaRam, 0x1000);
    const uint64_t l2_desc_ipa = s1.descriptor_pa(0x10'0000, 2);
    s2.unmap(l2_desc_ipa & ~0xfffull, 0x1000);
    const auto o = run(0x10'0000);
    EXPECT_EQ(o.fault.type, evt::F_TRANSLATION);
    EXPECT_TRUE(o.fault.s2);
    EXPECT_EQ(o.fault.cls, Fault::Class::Tt);
    EXPECT_EQ(o.fault.ipa, l2_desc_ipa);
    EXPECT_EQ(o.fault.input_addr, 0x10'0000u);
    EXPECT_EQ(o.fault.level, 3u);  // the stage-2 level that had no page
}

TEST_F(Nested, Stage2FaultOnTheOutputIpaIsClassIn)
{
    s1.map(0x10'0000, 0x7000'0000, 0x1000);  // outside guest RAM
    const auto o = run(0x10'0010);
    EXPECT_EQ(o.fault.type, evt::F_TRANSLATION);
    EXPECT_TRUE(o.fault.s2);
    EXPECT_EQ(o.fault.cls, Fault::Class::In);
    EXPECT_EQ(o.fault.ipa, 0x7000'0010u);
    EXPECT_EQ(o.fault.input_addr, 0x10'0010u);
}

TEST_F(Nested, Stage2PermissionOnTheOutputAndCheckAccessOnAHit)
{
    MapAttrs ro;
    ro.write = false;
    s2.unmap(kIpaRam + 0x30'0000, 0x1000);
    s2.map(kIpaRam + 0x30'0000, kPaRam + 0x30'0000, 0x1000, ro);
    s1.map(0x10'0000, kIpaRam + 0x30'0000, 0x1000);
    const auto w = run(0x10'0008, kWrite);
    EXPECT_EQ(w.fault.type, evt::F_PERMISSION);
    EXPECT_TRUE(w.fault.s2);
    EXPECT_EQ(w.fault.cls, Fault::Class::In);
    EXPECT_EQ(w.fault.ipa, kIpaRam + 0x30'0008);
    const auto r = run(0x10'0008, kRead);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.result.perm.write);
    const Fault hit = check_access(r.result, kWrite);
    EXPECT_EQ(hit.type, evt::F_PERMISSION);
    EXPECT_TRUE(hit.s2);
    EXPECT_EQ(hit.ipa, kIpaRam + 0x30'0008);
}

TEST_F(Nested, Stage1FaultsComeBeforeTheOutputIsTranslated)
{
    MapAttrs ro;
    ro.write = false;
    s1.map(0x10'0000, 0x7000'0000, 0x1000, ro);  // read-only, output IPA unmapped at stage 2
    const auto o = run(0x10'0000, kWrite);
    EXPECT_EQ(o.fault.type, evt::F_PERMISSION);
    EXPECT_FALSE(o.fault.s2);
    // Stage 1's output beyond its IPS (oa_bits) is a stage-1 address-size fault;
    // within IPS but beyond stage 2's S2T0SZ, a stage-2 translation fault.
    StageConfig s1cfg = s1.config();
    s1.map(0x20'0000, 1ull << 41, 0x1000);
    s1cfg.oa_bits = 40;
    auto f = walk_nested(s1cfg, s2.config(), 0x20'0000, kRead, mem);
    EXPECT_EQ(f.fault.type, evt::F_ADDR_SIZE);
    EXPECT_FALSE(f.fault.s2);
    f = run(0x20'0000);
    EXPECT_EQ(f.fault.type, evt::F_TRANSLATION);
    EXPECT_TRUE(f.fault.s2);
    EXPECT_EQ(f.fault.ipa, 1ull << 41);
}

TEST_F(Nested, ExternalAbortsOnEitherStagesRead)
{
    s1.map(0x10'0000, kIpaRam, 0x1000);
    // The stage-1 level-1 descriptor's own PA aborts: stage 1, CLASS = IN.
    const uint64_t l1_ipa = s1.descriptor_pa(0x10'0000, 1);
    mem.abort_range(l1_ipa - kIpaRam + kPaRam, 8);
    auto o = run(0x10'0000);
    EXPECT_EQ(o.fault.type, evt::F_WALK_EABT);
    EXPECT_FALSE(o.fault.s2);
    EXPECT_EQ(o.fault.cls, Fault::Class::In);
    EXPECT_EQ(o.fault.fetch_addr, l1_ipa - kIpaRam + kPaRam);
    EXPECT_EQ(o.fault.level, 1u);
    // A stage-2 descriptor read for that table's IPA aborts: stage 2, CLASS = TT.
    mem.aborts.clear();
    const uint64_t s2_l3 = s2.descriptor_pa(l1_ipa, 3);
    mem.abort_range(s2_l3, 8);
    o = run(0x10'0000);
    EXPECT_EQ(o.fault.type, evt::F_WALK_EABT);
    EXPECT_TRUE(o.fault.s2);
    EXPECT_EQ(o.fault.cls, Fault::Class::Tt);
    EXPECT_EQ(o.fault.fetch_addr, s2_l3);
    EXPECT_EQ(o.fault.input_addr, 0x10'0000u);
}

TEST_F(Nested, S2ptwMakesAStage1TableOnDeviceMemoryAPermissionFault)
{
    s1.map(0x10'0000, kIpaRam, 0x1000);
    const uint64_t l3_ipa = s1.descriptor_pa(0x10'0000, 3) & ~0xfffull;
    MapAttrs dev;
    dev.attr = 0x1;  // Device-nGnRE
    s2.unmap(l3_ipa, 0x1000);
    s2.map(l3_ipa, l3_ipa - kIpaRam + kPaRam, 0x1000, dev);
    ASSERT_TRUE(run(0x10'0000).ok());
    StageConfig s2cfg = s2.config();
    s2cfg.s2ptw = true;
    const auto o = walk_nested(s1.config(), s2cfg, 0x10'0000, kRead, mem);
    EXPECT_EQ(o.fault.type, evt::F_PERMISSION);
    EXPECT_TRUE(o.fault.s2);
    EXPECT_EQ(o.fault.cls, Fault::Class::Tt);
    EXPECT_EQ(o.fault.ipa, s1.descriptor_pa(0x10'0000, 3));
}

TEST_F(Nested, Stage2ReaderForACdFetch)
{
    mem.write64(kPaRam + 0x40, 0x1122'3344'5566'7788);
    Stage2Reader r(s2.config(), mem, Fault::Class::Cd);
    uint64_t cd[8] = {};
    ASSERT_TRUE(r.read(kIpaRam + 0x40, cd, sizeof cd));
    EXPECT_EQ(cd[0], 0x1122'3344'5566'7788u);
    EXPECT_EQ(r.last_pa(), kPaRam + 0x40);
    EXPECT_FALSE(r.read(0x7000'0000, cd, sizeof cd));
    EXPECT_EQ(r.fault().type, evt::F_TRANSLATION);
    EXPECT_EQ(r.fault().cls, Fault::Class::Cd);
    EXPECT_TRUE(r.fault().s2);
    EXPECT_EQ(r.fault().ipa, 0x7000'0000u);
    mem.abort_range(kPaRam + 0x80, 64);
    EXPECT_FALSE(r.read(kIpaRam + 0x80, cd, sizeof cd));
    EXPECT_EQ(r.fault().type, 0);  // the PA read aborted: the caller's F_CD_FETCH
    EXPECT_EQ(r.fault().fetch_addr, kPaRam + 0x80);
}

}  // namespace
}  // namespace smmusim::smmuv3
