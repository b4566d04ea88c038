// SPDX-License-Identifier: GPL-2.0-only
// The timed translation pipeline through Smmuv3::upstream: GBPA with the
// SMMU disabled, STE abort/bypass, stage 1 / stage 2 / nested translations
// with their cycles (miss, walk-cache resume, hit), invalidation through the
// real command queue, every fault the unit raises as an event record read
// back from the queue's memory, unrecorded faults, and slot contention.
//
// Cycle counts at the default parameters: a table read costs
// smmu.xlat.walk_step_cycles (1) + bus.latency_cycles (4) +
// mem.latency_cycles (40) + one beat per 32 bytes (mem.bytes_per_cycle):
// 46 for an 8-byte descriptor, 47 for a 64-byte STE or CD. Lookups cost 2
// (smmu.tlb/cfgcache/walkcache.lookup_cycles), a grant 1
// (smmu.xlat.arb_cycles), a decode 2 (smmu.xlat.config_decode_cycles).
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/event_record.h"
#include "smmuv3/translation/translation_unit.h"
#include "smmuv3/translation/ste.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::DmaAttrs;
using smmusim::test::DmaResult;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;
using smmusim::test::xlat;
using Outcome = smmusim::StreamIdExtension::Outcome;

namespace {

constexpr uint64_t kDesc = 46, kStructure = 47;  // one 8-byte / 64-byte table read, step included

const Histogram& latency(TestBench& b) { return *b.smmu().translation().stats().find_histogram("latency"); }

// A stage-1 stream `sid` of ASID `asid` mapping one 4 KiB page va -> pa.
struct Stage1Stream {
    Stage1Stream(StreamSetup& s, uint32_t sid, uint16_t asid, uint64_t va, uint64_t pa,
                 const MapAttrs& a = StreamSetup::s1_attrs())
        : tables(s.tables(StreamSetup::stage(), Stage::S1)), cd(s.cd_table())
    {
        tables->map(va, pa, 0x1000, a);
        s.cd(cd, tables->config(), asid);
        s.ste_s1(sid, cd);
    }
    std::unique_ptr<PgtableBuilder> tables;
    uint64_t cd;
};

}  // namespace

TEST(TranslationUnit, SmmuDisabledBypassesOrAbortsByGbpa)
{
    TestBench b;
    uint32_t back = 0;
    b.run([&] {
        const uint64_t pa = b.dram(0x800000);
        uint32_t v = 0x12345678;
        const DmaResult r = b.dma(5, pa, 4, true, {}, &v);
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.outcome, Outcome::Bypassed);
        EXPECT_EQ(r.pa, pa);
        b.mem().read(pa, &back, 4);
        b.wr32(GBPA, static_cast<uint32_t>(gbpa::ABORT.mask() | gbpa::UPDATE.mask()));
        EXPECT_TRUE(b.wait_until([&] { return !gbpa::UPDATE.get(b.rd32(GBPA)); }));
        const DmaResult a = b.dma(5, pa, 4, false);
        EXPECT_EQ(a.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(a.outcome, Outcome::Terminated);
        EXPECT_EQ(a.fault, 0);
        EXPECT_FALSE(a.recorded);
    });
    EXPECT_EQ(back, 0x12345678u);
    EXPECT_EQ(xlat(b, "gbpa_bypassed"), 1u);
    EXPECT_EQ(xlat(b, "gbpa_aborted"), 1u);
    EXPECT_EQ(xlat(b, "events"), 0u);
}

TEST(TranslationUnit, RefusesAccessesItCannotTranslate)
{
    TestBench b;
    b.run([&] {
        // Bytes in two 4 KiB pages: the requester must split.
        EXPECT_EQ(b.dma(1, b.dram(0xffc), 8, false).status, tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(b.dma(1, b.dram(0xff8), 8, false).status, tlm::TLM_OK_RESPONSE);
        // No StreamIdExtension: whose is it?
        tlm::tlm_generic_payload gp;
        uint64_t data = 0;
        gp.set_command(tlm::TLM_READ_COMMAND);
        gp.set_address(b.dram(0));
        gp.set_data_ptr(reinterpret_cast<unsigned char*>(&data));
        gp.set_data_length(8);
        gp.set_streaming_width(8);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        sc_core::sc_export<tlm::tlm_fw_transport_if<>>& upstream = b.smmu().upstream;
        upstream->b_transport(gp, d);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_GENERIC_ERROR_RESPONSE);
    });
    EXPECT_EQ(b.smmu().stats().value("upstream_refused"), 2u);
    EXPECT_EQ(xlat(b, "transactions"), 1u);
}

TEST(TranslationUnit, SteAbortTerminatesSilentlyAndBypassPassesThrough)
{
    TestBench b;
    StreamSetup s(b);
    s.ste_abort(1);
    s.ste_bypass(2);
    b.run([&] {
        s.enable();
        const DmaResult a = b.dma(1, b.dram(0x1000), 8, false);
        EXPECT_EQ(a.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(a.fault, 0);
        const DmaResult p = b.dma(2, b.dram(0x1000), 8, false);
        EXPECT_EQ(p.outcome, Outcome::Bypassed);
        EXPECT_EQ(p.pa, b.dram(0x1000));
        b.wait_cycles(100);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(xlat(b, "ste_aborted"), 1u);
    EXPECT_EQ(xlat(b, "bypassed"), 1u);
}

TEST(TranslationUnit, Stage1MissWalkCacheResumeAndHitInExactCycles)
{
    TestBench b;
    StreamSetup s(b);
    Stage1Stream st(s, 3, 7, 0x10000, b.dram(0x1000000));
    st.tables->map(0x11000, b.dram(0x1200000), 0x1000, StreamSetup::s1_attrs());
    std::vector<uint64_t> lat;
    b.run([&] {
        s.enable();
        const DmaResult r = b.dma(3, 0x10123, 8, false);
        EXPECT_EQ(r.outcome, Outcome::Translated);
        EXPECT_EQ(r.pa, b.dram(0x1000123));
        lat.push_back(latency(b).max());
        EXPECT_EQ(b.dma(3, 0x10ff8, 8, true).pa, b.dram(0x1000ff8));  // a TLB hit
        lat.push_back(latency(b).min());
        EXPECT_EQ(b.dma(3, 0x11000, 4, false).pa, b.dram(0x1200000));  // the walk cache holds level 2
    });
    // Miss: grant 1, STE lookup 2, walk grant 1, STE read, decode 2, CD
    // lookup 2, CD read, decode 2, TLB lookup 2, walk-cache lookup 2, four
    // descriptor reads (4K, 48-bit: levels 0-3).
    EXPECT_EQ(lat[0], 1 + 2 + 1 + kStructure + 2 + 2 + kStructure + 2 + 2 + 2 + 4 * kDesc);
    // Hit: grant, STE, CD and TLB lookups.
    EXPECT_EQ(lat[1], 1u + 2 + 2 + 2);
    // Walk-cache resume at level 3: one read.
    EXPECT_EQ(latency(b).max(), lat[0]);
    const Histogram& h = latency(b);
    EXPECT_EQ(h.count(), 3u);
    EXPECT_EQ(h.percentile(50), 1u + 2 + 2 + 2 + 1 + 2 + kDesc);
    EXPECT_EQ(xlat(b, "walks"), 2u);
    EXPECT_EQ(xlat(b, "walk_reads"), 5u);
    EXPECT_EQ(xlat(b, "ste_fetches"), 1u);
    EXPECT_EQ(xlat(b, "cd_fetches"), 1u);
    EXPECT_EQ(xlat(b, "config_reads"), 2u);
    EXPECT_EQ(xlat(b, "translated"), 3u);
    EXPECT_EQ(b.smmu().translation().tlb().stats().hits.value(), 1u);
    EXPECT_EQ(b.smmu().translation().walk_cache().stats().hits.value(), 1u);
}

TEST(TranslationUnit, Stage2Translates)
{
    TestBench b;
    StreamSetup s(b);
    auto s2 = s.tables(StreamSetup::stage(), Stage::S2);
    s2->map(0x40000000, b.dram(0x1000000), 0x200000, StreamSetup::s2_attrs());  // a 2 MiB block
    s.ste_s2(9, s2->config(), 5);
    b.run([&] {
        s.enable();
        EXPECT_EQ(b.dma(9, 0x40123456, 8, false).pa, b.dram(0x1123456));
        EXPECT_EQ(b.dma(9, 0x401ffff8, 8, false).pa, b.dram(0x11ffff8));  // the same block: a hit
    });
    EXPECT_EQ(xlat(b, "walks"), 1u);
    EXPECT_EQ(xlat(b, "walk_reads"), 3u);  // levels 0, 1 and the level-2 block
    EXPECT_EQ(xlat(b, "cd_fetches"), 0u);
}

TEST(TranslationUnit, NestedTranslatesEveryStage1AccessThroughStage2)
{
    TestBench b;
    StreamSetup s(b);
    // Stage 2 maps the table pool at IPA = PA (2 MiB blocks) and the data
    // IPA 0x70000000 to a page elsewhere.
    // Normal memory: STE.S2PTW (set, as Linux sets it) faults stage-1
    // table walks to Device memory.
    const MapAttrs normal = StreamSetup::s2_attrs();
    auto s2 = s.tables(StreamSetup::stage(), Stage::S2);
    s2->map(b.dram(StreamSetup::kPool), b.dram(StreamSetup::kPool), StreamSetup::kPoolSize, normal);
    s2->map(0x70000000, b.dram(0x1000000), 0x1000, normal);
    auto s1 = s.tables(StreamSetup::stage(), Stage::S1);
    s1->map(0x10000, 0x70000000, 0x1000, StreamSetup::s1_attrs());
    const uint64_t cd = s.cd_table();
    s.cd(cd, s1->config(), 11);
    s.ste_nested(4, cd, s2->config(), 6);
    b.run([&] {
        s.enable();
        const DmaResult r = b.dma(4, 0x10080, 8, true);
        EXPECT_EQ(r.outcome, Outcome::Translated) << int(r.fault);
        EXPECT_EQ(r.pa, b.dram(0x1000080));
        EXPECT_EQ(b.dma(4, 0x10088, 8, false).pa, b.dram(0x1000088));
    });
    // STE, then the CD through stage 2 (3 reads to its block, the CD).
    EXPECT_EQ(xlat(b, "config_reads"), 1u + 3 + 1);
    // Four stage-1 descriptors, each after a 3-read stage-2 walk of its
    // table's IPA, then the output IPA's 4-read stage-2 walk.
    EXPECT_EQ(xlat(b, "walk_reads"), 4u * (3 + 1) + 4);
    EXPECT_EQ(xlat(b, "walks"), 1u);
    EXPECT_EQ(xlat(b, "translated"), 2u);
}
