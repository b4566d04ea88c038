// SPDX-License-Identifier: GPL-2.0-only
// One-stage VMSAv8-64 walks (walk.h) on hand-built tables: every granule
// and start level, stage-2 concatenation, blocks and pages at each level,
// reserved descriptors, address-size, access-flag and permission faults,
// external aborts at each level, endianness and the reads counted. The
// expected addresses are worked out by hand from the Arm ARM's index
// ranges, not by the walker's own arithmetic.
#include <algorithm>
#include <iterator>
#include <optional>

#include <gtest/gtest.h>

#include "smmuv3/evtq.h"
#include "smmuv3/translation/descriptors.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"
#include "smmuv3/translation/table_memory.h"

namespace smmusim::smmuv3 {
namespace {

using test::TableMemory;

StageConfig stage_cfg(Granule g, unsigned ia_bits, unsigned start_level, uint64_t ttb = 0, unsigned oa_bits = 48)
{
    StageConfig c;
    c.enabled = true;
    c.granule = g;
    c.ia_bits = ia_bits;
    c.oa_bits = oa_bits;
    c.start_level = start_level;
    c.ttb = ttb;
    return c;
}

constexpr uint64_t kTable = 0x3;           // valid, table
constexpr uint64_t kPage = 0x3 | 0x400;    // valid, page, AF
constexpr uint64_t kBlock = 0x1 | 0x400;   // valid, block, AF
constexpr uint64_t kS1Rw = 0x40;           // AP[2:1] = 01: RW at both privileges
constexpr uint64_t kS2Rw = 0xc0;           // S2AP = 11

// A one-table stage: 64K granule, 29-bit IA, start level 3 (64 KiB pages).
StageConfig one_level() { return stage_cfg(Granule::k64K, 29, 3, 0x1000'0000); }

const Access kRead{};
const Access kWrite{true, false, false};

// ---- geometry ---------------------------------------------------------------

TEST(WalkGeometry, Stage1StartLevelFollowsTheInputSize)
{
    EXPECT_EQ(vmsa::s1_start_level(48, Granule::k4K), 0u);
    EXPECT_EQ(vmsa::s1_start_level(39, Granule::k4K), 1u);
    EXPECT_EQ(vmsa::s1_start_level(40, Granule::k4K), 0u);
    EXPECT_EQ(vmsa::s1_start_level(30, Granule::k4K), 2u);
    EXPECT_EQ(vmsa::s1_start_level(48, Granule::k16K), 0u);
    EXPECT_EQ(vmsa::s1_start_level(47, Granule::k16K), 1u);
    EXPECT_EQ(vmsa::s1_start_level(36, Granule::k16K), 2u);
    EXPECT_EQ(vmsa::s1_start_level(48, Granule::k64K), 1u);
    EXPECT_EQ(vmsa::s1_start_level(42, Granule::k64K), 2u);
    EXPECT_EQ(vmsa::s1_start_level(29, Granule::k64K), 3u);
}

TEST(WalkGeometry, Stage2StartLevelFromSl0)
{
    constexpr unsigned pa = 48;
    EXPECT_EQ(vmsa::s2_start_level(0, Granule::k4K, pa), 2u);
    EXPECT_EQ(vmsa::s2_start_level(1, Granule::k4K, pa), 1u);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k4K, pa), 0u);
    EXPECT_EQ(vmsa::s2_start_level(3, Granule::k4K, pa), std::nullopt);
    EXPECT_EQ(vmsa::s2_start_level(0, Granule::k16K, pa), 3u);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k16K, pa), 1u);
    EXPECT_EQ(vmsa::s2_start_level(1, Granule::k64K, pa), 2u);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k64K, pa), 1u);
    EXPECT_EQ(vmsa::s2_start_level(3, Granule::k64K, pa), std::nullopt);
    // The PA-size limits (AArch64.S2InvalidSL): 4K level 0 and 64K level 1
    // need 44 bits, 16K level 1 needs 42.
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k4K, 43), std::nullopt);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k4K, 44), 0u);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k64K, 43), std::nullopt);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k16K, 41), std::nullopt);
    EXPECT_EQ(vmsa::s2_start_level(2, Granule::k16K, 42), 1u);
}

TEST(WalkGeometry, ConcatenationCountsAndInconsistentCombinations)
{
    // 4K, start level 1: one table resolves IA[38:30]; 40 bits need 2 tables ... 43 bits 16.
    for (unsigned ia = 39, n = 1; ia <= 43; ++ia, n *= 2)
        EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, ia, 1), Stage::S2), n) << ia;
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 44, 1), Stage::S2), 0u);  // 32 tables
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 40, 1), Stage::S1), 0u);  // stage 1 never concatenates
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 32, 1), Stage::S2), 1u);  // IA[31:30]: 4 entries
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 30, 1), Stage::S2), 0u);  // level 1 resolves nothing
    // 16K level 2 resolves IA[35:25]; 64K level 2 IA[41:29].
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k16K, 40, 2), Stage::S2), 16u);
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k64K, 44, 2), Stage::S2), 4u);
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k64K, 48, 0), Stage::S2), 0u);  // no level 0 below 52 bits
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 49, 0), Stage::S1), 0u);   // 52-bit IA not modelled
    EXPECT_EQ(initial_tables(stage_cfg(Granule::k4K, 24, 3), Stage::S1), 0u);   // T0SZ above 39
}

// ---- a walk worked out by hand, each granule ---------------------------------

TEST(Walk, FourLevels4KByHand)
{
    TableMemory m;
    // VA 0x1234_5678_9abc: L0 index 0x24, L1 0xd1, L2 0xb3, L3 0x189.
    m.write64(0x1000'0000 + 0x24 * 8, 0x1000'1000 | kTable);
    m.write64(0x1000'1000 + 0xd1 * 8, 0x1000'2000 | kTable);
    m.write64(0x1000'2000 + 0xb3 * 8, 0x1000'3000 | kTable);
    m.write64(0x1000'3000 + 0x189 * 8, 0x8765'4000 | kPage | kS1Rw);
    WalkStats st;
    const auto o = walk(stage_cfg(Granule::k4K, 48, 0, 0x1000'0000), Stage::S1, 0x1234'5678'9abc, kRead, m, &st);
    ASSERT_TRUE(o.ok()) << int(o.fault.type);
    EXPECT_EQ(o.result.oa, 0x8765'4abcu);
    EXPECT_EQ(o.result.page_base_in, 0x1234'5678'9000u);
    EXPECT_EQ(o.result.page_size, 0x1000u);
    EXPECT_EQ(o.result.level, 3u);
    EXPECT_EQ(m.reads, (std::vector<uint64_t>{0x1000'0120, 0x1000'1688, 0x1000'2598, 0x1000'3c48}));
    EXPECT_EQ(st.s1_reads, (std::array<uint32_t, 4>{1, 1, 1, 1}));
    EXPECT_EQ(st.reads(), 4u);
    ASSERT_EQ(o.nsteps, 4u);
    EXPECT_EQ(o.steps[2].level, 2u);
    EXPECT_EQ(o.steps[2].table, 0x1000'2000u);
}

TEST(Walk, ThreeLevels64KByHand)
{
    TableMemory m;
    // VA 0x7fed_cba9_8765: L1 index 0x1f (IA[47:42]), L2 0x1f6e, L3 0xba9.
    m.write64(0x2000'0000 + 0x1f * 8, 0x2001'0000 | kTable);
    m.write64(0x2001'0000 + 0x1f6e * 8, 0x2002'0000 | kTable);
    m.write64(0x2002'0000 + 0xba9 * 8, 0x9abc'0000 | kPage | kS2Rw);
    const auto o = walk(stage_cfg(Granule::k64K, 48, 1, 0x2000'0000), Stage::S2, 0x7fed'cba9'8765, kWrite, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x9abc'8765u);
    EXPECT_EQ(o.result.page_size, 0x10000u);
    EXPECT_EQ(o.result.ipa, 0x7fed'cba9'8765u);
    EXPECT_EQ(m.reads, (std::vector<uint64_t>{0x2000'00f8, 0x2001'fb70, 0x2002'5d48}));
}

TEST(Walk, FourLevels16KByHand)
{
    TableMemory m;
    // VA 0x5a5a_1234_5678: L0 index 0 (IA[47]), L1 0x5a5, L2 0x509, L3 0xd1.
    m.write64(0x3000'0000, 0x3000'4000 | kTable);
    m.write64(0x3000'4000 + 0x5a5 * 8, 0x3000'8000 | kTable);
    m.write64(0x3000'8000 + 0x509 * 8, 0x3000'c000 | kTable);
    m.write64(0x3000'c000 + 0xd1 * 8, 0x1'2340'0000 | kPage | kS1Rw);
    const auto o = walk(stage_cfg(Granule::k16K, 48, 0, 0x3000'0000), Stage::S1, 0x5a5a'1234'5678, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x1'2340'1678u);
    EXPECT_EQ(o.result.page_size, 0x4000u);
}

TEST(Walk, BlocksAtTheLevelsEachGranuleAllows)
{
    struct Case { Granule g; unsigned ia, start, level; uint64_t size; };
    const Case cases[] = {
        {Granule::k4K, 48, 0, 1, 1ull << 30}, {Granule::k4K, 48, 0, 2, 1ull << 21},
        {Granule::k16K, 47, 1, 2, 1ull << 25}, {Granule::k64K, 48, 1, 2, 1ull << 29},
    };
    for (const Case& c : cases) {
        TableMemory m;
        StageConfig cfg = stage_cfg(c.g, c.ia, c.start, 0x4000'0000);
        const uint64_t va = 3 * c.size + 0x1238;
        uint64_t table = cfg.ttb;
        for (unsigned l = c.start; l < c.level; ++l) {
            const uint64_t next = table + (1ull << granule_shift(c.g));
            m.write64(table + 8 * ((va >> desc::level_shift(c.g, l)) & ((1ull << desc::bits_per_level(c.g)) - 1)), next | kTable);
            table = next;
        }
        m.write64(table + 8 * ((va >> desc::level_shift(c.g, c.level)) & ((1ull << desc::bits_per_level(c.g)) - 1)),
                  (7 * c.size) | kBlock | kS1Rw);
        const auto o = walk(cfg, Stage::S1, va, kRead, m);
        ASSERT_TRUE(o.ok()) << c.level;
        EXPECT_EQ(o.result.oa, 7 * c.size + 0x1238);
        EXPECT_EQ(o.result.page_size, c.size);
        EXPECT_EQ(o.result.page_base_in, 3 * c.size);
        EXPECT_EQ(o.result.level, c.level);
    }
}


// ---- stage-2 concatenation -----------------------------------------------------

TEST(Walk, Stage2ConcatenatedInitialTables2To16)
{
    // 4K, start level 1: IA[38:30] indexes one table; IA bits 39.. pick the
    // concatenated table (IHI 0070 5.2 S2T0SZ/S2SL0, Arm ARM concatenation).
    for (unsigned extra = 1; extra <= 4; ++extra) {
        TableMemory m;
        const unsigned ia_bits = 39 + extra;
        const uint64_t ttb = 0x1000'0000;  // aligned to 16 tables
        const uint64_t ipa = (((1ull << extra) - 1) << 39) | (5ull << 30) | 0x123;  // the last table, entry 5
        const uint64_t pa_l1 = ttb + (((1ull << extra) - 1) << 12) + 5 * 8;
        m.write64(pa_l1, 0x4000'0000 | kBlock | kS2Rw);  // a 1 GiB block
        const auto o = walk(stage_cfg(Granule::k4K, ia_bits, 1, ttb), Stage::S2, ipa, kRead, m);
        ASSERT_TRUE(o.ok()) << extra;
        EXPECT_EQ(o.result.oa, 0x4000'0123u);
        EXPECT_EQ(m.reads, std::vector<uint64_t>{pa_l1});
        // One bit more than the tables hold is outside S2T0SZ: a translation fault, no read.
        const auto out = walk(stage_cfg(Granule::k4K, ia_bits, 1, ttb), Stage::S2, 1ull << ia_bits, kRead, m);
        EXPECT_EQ(out.fault.type, evt::F_TRANSLATION);
        EXPECT_TRUE(out.fault.s2);
        EXPECT_EQ(out.fault.ipa, 1ull << ia_bits);
        EXPECT_EQ(m.reads.size(), 1u);
    }
}

// ---- translation faults -----------------------------------------------------------

TEST(WalkFault, InvalidDescriptorAtEachLevelNamesTheLevel)
{
    for (unsigned bad = 0; bad <= 3; ++bad) {
        TableMemory m;
        const uint64_t va = 0x1234'5678'9abc;
        const uint64_t idx[] = {0x24, 0xd1, 0xb3, 0x189};
        for (unsigned l = 0; l < bad; ++l)
            m.write64(0x1000'0000 + 0x1000 * l + idx[l] * 8, (0x1000'1000 + 0x1000 * l) | kTable);
        m.write64(0x1000'0000 + 0x1000 * bad + idx[bad] * 8, 0x8000'0000 | 0x400 | 0x2);  // valid bit clear
        const auto o = walk(stage_cfg(Granule::k4K, 48, 0, 0x1000'0000), Stage::S1, va, kRead, m);
        EXPECT_EQ(o.fault.type, evt::F_TRANSLATION);
        EXPECT_EQ(o.fault.level, bad);
        EXPECT_FALSE(o.fault.s2);
        EXPECT_EQ(o.fault.cls, Fault::Class::In);
        EXPECT_EQ(o.fault.input_addr, va);
        EXPECT_EQ(m.reads.size(), bad + 1);
    }
}

TEST(WalkFault, BlocksWhereTheGranuleHasNoneAndTheReservedLevel3Encoding)
{
    struct Case { Granule g; unsigned ia, start, level; };
    // 4K level 0, 16K and 64K level 1 (48-bit OA), and level 3 with bits[1:0] = 01.
    const Case cases[] = {{Granule::k4K, 48, 0, 0}, {Granule::k16K, 47, 1, 1}, {Granule::k64K, 48, 1, 1},
                          {Granule::k4K, 48, 0, 3}, {Granule::k16K, 47, 1, 3}, {Granule::k64K, 48, 1, 3}};
    for (const Case& c : cases) {
        TableMemory m;
        const StageConfig cfg = stage_cfg(c.g, c.ia, c.start, 0x4000'0000);
        uint64_t table = cfg.ttb;  // IA 0x10: entry 0 at every level
        for (unsigned l = c.start; l < c.level; ++l, table += 1ull << granule_shift(c.g))
            m.write64(table, (table + (1ull << granule_shift(c.g))) | kTable);
        m.write64(table, kBlock | kS1Rw);
        const auto o = walk(cfg, Stage::S1, 0x10, kRead, m);
        EXPECT_EQ(o.fault.type, evt::F_TRANSLATION) << int(c.g) << " level " << c.level;
        EXPECT_EQ(o.fault.level, c.level);
    }
}

TEST(WalkFault, InputOutsideT0szIsATranslationFaultWithoutARead)
{
    TableMemory m;
    StageConfig cfg = stage_cfg(Granule::k4K, 39, 1, 0x1000'0000);
    auto o = walk(cfg, Stage::S1, 1ull << 39, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_TRANSLATION);
    EXPECT_EQ(o.fault.level, 0u);
    EXPECT_TRUE(m.reads.empty());
    // TTB1's half (Linux sets EPD1) and a tagged pointer without TBI.
    EXPECT_EQ(walk(cfg, Stage::S1, 0xffff'ff80'0000'0000, kRead, m).fault.type, evt::F_TRANSLATION);
    EXPECT_EQ(walk(cfg, Stage::S1, 0x5a00'0000'0000'1000, kRead, m).fault.type, evt::F_TRANSLATION);
    // With TBI0 the top byte is ignored: the walk reads entry 0 of level 1.
    cfg.tbi = 1;
    m.write64(0x1000'0000, 0x8000'0000 | kBlock | kS1Rw);
    o = walk(cfg, Stage::S1, 0x5a00'0000'0000'1000, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x8000'1000u);
    // EPD0: TTB0 walks disabled.
    cfg.epd0 = true;
    EXPECT_EQ(walk(cfg, Stage::S1, 0x1000, kRead, m).fault.type, evt::F_TRANSLATION);
    // An inconsistent geometry is refused, never walked.
    m.reads.clear();
    EXPECT_EQ(walk(stage_cfg(Granule::k4K, 44, 1, 0x1000'0000), Stage::S2, 0x1000, kRead, m).fault.type,
              evt::F_TRANSLATION);
    EXPECT_TRUE(m.reads.empty());
}

// ---- address-size faults -------------------------------------------------------

TEST(WalkFault, AddressSizeOfTtbTablesAndOutput)
{
    TableMemory m;
    // oa_bits 40: TTB at 2^40 is out of range before any read.
    auto o = walk(stage_cfg(Granule::k4K, 39, 1, 1ull << 40, 40), Stage::S1, 0x1000, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_ADDR_SIZE);
    EXPECT_TRUE(m.reads.empty());
    // A next-level table at 2^40 (level 1's descriptor names it).
    m.write64(0x1000'0000, (1ull << 40) | kTable);
    o = walk(stage_cfg(Granule::k4K, 39, 1, 0x1000'0000, 40), Stage::S1, 0x1000, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_ADDR_SIZE);
    EXPECT_EQ(o.fault.level, 1u);
    // A block whose output is at 2^41.
    m.write64(0x1000'0000, (1ull << 41) | kBlock | kS1Rw);
    o = walk(stage_cfg(Granule::k4K, 39, 1, 0x1000'0000, 40), Stage::S1, 0x1000, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_ADDR_SIZE);
    EXPECT_EQ(o.fault.level, 1u);
    // The same at oa_bits 48 translates.
    EXPECT_TRUE(walk(stage_cfg(Granule::k4K, 39, 1, 0x1000'0000, 48), Stage::S1, 0x1000, kRead, m).ok());
}

TEST(WalkFault, SixtyFourKOutputBits51To48AreDecodedNotTruncated)
{
    TableMemory m;
    // 64K page descriptor bits [15:12] = OA[51:48] (FEAT_LPA form): 0x3 → OA bit 48, 49 set.
    m.write64(0x2000'0000, 0x1234'0000 | (0x3ull << 12) | kPage | kS2Rw);
    StageConfig cfg = stage_cfg(Granule::k64K, 29, 3, 0x2000'0000, 48);
    auto o = walk(cfg, Stage::S2, 0x42, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_ADDR_SIZE);
    cfg.oa_bits = 52;
    o = walk(cfg, Stage::S2, 0x42, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x3'0000'1234'0042u);
}

// ---- access flag ------------------------------------------------------------------

TEST(WalkFault, AccessFlagZeroFaultsUnlessAffd)
{
    for (Stage stage : {Stage::S1, Stage::S2}) {
        TableMemory m;
        m.write64(0x1000'0000, 0x8000'0000 | 0x3 | kS1Rw | kS2Rw);  // page, AF = 0
        StageConfig cfg = one_level();
        auto o = walk(cfg, stage, 0x10, kRead, m);
        EXPECT_EQ(o.fault.type, evt::F_ACCESS);
        EXPECT_EQ(o.fault.s2, stage == Stage::S2);
        EXPECT_EQ(o.fault.level, 3u);
        cfg.affd = true;
        o = walk(cfg, stage, 0x10, kRead, m);
        ASSERT_TRUE(o.ok());
        EXPECT_EQ(o.result.oa, 0x8000'0010u);
    }
}

TEST(WalkFault, AccessFlagBeforePermission)
{
    TableMemory m;
    m.write64(0x1000'0000, 0x8000'0000 | 0x3 | 0x80);  // read-only page, AF = 0
    StageConfig cfg = one_level();
    EXPECT_EQ(walk(cfg, Stage::S1, 0x10, kWrite, m).fault.type, evt::F_ACCESS);
}

// ---- external aborts -----------------------------------------------------------

TEST(WalkFault, ExternalAbortAtEachLevelGivesTheFetchAddress)
{
    const uint64_t va = 0x1234'5678'9abc;
    const uint64_t idx[] = {0x24, 0xd1, 0xb3, 0x189};
    for (unsigned bad = 0; bad <= 3; ++bad) {
        TableMemory m;
        for (unsigned l = 0; l < 3; ++l)
            m.write64(0x1000'0000 + 0x1000 * l + idx[l] * 8, (0x1000'1000 + 0x1000 * l) | kTable);
        m.write64(0x1000'3000 + idx[3] * 8, 0x8000'0000 | kPage | kS1Rw);
        const uint64_t fetch = 0x1000'0000 + 0x1000 * bad + idx[bad] * 8;
        m.abort_range(fetch, 8);
        for (Stage stage : {Stage::S1, Stage::S2}) {
            StageConfig cfg = stage_cfg(Granule::k4K, 48, 0, 0x1000'0000);
            cfg.record = false;  // CD.R / S2R do not suppress F_WALK_EABT
            const auto o = walk(cfg, stage, va, kRead, m);
            EXPECT_EQ(o.fault.type, evt::F_WALK_EABT);
            EXPECT_EQ(o.fault.fetch_addr, fetch);
            EXPECT_EQ(o.fault.level, bad);
            EXPECT_EQ(o.fault.s2, stage == Stage::S2);
            EXPECT_TRUE(o.fault.record);
        }
    }
}

TEST(WalkFault, RecordFollowsCdRAndS2R)
{
    TableMemory m;
    StageConfig cfg = one_level();
    cfg.record = false;
    const auto o = walk(cfg, Stage::S1, 0x10, kRead, m);
    EXPECT_EQ(o.fault.type, evt::F_TRANSLATION);
    EXPECT_FALSE(o.fault.record);
}

// ---- endianness, resume, reads -----------------------------------------------

TEST(Walk, BigEndianDescriptorsAreByteSwapped)
{
    TableMemory m;
    const uint64_t d = 0x8000'0000 | kPage | kS1Rw;
    m.write64(0x1000'0000, __builtin_bswap64(d));
    StageConfig cfg = one_level();
    EXPECT_EQ(walk(cfg, Stage::S1, 0x10, kRead, m).fault.type, evt::F_TRANSLATION);  // little-endian: bit 0 clear
    cfg.big_endian = true;
    const auto o = walk(cfg, Stage::S1, 0x10, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x8000'0010u);
}

TEST(Walk, ResumeFromARecordedTableSkipsTheLevelsAbove)
{
    TableMemory m;
    const uint64_t va = 0x1234'5678'9abc;
    m.write64(0x1000'0000 + 0x24 * 8, 0x1000'1000 | kTable | (1ull << 62));  // APTable[1]: read-only below
    m.write64(0x1000'1000 + 0xd1 * 8, 0x1000'2000 | kTable);
    m.write64(0x1000'2000 + 0xb3 * 8, 0x1000'3000 | kTable);
    m.write64(0x1000'3000 + 0x189 * 8, 0x8765'4000 | kPage | kS1Rw);
    const StageConfig cfg = stage_cfg(Granule::k4K, 48, 0, 0x1000'0000);
    const auto first = walk(cfg, Stage::S1, va, kRead, m);
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first.steps[3].limits.no_write);
    m.reads.clear();
    WalkStats st;
    const auto again = walk(cfg, Stage::S1, va + 0x1000, kRead, m, &st, &first.steps[3]);
    EXPECT_EQ(again.fault.type, evt::F_TRANSLATION);  // entry 0x18a is empty
    EXPECT_EQ(m.reads, std::vector<uint64_t>{0x1000'3000 + 0x18a * 8});
    EXPECT_EQ(st.s1_reads, (std::array<uint32_t, 4>{0, 0, 0, 1}));
    const auto same = walk(cfg, Stage::S1, va, kWrite, m, nullptr, &first.steps[3]);
    EXPECT_EQ(same.fault.type, evt::F_PERMISSION);  // the recorded APTable still applies
}


TEST(Walk, TtbBitsBelowTheInitialTableSizeAreIgnored)
{
    // 16K, 48-bit: level 0 has two entries (16 bytes), so TTB bits [3:0] are ignored.
    TableMemory m;
    StageConfig cfg = stage_cfg(Granule::k16K, 48, 0, 0x3000'0018);
    walk(cfg, Stage::S1, 0x8000'0000'0000, kRead, m);
    walk(cfg, Stage::S1, 0x10, kRead, m);
    EXPECT_EQ(m.reads, (std::vector<uint64_t>{0x3000'0018, 0x3000'0010}));
    // 4K, 48-bit: a 4 KiB initial table.
    m.reads.clear();
    walk(stage_cfg(Granule::k4K, 48, 0, 0x1000'0ff8), Stage::S1, 0x10, kRead, m);
    EXPECT_EQ(m.reads, std::vector<uint64_t>{0x1000'0000});
}

// Garbage in every table (a guest writing anything into its tables): every
// walk ends within the levels it has, and its outcome is architected — a
// translation inside the output size, or one of the walk's fault types.
class GarbageMemory : public TableReader {
public:
    bool read(uint64_t addr, void* dst, size_t len) override
    {
        ++reads;
        // Each 8 bytes a random descriptor; 15 in 16 have their address
        // below 2^36, so that walks also go deep and succeed.
        uint64_t h = (addr / 8) * 0x9e37'79b9'7f4a'7c15ull + seed;
        h ^= h >> 29;
        h *= 0xbf58'476d'1ce4'e5b9ull;
        h ^= h >> 31;
        if ((h >> 60) != 0)
            h &= ~genmask(51, 36);
        auto* out = static_cast<uint8_t*>(dst);
        for (size_t i = 0; i < len; ++i)
            out[i] = uint8_t(h >> (8 * ((addr + i) % 8)));
        return (addr >> 32) != 0x7;  // a hole: external aborts
    }
    uint64_t seed = 0;
    unsigned reads = 0;
};

TEST(WalkFault, GarbageTablesGiveArchitectedOutcomes)
{
    const uint8_t kinds[] = {evt::F_TRANSLATION, evt::F_ADDR_SIZE, evt::F_ACCESS, evt::F_PERMISSION,
                             evt::F_WALK_EABT};
    GarbageMemory m;
    unsigned ok = 0, faults[256] = {};
    for (uint64_t i = 0; i < 3000; ++i) {
        m.seed = i * 0x1234'5678'9abcull;
        const Granule g = Granule(i % 3);
        StageConfig s1 = stage_cfg(g, 48, vmsa::s1_start_level(48, g), 0x1000'0000 + (i << 16), i % 4 < 2 ? 48 : 40);
        StageConfig s2 = stage_cfg(g, 40, vmsa::s1_start_level(40, g), 0x2000'0000);
        const uint64_t ia = (i * 0x5851'f42d'4c95'7f2dull) & genmask(47, 0);
        m.reads = 0;
        const Access acc{(i & 4) != 0, (i & 8) != 0, (i & 16) != 0};
        const WalkOutcome o = i % 2 ? walk_nested(s1, s2, ia, acc, m) : walk(s1, Stage::S1, ia, acc, m);
        EXPECT_LE(m.reads, i % 2 ? 4u + 5u * 4u : 4u);
        if (o.ok()) {
            ++ok;
            EXPECT_LT(o.result.oa >> (i % 2 ? 48 : s1.oa_bits), 1u) << i;
            EXPECT_EQ(o.result.oa & (o.result.page_size - 1), ia & (o.result.page_size - 1)) << i;
            continue;
        }
        EXPECT_NE(std::find(std::begin(kinds), std::end(kinds), o.fault.type), std::end(kinds)) << i;
        ++faults[o.fault.type];
    }
    // The garbage reaches every outcome.
    EXPECT_GT(ok, 0u);
    for (uint8_t k : kinds)
        EXPECT_GT(faults[k], 0u) << int(k);
}

}  // namespace
}  // namespace smmusim::smmuv3
