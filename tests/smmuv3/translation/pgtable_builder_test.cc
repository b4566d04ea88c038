// SPDX-License-Identifier: GPL-2.0-only
// PgtableBuilder: the descriptors it writes (checked bit by bit against the
// Arm ARM's formats for one mapping), the block sizes it picks, maps and
// unmaps walked back for every granule and both stages, block splitting,
// concatenated stage-2 tables, big-endian tables, and its errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "smmuv3/evtq.h"
#include "smmuv3/translation/pgtable_builder.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"
#include "smmuv3/translation/table_memory.h"

namespace smmusim::smmuv3 {
namespace {

using test::TableMemory;

StageConfig geometry(Granule g, unsigned ia_bits, unsigned start, unsigned oa_bits = 48)
{
    StageConfig c;
    c.granule = g;
    c.ia_bits = ia_bits;
    c.start_level = start;
    c.oa_bits = oa_bits;
    return c;
}

const Access kRead{};

TEST(PgtableBuilder, WritesTheArchitectedDescriptorsForOnePage)
{
    TableMemory m(0x4000'0000);
    PgtableBuilder b(geometry(Granule::k4K, 48, 0), Stage::S1, m);
    b.map(0x1234'5678'9000, 0x8765'4000, 0x1000);
    EXPECT_EQ(b.ttb(), 0x4000'0000u);
    // Tables in allocation order; VA indices 0x24, 0xd1, 0xb3, 0x189.
    EXPECT_EQ(m.read64(0x4000'0000 + 0x24 * 8), 0x4000'1003u);
    EXPECT_EQ(m.read64(0x4000'1000 + 0xd1 * 8), 0x4000'2003u);
    EXPECT_EQ(m.read64(0x4000'2000 + 0xb3 * 8), 0x4000'3003u);
    // Page: UXN|PXN (bits 54:53), AF, SH = 11, AP[2:1] = 01, AttrIndx 1, page, valid.
    EXPECT_EQ(m.read64(0x4000'3000 + 0x189 * 8), 0x0060'0000'8765'4747u);

    TableMemory m2(0x4000'0000);
    PgtableBuilder s2(geometry(Granule::k4K, 40, 1), Stage::S2, m2);
    MapAttrs a;
    a.attr = 0xf;
    a.write = false;
    s2.map(0x1000, 0x8000'1000, 0x1000, a);
    // Two concatenated level-1 tables: TTB at the pool, 8 KiB; level 2 and 3 after.
    EXPECT_EQ(s2.config().concat, 2u);
    EXPECT_EQ(m2.tables, (std::vector<uint64_t>{0x4000'0000, 0x4000'2000, 0x4000'3000}));
    // Stage-2 page: XN (bit 54), AF, SH, S2AP = 01 (read), MemAttr 0xf.
    EXPECT_EQ(m2.read64(0x4000'3000 + 8), 0x0040'0000'8000'177fu);
}

TEST(PgtableBuilder, PicksTheLargestBlockAlignmentAllows)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 48, 0), Stage::S1, m);
    const uint64_t G = 1ull << 30, M2 = 1ull << 21;
    b.map(G, 4 * G, G + M2 + 0x1000);
    const struct { uint64_t va; unsigned level; uint64_t size; } expect[] = {
        {G + 0x5000, 1, G}, {2 * G + 0x1000, 2, M2}, {2 * G + M2, 3, 0x1000}};
    for (const auto& e : expect) {
        const auto o = walk(b.config(), Stage::S1, e.va, kRead, m);
        ASSERT_TRUE(o.ok()) << std::hex << e.va;
        EXPECT_EQ(o.result.level, e.level);
        EXPECT_EQ(o.result.page_size, e.size);
        EXPECT_EQ(o.result.oa, e.va - G + 4 * G);
    }
    EXPECT_EQ(walk(b.config(), Stage::S1, 2 * G + M2 + 0x1000, kRead, m).fault.type, evt::F_TRANSLATION);
    // Misaligned OA: pages only.
    b.map(8 * G, 0x1000, M2);
    EXPECT_EQ(walk(b.config(), Stage::S1, 8 * G + 0x3000, kRead, m).result.level, 3u);
}

// Every granule and stage: map a few ranges (blocks and pages), walk every
// page boundary of them and the gaps between them, unmap one, walk again.
TEST(PgtableBuilder, MapUnmapWalkEveryGranuleAndStage)
{
    for (Granule g : {Granule::k4K, Granule::k16K, Granule::k64K}) {
        for (Stage stage : {Stage::S1, Stage::S2}) {
            TableMemory m;
            const unsigned start = stage == Stage::S1 ? vmsa::s1_start_level(48, g) : vmsa::s1_start_level(48, g) + 1;
            const unsigned ia_bits = stage == Stage::S1 ? 48 : 42;
            PgtableBuilder b(geometry(g, ia_bits, start), stage, m);
            const uint64_t gran = 1ull << granule_shift(g);
            const uint64_t block = 1ull << (granule_shift(g) * 2 - 3);  // the level-2 block
            struct Range { uint64_t ia, oa, size; };
            const Range ranges[] = {{block, 5 * block, 2 * block + 3 * gran}, {7 * block + gran, 0x8000'0000, 4 * gran}};
            for (const Range& r : ranges)
                b.map(r.ia, r.oa, r.size);
            for (const Range& r : ranges) {
                for (uint64_t off = 0; off < r.size; off += gran) {
                    const auto o = walk(b.config(), stage, r.ia + off + 8, kRead, m);
                    ASSERT_TRUE(o.ok()) << int(g) << " " << std::hex << r.ia + off;
                    EXPECT_EQ(o.result.oa, r.oa + off + 8);
                }
                EXPECT_EQ(walk(b.config(), stage, r.ia + r.size, kRead, m).fault.type, evt::F_TRANSLATION);
                EXPECT_EQ(walk(b.config(), stage, r.ia - gran, kRead, m).fault.type, evt::F_TRANSLATION);
            }
            b.unmap(ranges[0].ia + block - gran, 2 * gran);  // across the first block's end
            EXPECT_EQ(walk(b.config(), stage, ranges[0].ia + block - gran, kRead, m).fault.type, evt::F_TRANSLATION);
            EXPECT_EQ(walk(b.config(), stage, ranges[0].ia + block, kRead, m).fault.type, evt::F_TRANSLATION);
            const auto kept = walk(b.config(), stage, ranges[0].ia + block - 2 * gran, kRead, m);
            ASSERT_TRUE(kept.ok());
            EXPECT_EQ(kept.result.oa, ranges[0].oa + block - 2 * gran);
            EXPECT_EQ(kept.result.page_size, gran);  // the split block's pages
            EXPECT_TRUE(walk(b.config(), stage, ranges[0].ia + block + gran, kRead, m).ok());
        }
    }
}

TEST(PgtableBuilder, SplitKeepsTheBlocksAttributes)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 39, 1), Stage::S1, m);
    MapAttrs a;
    a.write = false;
    a.unpriv = false;
    a.global = false;
    b.map(1ull << 30, 1ull << 32, 1ull << 30, a);
    b.unmap((1ull << 30) + (5ull << 21), 1ull << 21);  // 1G block → 2M blocks
    const auto o = walk(b.config(), Stage::S1, (1ull << 30) + (7ull << 21) + 0x10, Access{false, false, true}, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.level, 2u);
    EXPECT_EQ(o.result.oa, (1ull << 32) + (7ull << 21) + 0x10);
    EXPECT_FALSE(o.result.global);
    EXPECT_FALSE(o.result.s1_rights.priv.write);
    EXPECT_FALSE(o.result.s1_rights.unpriv.read);
}

// first_unmapped(): through pages, blocks and tables, to the first hole.
TEST(PgtableBuilder, FirstUnmappedFindsTheFirstHole)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 39, 1), Stage::S1, m);
    EXPECT_EQ(b.first_unmapped(0x20'0000, 0x1000), 0x20'0000u);  // nothing mapped
    b.map(0x20'0000, 0x8000'0000, 0x3000);                          // three pages
    b.map(0x40'0000, 0x8020'0000, 0x20'0000);                       // a 2M block after a hole
    EXPECT_EQ(b.first_unmapped(0x20'0000, 0x3000), 0x20'3000u);     // all mapped: the end
    EXPECT_EQ(b.first_unmapped(0x20'1000, 0x4000), 0x20'3000u);
    EXPECT_EQ(b.first_unmapped(0x40'1000, 0x1000), 0x40'2000u);
    EXPECT_EQ(b.first_unmapped(0x40'0000, 0x20'1000), 0x60'0000u);  // past the block
    b.unmap(0x20'1000, 0x1000);
    EXPECT_EQ(b.first_unmapped(0x20'0000, 0x3000), 0x20'1000u);
    EXPECT_THROW(b.first_unmapped(0x20'0800, 0x1000), std::invalid_argument);  // misaligned
    EXPECT_THROW(b.first_unmapped(1ull << 39, 0x1000), std::invalid_argument);  // beyond IA
}

TEST(PgtableBuilder, ConcatenatedStage2UpTo16Tables)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 43, 1), Stage::S2, m);
    EXPECT_EQ(b.config().concat, 16u);
    EXPECT_EQ(b.ttb() % (16 * 0x1000), 0u);
    b.map((1ull << 43) - 0x1000, 0x9000'0000, 0x1000);
    const auto o = walk(b.config(), Stage::S2, (1ull << 43) - 0x1000 + 4, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0x9000'0004u);
    EXPECT_GE(m.reads.front(), b.ttb() + 15 * 0x1000);  // the 16th table
}

TEST(PgtableBuilder, BigEndianTablesWalkOnlyAsBigEndian)
{
    TableMemory m;
    StageConfig g = geometry(Granule::k16K, 47, 1);
    g.big_endian = true;
    PgtableBuilder b(g, Stage::S1, m);
    b.map(0x4000, 0x1'0000'4000, 0x4000);
    ASSERT_TRUE(walk(b.config(), Stage::S1, 0x4010, kRead, m).ok());
    StageConfig le = b.config();
    le.big_endian = false;
    EXPECT_FALSE(walk(le, Stage::S1, 0x4010, kRead, m).ok());
}

TEST(PgtableBuilder, SixtyFourKOutputAbove48Bits)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k64K, 48, 1, 52), Stage::S2, m);
    b.map(0x10000, 0xf'0000'0001'0000, 0x10000);
    const auto o = walk(b.config(), Stage::S2, 0x10008, kRead, m);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, 0xf'0000'0001'0008u);
}

TEST(PgtableBuilder, TableLimitsAndRawDescriptors)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 39, 1), Stage::S1, m);
    b.map(0x20'0000, 0x8000'0000, 0x1000);
    b.set_table_limits(0x20'0000, 1, TableLimits{true, false, false, false});
    EXPECT_EQ(walk(b.config(), Stage::S1, 0x20'0000, Access{true, false, false}, m).fault.type, evt::F_PERMISSION);
    b.raw(0x20'0000, 3, 0);  // clear the page by hand
    EXPECT_EQ(walk(b.config(), Stage::S1, 0x20'0000, kRead, m).fault.level, 3u);
    EXPECT_EQ(b.descriptor_at(b.descriptor_pa(0x20'0000, 3)), 0u);
    EXPECT_THROW(b.set_table_limits(0x20'0000, 3, TableLimits{}), std::invalid_argument);
}

TEST(PgtableBuilder, ErrorsNameTheProblemAndWriteNothing)
{
    TableMemory m;
    PgtableBuilder b(geometry(Granule::k4K, 39, 1), Stage::S1, m);
    b.map(0x20'0000, 0x8000'0000, 0x2000);
    const size_t tables = m.tables.size();
    EXPECT_THROW(b.map(0x20'0800, 0x9000'0000, 0x1000), std::invalid_argument);   // misaligned IA
    EXPECT_THROW(b.map(0x30'0000, 0x9000'0800, 0x1000), std::invalid_argument);   // misaligned OA
    EXPECT_THROW(b.map(0x30'0000, 0x9000'0000, 0x1800), std::invalid_argument);   // size
    EXPECT_THROW(b.map(0x21'0000 - 0x1000 * 16, 0x9000'0000, 0x1000 * 16), std::invalid_argument);  // overlaps
    EXPECT_THROW(b.map((1ull << 39) - 0x1000, 0x9000'0000, 0x2000), std::invalid_argument);  // beyond IA
    EXPECT_THROW(b.map(0x40'0000, (1ull << 48) - 0x1000, 0x2000), std::invalid_argument);   // beyond OA
    EXPECT_THROW(b.unmap(0x20'0000, 0), std::invalid_argument);
    EXPECT_EQ(m.tables.size(), tables);
    // At most max_leaves descriptors a map.
    b.set_max_leaves(4);
    EXPECT_THROW(b.map(0x40'0000, 0x9000'1000, 5 * 0x1000), std::invalid_argument);  // 5 pages
    EXPECT_THROW(b.map(0x1000'0000, 0x1000, 1ull << 38), std::invalid_argument);   // 2^26 pages: refused at once
    EXPECT_EQ(m.tables.size(), tables);
    b.map(0x40'0000, 0x9000'1000, 4 * 0x1000);
    b.unmap(0x40'0000, 4 * 0x1000);
    b.set_max_leaves(1ull << 20);
    try {
        b.map(0x20'1000, 0x9000'0000, 0x1000);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("overlaps a live mapping"), std::string::npos) << e.what();
    }
    EXPECT_THROW(PgtableBuilder(geometry(Granule::k4K, 44, 1), Stage::S2, m), std::invalid_argument);
    // Unmap then map again over the emptied range.
    b.unmap(0x20'0000, 0x2000);
    b.map(0x20'0000, 0x9000'0000, 0x20'0000);  // a 2M block where a table was
    EXPECT_EQ(walk(b.config(), Stage::S1, 0x20'1000, kRead, m).result.oa, 0x9000'1000u);
}


// A randomised sequence of maps and unmaps (blocks and pages, each granule,
// both stages) against a reference dictionary of live pages: after every
// operation every page of the window translates to its PA with its
// permission, or faults if it is not live. Deterministic (fixed seed).
TEST(PgtableBuilder, RandomMapUnmapAgainstAReference)
{
    for (Granule g : {Granule::k4K, Granule::k16K, Granule::k64K}) {
        for (Stage stage : {Stage::S1, Stage::S2}) {
            TableMemory m;
            PgtableBuilder b(geometry(g, 40, vmsa::s1_start_level(40, g)), stage, m);
            const uint64_t gran = 1ull << granule_shift(g);
            const uint64_t block = 1ull << (granule_shift(g) * 2 - 3);
            const uint64_t pages = 2 * block / gran;  // a window of two level-2 blocks
            std::map<uint64_t, std::pair<uint64_t, bool>> live;  // page index → (PA, writable)
            uint64_t seed = 12345;
            auto rnd = [&](uint64_t n) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                return (seed >> 33) % n;
            };
            for (int op = 0; op < 40; ++op) {
                const bool whole_block = rnd(4) == 0;
                const uint64_t first = whole_block ? rnd(2) * (block / gran) : rnd(pages);
                const uint64_t count = whole_block ? block / gran : 1 + rnd(std::min<uint64_t>(8, pages - first));
                bool free = true;
                for (uint64_t p = first; p < first + count; ++p)
                    free = free && !live.count(p);
                if (free && rnd(3) != 0) {
                    const uint64_t pa = (0x100 + rnd(0x100)) * block + (whole_block ? 0 : rnd(block / gran) * gran);
                    MapAttrs a;
                    a.write = rnd(2);
                    b.map(first * gran, pa, count * gran, a);
                    for (uint64_t p = 0; p < count; ++p)
                        live[first + p] = {pa + p * gran, a.write};
                } else {
                    b.unmap(first * gran, count * gran);
                    for (uint64_t p = first; p < first + count; ++p)
                        live.erase(p);
                }
                for (uint64_t p = 0; p < pages; p += 1 + p % 13) {
                    const auto o = walk(b.config(), stage, p * gran + 0x18, Access{false, false, true}, m);
                    const auto it = live.find(p);
                    if (it == live.end()) {
                        ASSERT_EQ(o.fault.type, evt::F_TRANSLATION) << "op " << op << " page " << p;
                        continue;
                    }
                    ASSERT_TRUE(o.ok()) << "op " << op << " page " << p;
                    ASSERT_EQ(o.result.oa, it->second.first + 0x18) << "op " << op << " page " << p;
                    ASSERT_EQ(o.result.perm.write, it->second.second) << "op " << op << " page " << p;
                }
            }
        }
    }
}

}  // namespace
}  // namespace smmusim::smmuv3
