// SPDX-License-Identifier: GPL-2.0-only
// Locating STEs (linear and 2-level stream tables, as Linux lays them out
// for SIDSIZE up to 32 with STRTAB_SPLIT = 8) and CDs (linear and 2-level
// CD tables, S1DSS, SubstreamIDs), and the fetch wrappers: the address found
// or the fault, and every read made (IHI 0070 3.3, 5.1, 5.2, 5.3, 6.3.24-25).
#include <gtest/gtest.h>

#include "linux_entries.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/stream_table.h"
#include "table_memory.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using test::Entry;
using test::TableMemory;

namespace {

constexpr uint64_t kStrtab = 0x1000'0000;

uint64_t cfg_linear(unsigned log2size) { return strtab::LOG2SIZE.put(log2size); }
uint64_t cfg_2lvl(unsigned log2size, unsigned split)
{
    return strtab::FMT.put(strtab::FMT_2LVL) | strtab::SPLIT.put(split) | strtab::LOG2SIZE.put(log2size);
}
// arm_smmu_write_strtab_l1_desc(): Span = STRTAB_SPLIT + 1.
uint64_t l1std_desc(uint64_t l2ptr, unsigned span = 9)
{
    return l1std::Span.put(span) | (l2ptr & l1std::L2Ptr.mask());
}
// arm_smmu_write_cd_l1_desc()
uint64_t l1cd_desc(uint64_t l2ptr) { return (l2ptr & l1cd::L2Ptr.mask()) | l1cd::V.mask(); }

SteContext sid_bits(unsigned n)
{
    SteContext c;
    c.sidsize = n;
    return c;
}

void expect_fault(const Fault& f, uint8_t type, bool record = true)
{
    EXPECT_EQ(f.type, type);
    EXPECT_EQ(f.record, record);
}

}  // namespace

TEST(StreamTable, LinearTable)
{
    TableMemory mem;
    const TableLocation loc = ste_address(kStrtab, cfg_linear(16), 0x1234, sid_bits(16), mem);
    EXPECT_FALSE(loc.fault);
    EXPECT_EQ(loc.addr, kStrtab + 0x1234 * 64);
    EXPECT_EQ(loc.reads, 0u);  // no level 1
}

TEST(StreamTable, StreamIdBeyondTheTableIsCBadStreamId)
{
    TableMemory mem;
    expect_fault(ste_address(kStrtab, cfg_linear(16), 0x10000, sid_bits(16), mem).fault, evt::C_BAD_STREAMID);
    // LOG2SIZE above SIDSIZE is capped by it (6.3.25).
    expect_fault(ste_address(kStrtab, cfg_linear(20), 0x10000, sid_bits(16), mem).fault, evt::C_BAD_STREAMID);
    EXPECT_FALSE(ste_address(kStrtab, cfg_linear(20), 0xffff, sid_bits(16), mem).fault);
    // Recorded only with CR2.RECINVSID (7.3.2).
    SteContext quiet = sid_bits(16);
    quiet.recinvsid = false;
    expect_fault(ste_address(kStrtab, cfg_linear(8), 0x100, quiet, mem).fault, evt::C_BAD_STREAMID, false);
}

TEST(StreamTable, LinearBaseIsAlignedToTheTableSize)
{
    // 6.3.24: ADDR[LOG2SIZE + 5:0] are taken as zero; the literal LOG2SIZE, not capped by SIDSIZE.
    TableMemory mem;
    EXPECT_EQ(ste_address(kStrtab + 0x3c0, cfg_linear(4), 1, sid_bits(16), mem).addr, kStrtab + 64);
    EXPECT_EQ(ste_address(kStrtab + 0x40, cfg_linear(20), 1, sid_bits(8), mem).addr, kStrtab + 64);
}

TEST(StreamTable, LinuxTwoLevelTableWith32BitStreamIds)
{
    // arm_smmu_init_strtab_2lvl() with sid_bits = 32: 2^17 L1 descriptors (STRTAB_MAX_L1_ENTRIES),
    // LOG2SIZE = 17 + STRTAB_SPLIT = 25, SPLIT = 8.
    TableMemory mem;
    const uint64_t l2 = 0x2000'4000;  // a 16 KiB level-2 array of 256 STEs
    const uint32_t sid = 0x1'2345;
    mem.write64(kStrtab + (sid >> 8) * 8, l1std_desc(l2));
    const TableLocation loc = ste_address(kStrtab, cfg_2lvl(25, 8), sid, sid_bits(32), mem);
    EXPECT_FALSE(loc.fault);
    EXPECT_EQ(loc.addr, l2 + 0x45 * 64);
    EXPECT_EQ(loc.reads, 1u);
    ASSERT_EQ(mem.reads.size(), 1u);
    EXPECT_EQ(mem.reads[0], kStrtab + 0x123 * 8);
    // Beyond 2^25: no L1 descriptor is read.
    expect_fault(ste_address(kStrtab, cfg_2lvl(25, 8), 1u << 25, sid_bits(32), mem).fault, evt::C_BAD_STREAMID);
    EXPECT_EQ(mem.reads.size(), 1u);
    // The last StreamID the table covers.
    mem.write64(kStrtab + 0x1'ffff * 8, l1std_desc(l2));
    EXPECT_EQ(ste_address(kStrtab, cfg_2lvl(25, 8), (1u << 25) - 1, sid_bits(32), mem).addr, l2 + 0xff * 64);
}

TEST(StreamTable, L1DescriptorSpan)
{
    TableMemory mem;
    const uint64_t l2 = 0x2000'0000;
    auto at = [&](uint32_t sid, uint64_t desc) {
        mem.write64(kStrtab + (sid >> 8) * 8, desc);
        return ste_address(kStrtab, cfg_2lvl(16, 8), sid, sid_bits(16), mem);
    };
    // Span 0: no level-2 array; reserved 12..31 behave as 0; above SPLIT + 1 is out of bounds (5.1, 5.1.1).
    expect_fault(at(0x0100, 0).fault, evt::C_BAD_STREAMID);
    expect_fault(at(0x0200, l1std_desc(l2, 12)).fault, evt::C_BAD_STREAMID);
    expect_fault(at(0x0300, l1std_desc(l2, 31)).fault, evt::C_BAD_STREAMID);
    expect_fault(at(0x0400, l1std_desc(l2, 10)).fault, evt::C_BAD_STREAMID);
    EXPECT_EQ(at(0x04ff, l1std_desc(l2, 9)).addr, l2 + 0xff * 64);
    // Span 3: four STEs; a StreamID beyond them is invalid.
    expect_fault(at(0x0504, l1std_desc(l2, 3)).fault, evt::C_BAD_STREAMID);
    EXPECT_EQ(at(0x0503, l1std_desc(l2, 3)).addr, l2 + 3 * 64);
    // L2Ptr is aligned to the level-2 array's size: 2^(Span - 1) STEs (5.1 L2Ptr).
    EXPECT_EQ(at(0x0601, l1std_desc(l2 + 0xc0, 3)).addr, l2 + 64);
}

TEST(StreamTable, ReservedFormatAndSplit)
{
    TableMemory mem;
    const uint64_t l2 = 0x2000'0000;
    // SPLIT reserved (7) behaves as 6: 64 STEs a level-2 array (6.3.25).
    mem.write64(kStrtab + 1 * 8, l1std_desc(l2, 7));
    EXPECT_EQ(ste_address(kStrtab, cfg_2lvl(16, 7), 0x45, sid_bits(16), mem).addr, l2 + 5 * 64);
    // FMT reserved (0b10) behaves as linear; FMT is RES0 without IDR0.ST_LVL.
    const uint64_t fmt2 = strtab::FMT.put(2) | strtab::SPLIT.put(8) | strtab::LOG2SIZE.put(16);
    EXPECT_EQ(ste_address(kStrtab, fmt2, 0x45, sid_bits(16), mem).addr, kStrtab + 0x45 * 64);
    SteContext linear_only = sid_bits(16);
    linear_only.st_2lvl = false;
    EXPECT_EQ(ste_address(kStrtab, cfg_2lvl(16, 8), 0x45, linear_only, mem).addr, kStrtab + 0x45 * 64);
    EXPECT_EQ(mem.reads.size(), 1u);
}

TEST(StreamTable, TwoLevelBaseIsAlignedToTheL1Table)
{
    // 6.3.24: ADDR[MAX(5, LOG2SIZE - SPLIT - 1 + 3):0] are zero: 2^8 descriptors = 2 KiB here.
    TableMemory mem;
    mem.write64(kStrtab + 8, l1std_desc(0x2000'0000));
    EXPECT_EQ(ste_address(kStrtab + 0x7c0, cfg_2lvl(16, 8), 0x100, sid_bits(16), mem).addr, 0x2000'0000u);
    // One descriptor (LOG2SIZE <= SPLIT): 64-byte alignment.
    mem.write64(kStrtab + 0x40, l1std_desc(0x2000'0000));
    EXPECT_EQ(ste_address(kStrtab + 0x40, cfg_2lvl(6, 8), 0x3f, sid_bits(16), mem).addr, 0x2000'0000u + 0x3f * 64);
}

TEST(StreamTable, FetchAbortsAreFSteFetchWithTheAddress)
{
    TableMemory mem;
    mem.abort_range(kStrtab + 2 * 8, 8);
    const SteFetch l1 = fetch_stream_config(kStrtab, cfg_2lvl(16, 8), 0x0234, sid_bits(16), mem);
    expect_fault(l1.fault, evt::F_STE_FETCH);
    EXPECT_EQ(l1.fault.fetch_addr, kStrtab + 2 * 8);
    EXPECT_EQ(l1.reads, 1u);
    mem.abort_range(kStrtab + 7 * 64 + 32, 8);  // the STE's doubleword 4
    const SteFetch ste = fetch_stream_config(kStrtab, cfg_linear(16), 7, sid_bits(16), mem);
    expect_fault(ste.fault, evt::F_STE_FETCH);
    EXPECT_EQ(ste.fault.fetch_addr, kStrtab + 7 * 64);
    EXPECT_EQ(ste.reads, 1u);
}

TEST(StreamTable, FetchStreamConfigDecodesWhatLinuxWrote)
{
    TableMemory mem;
    const uint64_t l2 = 0x2000'4000;
    mem.write64(kStrtab + 1 * 8, l1std_desc(l2));
    mem.put(l2 + 0x22 * 64, test::arm_smmu_make_s2_domain_ste({}, 9, {}, 0x9000'0000, false).d);
    const SteFetch f = fetch_stream_config(kStrtab, cfg_2lvl(16, 8), 0x122, sid_bits(16), mem);
    EXPECT_FALSE(f.fault);
    EXPECT_EQ(f.reads, 2u);
    EXPECT_EQ(f.addr, l2 + 0x22 * 64);
    EXPECT_TRUE(f.config.s2_enabled);
    EXPECT_EQ(f.config.vmid, 9u);
    // A neighbour the driver never wrote reads as zeros: V = 0, C_BAD_STE.
    const SteFetch empty = fetch_stream_config(kStrtab, cfg_2lvl(16, 8), 0x123, sid_bits(16), mem);
    expect_fault(empty.fault, evt::C_BAD_STE);
    EXPECT_EQ(empty.fault.reason, uint8_t(SteReason::Invalid));
    // An abort STE: no fault, no event: mode Abort.
    mem.put(l2 + 0x24 * 64, test::arm_smmu_make_abort_ste().d);
    const SteFetch abort = fetch_stream_config(kStrtab, cfg_2lvl(16, 8), 0x124, sid_bits(16), mem);
    EXPECT_FALSE(abort.fault);
    EXPECT_EQ(abort.config.mode, StreamMode::Abort);
}

// ---- context descriptors -------------------------------------------------
namespace {

constexpr uint64_t kCdTab = 0x3000'0000;

StreamConfig cd_stream(unsigned fmt, unsigned cdmax, unsigned dss, uint64_t ptr = kCdTab)
{
    StreamConfig s;
    s.mode = StreamMode::Translate;
    s.s1_enabled = true;
    s.s1_context_ptr = ptr, s.s1_fmt = uint8_t(fmt), s.s1_cdmax = cdmax, s.s1_dss = uint8_t(dss);
    return s;
}

}  // namespace

TEST(CdTable, OneCdWithoutSubstreams)
{
    TableMemory mem;
    const StreamConfig s = cd_stream(0, 0, 0);
    const CdLocation loc = cd_address(s, false, 0, 48, mem);
    EXPECT_FALSE(loc.fault);
    EXPECT_FALSE(loc.s1_bypass);
    EXPECT_EQ(loc.addr, kCdTab);
    // S1CDMax = 0: a SubstreamID is C_BAD_SUBSTREAMID (5.2 S1CDMax).
    expect_fault(cd_address(s, true, 0, 48, mem).fault, evt::C_BAD_SUBSTREAMID);
}

TEST(CdTable, StageOneOffHasNoCdAndNoSubstreams)
{
    TableMemory mem;
    StreamConfig s2_only;
    s2_only.mode = StreamMode::Translate;
    s2_only.s2_enabled = true;
    EXPECT_TRUE(cd_address(s2_only, false, 0, 48, mem).s1_bypass);
    expect_fault(cd_address(s2_only, true, 1, 48, mem).fault, evt::C_BAD_SUBSTREAMID);
    EXPECT_TRUE(mem.reads.empty());
}

TEST(CdTable, LinearTableBySubstreamId)
{
    TableMemory mem;
    const StreamConfig s = cd_stream(0, 5, 0);
    EXPECT_EQ(cd_address(s, true, 31, 48, mem).addr, kCdTab + 31 * 64);
    expect_fault(cd_address(s, true, 32, 48, mem).fault, evt::C_BAD_SUBSTREAMID);
    // The table is aligned to its size: S1ContextPtr[S1CDMax + 5:6] taken as zero (5.2 S1Fmt).
    EXPECT_EQ(cd_address(cd_stream(0, 5, 0, kCdTab + 0x7c0), true, 1, 48, mem).addr, kCdTab + 64);
    EXPECT_TRUE(mem.reads.empty());
}

TEST(CdTable, DefaultSubstreamS1dss)
{
    TableMemory mem;
    // No SubstreamID with substreams on: S1DSS terminate / bypass / substream 0 (5.2 S1DSS).
    expect_fault(cd_address(cd_stream(0, 5, ste::S1DSS_TERMINATE), false, 0, 48, mem).fault, evt::F_STREAM_DISABLED);
    const CdLocation bypass = cd_address(cd_stream(0, 5, ste::S1DSS_BYPASS), false, 0, 48, mem);
    EXPECT_TRUE(bypass.s1_bypass);
    EXPECT_FALSE(bypass.fault);
    EXPECT_EQ(cd_address(cd_stream(0, 5, ste::S1DSS_SSID0), false, 0, 48, mem).addr, kCdTab);
    // With S1DSS = substream 0, substream 0 is not for transactions that name it.
    expect_fault(cd_address(cd_stream(0, 5, ste::S1DSS_SSID0), true, 0, 48, mem).fault, evt::F_STREAM_DISABLED);
    EXPECT_EQ(cd_address(cd_stream(0, 5, ste::S1DSS_SSID0), true, 1, 48, mem).addr, kCdTab + 64);
    // Bypass / terminate S1DSS still let SSID 0 use its CD.
    EXPECT_EQ(cd_address(cd_stream(0, 5, ste::S1DSS_BYPASS), true, 0, 48, mem).addr, kCdTab);
}

TEST(CdTable, LinuxTwoLevelTableWith64KLeaves)
{
    // arm_smmu_alloc_cd_tables() with ssid_bits = 20 and CD2L: S1FMT_64K_L2, 1024 CDs a leaf table.
    TableMemory mem;
    const uint64_t l2 = 0x3100'0000;
    const uint32_t ssid = 0x1'2345;
    mem.write64(kCdTab + (ssid >> 10) * 8, l1cd_desc(l2));
    const CdLocation loc = cd_address(cd_stream(2, 20, 0), true, ssid, 48, mem);
    EXPECT_FALSE(loc.fault);
    EXPECT_EQ(loc.addr, l2 + 0x345 * 64);
    EXPECT_EQ(loc.reads, 1u);
    ASSERT_EQ(mem.reads.size(), 1u);
    EXPECT_EQ(mem.reads[0], kCdTab + 0x48 * 8);
    // An L1CD with V = 0 (never written): C_BAD_SUBSTREAMID (5.3.1).
    expect_fault(cd_address(cd_stream(2, 20, 0), true, 0x400, 48, mem).fault, evt::C_BAD_SUBSTREAMID);
    // L2Ptr[15:12] are RES0 for 64 KiB leaves, taken as zero.
    mem.write64(kCdTab + 0x49 * 8, l1cd_desc(l2 + 0xf000));
    EXPECT_EQ(cd_address(cd_stream(2, 20, 0), true, 0x1'2401, 48, mem).addr, l2 + 64);
}

TEST(CdTable, TwoLevelTableWith4KLeaves)
{
    TableMemory mem;
    const uint64_t l2 = 0x3100'3000;
    mem.write64(kCdTab + 3 * 8, l1cd_desc(l2));
    // S1CDMax = 8: four L1CDs of 64 CDs each (5.2 S1Fmt 0b01).
    EXPECT_EQ(cd_address(cd_stream(1, 8, 0), true, 3 * 64 + 5, 48, mem).addr, l2 + 5 * 64);
    // S1CDMax <= 6: only L1CD #0 is used.
    mem.write64(kCdTab, l1cd_desc(l2));
    EXPECT_EQ(cd_address(cd_stream(1, 6, 0), true, 63, 48, mem).addr, l2 + 63 * 64);
}

TEST(CdTable, L2PtrBeyondTheOasIsCBadSubstreamId)
{
    TableMemory mem;
    mem.write64(kCdTab, l1cd_desc(1ull << 44));
    expect_fault(cd_address(cd_stream(2, 20, 0), true, 1, 44, mem).fault, evt::C_BAD_SUBSTREAMID);
    EXPECT_EQ(cd_address(cd_stream(2, 20, 0), true, 1, 48, mem).addr, (1ull << 44) + 64);
}

TEST(CdTable, FetchAbortsAreFCdFetchWithTheAddress)
{
    TableMemory mem;
    mem.abort_range(kCdTab + 8, 8);
    const CdFetch l1 = fetch_cd(cd_stream(2, 20, 0), true, 0x400, {}, mem);
    expect_fault(l1.fault, evt::F_CD_FETCH);
    EXPECT_EQ(l1.fault.fetch_addr, kCdTab + 8);
    EXPECT_EQ(l1.reads, 1u);
    mem.abort_range(kCdTab + 64 * 3 + 56, 8);
    const CdFetch cd = fetch_cd(cd_stream(0, 4, 0), true, 3, {}, mem);
    expect_fault(cd.fault, evt::F_CD_FETCH);
    EXPECT_EQ(cd.fault.fetch_addr, kCdTab + 64 * 3);
}

TEST(CdTable, FetchCdDecodesWhatLinuxWrote)
{
    TableMemory mem;
    const uint64_t l2 = 0x3100'0000;
    mem.write64(kCdTab, l1cd_desc(l2));
    mem.put(l2 + 5 * 64, test::arm_smmu_make_s1_cd({}, {}, 0x7000'0000, 42).d);
    const StreamConfig s = cd_stream(2, 20, ste::S1DSS_BYPASS);
    const CdFetch f = fetch_cd(s, true, 5, CdContext::of({}, s), mem);
    EXPECT_FALSE(f.fault);
    EXPECT_EQ(f.reads, 2u);
    EXPECT_EQ(f.addr, l2 + 5 * 64);
    EXPECT_EQ(f.config.asid, 42u);
    EXPECT_EQ(f.config.s1.ttb, 0x7000'0000u);
    // A CD never written: V = 0, C_BAD_CD; S1DSS bypass without an SSID reads nothing.
    expect_fault(fetch_cd(s, true, 6, CdContext::of({}, s), mem).fault, evt::C_BAD_CD);
    const size_t reads = mem.reads.size();
    const CdFetch bypass = fetch_cd(s, false, 0, CdContext::of({}, s), mem);
    EXPECT_TRUE(bypass.s1_bypass);
    EXPECT_EQ(bypass.reads, 0u);
    EXPECT_EQ(mem.reads.size(), reads);
}
