// SPDX-License-Identifier: GPL-2.0-only
// The SMMU's side of ATS through Smmuv3::upstream (translation/ats.h):
// Translation Requests answered with their Translation Completion (IHI 0070
// 3.9.1.2, 13.6, 13.7.1), Translated transactions checked with CR0.ATSCHK
// and STE.EATS (3.9.1.3), the events each case records (7.3.6, 7.3.8) and
// the cycles a request costs (the translation pipeline's: see
// translation_unit_test.cc for the figures).
#include <cstring>

#include <gtest/gtest.h>

#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/event_record.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/translation_unit.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::DmaAttrs;
using smmusim::test::DmaResult;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;
using smmusim::test::xlat;
using At = StreamIdExtension::At;
using Outcome = StreamIdExtension::Outcome;
using Status = StreamIdExtension::AtsCompletion::Status;

namespace {

constexpr uint64_t kDesc = 46, kStructure = 47;  // one 8-byte / 64-byte table read, step included

const Histogram& ats_latency(TestBench& b) { return *b.smmu().translation().stats().find_histogram("ats.latency"); }

// CR0.ATSCHK = 1, as arm_smmu_device_reset sets it with IDR0.ATS.
void atschk(TestBench& b, bool on)
{
    const uint32_t want = (b.rd32(CR0) & ~uint32_t(cr0::ATSCHK.mask())) | (on ? uint32_t(cr0::ATSCHK.mask()) : 0);
    b.wr32(CR0, want);
    EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == want; }));
}

void set_eats(StreamSetup& s, uint32_t sid, uint64_t eats)
{
    uint64_t e[8];
    s.read_ste(sid, e);
    ste::EATS.set(e, eats);
    s.write_ste(sid, e);
}

DmaResult request(TestBench& b, uint32_t sid, uint64_t addr, bool write = false, DmaAttrs a = {})
{
    a.at = At::TranslationRequest;
    return b.dma(sid, addr, 8, write, a);
}

DmaResult translated(TestBench& b, uint32_t sid, uint64_t addr, bool write, void* data = nullptr)
{
    DmaAttrs a;
    a.at = At::Translated;
    return b.dma(sid, addr, 8, write, a, data);
}

// A stage-1 stream `sid` with EATS = 0b01 and ATS-enabled CDs 0 and 1 (S1DSS
// = `s1dss` for requests without a PASID), both of ASID 7 on one table.
struct AtsStream {
    AtsStream(StreamSetup& s, uint32_t sid, uint64_t s1dss = ste::S1DSS_SSID0)
        : tables(s.tables(StreamSetup::stage(), Stage::S1)), cd(s.cd_table(1))
    {
        s.cd(cd, tables->config(), 7);
        s.cd(cd + 64, tables->config(), 7);
        s.ste_s1(sid, cd, 1, s1dss);
        set_eats(s, sid, ste::EATS_TRANS);
    }
    std::unique_ptr<PgtableBuilder> tables;
    uint64_t cd;
};

// Streams 1 (EATS 0b01), 2 (EATS 0b00), 3 (Config bypass), 4 (Config abort).
struct FourStreams {
    explicit FourStreams(StreamSetup& s) : on(s, 1), off(s, 2)
    {
        set_eats(s, 2, ste::EATS_ABT);
        s.ste_bypass(3);
        s.ste_abort(4);
    }
    AtsStream on, off;
};

MapAttrs attrs(bool write, bool unpriv, bool exec, bool global)
{
    MapAttrs a = StreamSetup::s1_attrs();
    a.write = write;
    a.unpriv = unpriv;
    a.exec = exec;
    a.global = global;
    return a;
}

}  // namespace

// 3.9.1.2 / 13.7.1: a request for a mapped page: its PA, the page size, the
// page's permissions; the data is not touched; the TLB is filled, so the
// next request and an ordinary access hit. Exact cycles: a miss costs what
// an ordinary translation's miss costs, a hit 7.
TEST(Ats, S3_9_1_2_RequestTranslatesTimedLikeATranslationAndFillsTheTlb)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 3);
    const uint64_t pa = b.dram(0x1000000);
    st.tables->map(0x10000, pa, 0x1000, StreamSetup::s1_attrs());
    uint64_t data = 0x0123456789abcdefull, back = 0;
    b.run([&] {
        s.enable();
        DmaAttrs a;
        a.at = At::TranslationRequest;
        const DmaResult r = b.dma(3, 0x10008, 8, true, a, &data);
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.outcome, Outcome::Translated);
        EXPECT_EQ(r.pa, pa + 8);
        EXPECT_EQ(r.ats.status, Status::Success);
        EXPECT_EQ(r.ats.translated, pa);
        EXPECT_EQ(r.ats.size, 0x1000u);
        EXPECT_TRUE(r.ats.read && r.ats.write);
        EXPECT_FALSE(r.ats.exec || r.ats.priv || r.ats.global);  // nG = 1
        EXPECT_EQ(request(b, 3, 0x10ff8).ats.translated, pa);   // a TLB hit
        EXPECT_EQ(b.dma(3, 0x10010, 8, false).pa, pa + 0x10);  // an ordinary access hits too
        b.mem().read(pa + 8, &back, 8);
        b.wait_cycles(100);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(data, 0x0123456789abcdefull);
    EXPECT_EQ(back, 0u);  // the request wrote nothing
    EXPECT_EQ(ats_latency(b).max(), 1 + 2 + 1 + kStructure + 2 + 2 + kStructure + 2 + 2 + 2 + 4 * kDesc);
    EXPECT_EQ(ats_latency(b).min(), 1u + 2 + 2 + 2);
    EXPECT_EQ(xlat(b, "walks"), 1u);
    EXPECT_EQ(xlat(b, "ats.requests"), 2u);
    EXPECT_EQ(xlat(b, "ats.success"), 2u);
    EXPECT_EQ(xlat(b, "transactions"), 1u);  // the ordinary access only
    EXPECT_EQ(b.smmu().translation().tlb().stats().hits.value(), 2u);
}

// 13.7.1: R, W, Exe for the request's privilege, Priv echoed; Exe and Priv
// only with a PASID; Global = nG = 0 without a PASID (3.9.1); a block's size.
TEST(Ats, S13_7_1_PermissionsPrivilegeExecuteGlobalAndBlockSize)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 4);
    st.tables->map(0x10000, b.dram(0x1000000), 0x1000, attrs(false, true, false, false));  // RO
    st.tables->map(0x11000, b.dram(0x1001000), 0x1000, attrs(true, false, false, false));  // privileged RW
    st.tables->map(0x12000, b.dram(0x1002000), 0x1000, attrs(true, true, true, true));     // RWX, global
    st.tables->map(0x40000000, b.dram(0x1200000), 0x200000, StreamSetup::s1_attrs());     // a 2 MiB block
    DmaAttrs pasid;
    pasid.ssv = true;
    pasid.ssid = 1;
    b.run([&] {
        s.enable();
        const auto ro = request(b, 4, 0x10000, true).ats;  // NW = 0: write asked, not granted
        EXPECT_EQ(ro.status, Status::Success);
        EXPECT_TRUE(ro.read);
        EXPECT_FALSE(ro.write);
        const auto user = request(b, 4, 0x11000).ats;  // no PASID: Unprivileged, nothing granted
        EXPECT_EQ(user.status, Status::Success);
        EXPECT_FALSE(user.read || user.write);
        EXPECT_EQ(user.size, 0x1000u);  // STU
        EXPECT_EQ(user.translated, 0u);
        DmaAttrs priv = pasid;
        priv.priv = true;
        const auto p = request(b, 4, 0x11000, false, priv).ats;
        EXPECT_TRUE(p.read && p.write && p.priv);
        EXPECT_EQ(p.translated, b.dram(0x1001000));
        DmaAttrs exe = pasid;
        exe.instr = true;
        const auto x = request(b, 4, 0x12000, false, exe).ats;
        EXPECT_TRUE(x.read && x.write && x.exec);
        EXPECT_FALSE(x.global);  // a PASID: Global is 0
        const auto g = request(b, 4, 0x12000, false, DmaAttrs{false, 0, false, true}).ats;
        EXPECT_FALSE(g.exec);  // Exe is asked only with a PASID
        EXPECT_TRUE(g.global);
        const auto blk = request(b, 4, 0x40123000).ats;
        EXPECT_EQ(blk.size, 0x200000u);
        EXPECT_EQ(blk.translated, b.dram(0x1200000));
        b.wait_cycles(100);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(xlat(b, "ats.no_access"), 1u);
    EXPECT_EQ(xlat(b, "faults"), 0u);
}

// 3.9.1.2: translation-related faults answer Success with R = W = 0 and are
// not recorded.
TEST(Ats, S3_9_1_2_TranslationFaultsAreSuccessWithNoAccessAndNoEvent)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 5);
    MapAttrs no_af = StreamSetup::s1_attrs();
    no_af.af = false;
    st.tables->map(0x20000, b.dram(0x1000000), 0x1000, no_af);
    b.run([&] {
        s.enable();
        const DmaResult unmapped = request(b, 5, 0x30000);
        EXPECT_EQ(unmapped.ats.status, Status::Success);
        EXPECT_FALSE(unmapped.ats.read || unmapped.ats.write);
        EXPECT_EQ(unmapped.ats.size, 0x1000u);
        EXPECT_EQ(unmapped.fault, evt::F_TRANSLATION);
        EXPECT_FALSE(unmapped.recorded);
        EXPECT_EQ(unmapped.outcome, Outcome::Translated);
        EXPECT_EQ(request(b, 5, 0x20000).fault, evt::F_ACCESS);
        EXPECT_EQ(request(b, 5, 1ull << 50).fault, evt::F_TRANSLATION);  // beyond T0SZ
        b.wait_cycles(100);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(xlat(b, "ats.no_access"), 3u);
    EXPECT_EQ(xlat(b, "events"), 0u);
}

// 3.9.1.2 table / 7.3.6: UR, with F_BAD_ATS_TREQ unless the STE aborts.
TEST(Ats, S3_9_1_2_DisabledAtsAnswersUrAndRecordsBadAtsTreq)
{
    TestBench b;
    StreamSetup s(b);
    FourStreams streams(s);
    b.run([&] {
        const DmaResult dis = request(b, 1, 0x10000);  // SMMUEN = 0
        EXPECT_EQ(dis.ats.status, Status::UnsupportedRequest);
        EXPECT_EQ(dis.fault, evt::F_BAD_ATS_TREQ);
        s.enable();
        DmaAttrs a;
        a.ssv = true;
        a.ssid = 1;
        const DmaResult r = request(b, 2, 0x12345, false, a);
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.outcome, Outcome::Terminated);
        EXPECT_EQ(r.ats.status, Status::UnsupportedRequest);
        EXPECT_TRUE(r.recorded);
        EXPECT_EQ(request(b, 3, 0x10000).ats.status, Status::UnsupportedRequest);  // Config bypass
        const DmaResult ab = request(b, 4, 0x10000);                              // Config abort
        EXPECT_EQ(ab.ats.status, Status::UnsupportedRequest);
        EXPECT_FALSE(ab.recorded);
        b.wait_cycles(100);
        ASSERT_EQ(s.events(), 2u);  // SMMUEN = 0's record met a disabled queue (EVTQEN = 0)
        const EventRecord e = s.event(0);
        EXPECT_EQ(evtrec::TYPE.get(e[0]), evt::F_BAD_ATS_TREQ);
        EXPECT_EQ(evtrec::SID.get(e[0]), 2u);
        EXPECT_EQ(evtrec::SSV.get(e[0]), 1u);
        EXPECT_EQ(evtrec::SSID.get(e[0]), 1u);
        EXPECT_EQ(e[2], 0x12000u);
        EXPECT_EQ(evtrec::SID.get(s.event(1)[0]), 3u);
    });
    EXPECT_EQ(xlat(b, "ats.unsupported"), 4u);
}

// 3.9.1.2: configuration errors answer CA and, with CR2.REC_CFG_ATS RES0
// (IDR0.ATSRECERR = 0), record nothing.
TEST(Ats, S3_9_1_2_ConfigurationErrorsAnswerCompleterAbortWithoutEvent)
{
    TestBench b;
    StreamSetup s(b);
    uint64_t bad[8] = {};  // V = 0
    s.write_ste(6, bad);
    AtsStream st(s, 7);
    uint64_t cd[8] = {};  // CD 1: V = 0
    b.mem().write(st.cd + 64, cd, 64);
    DmaAttrs pasid;
    pasid.ssv = true;
    pasid.ssid = 1;
    b.run([&] {
        s.enable();
        const DmaResult r = request(b, 6, 0x10000);
        EXPECT_EQ(r.ats.status, Status::CompleterAbort);
        EXPECT_EQ(r.fault, evt::C_BAD_STE);
        EXPECT_FALSE(r.recorded);
        EXPECT_EQ(request(b, 1u << 20, 0x10000).fault, evt::C_BAD_STREAMID);  // beyond LOG2SIZE
        EXPECT_EQ(request(b, 7, 0x10000, false, pasid).fault, evt::C_BAD_CD);
        DmaAttrs big = pasid;
        big.ssid = 2;  // beyond S1CDMax
        EXPECT_EQ(request(b, 7, 0x10000, false, big).fault, evt::C_BAD_SUBSTREAMID);
        b.wait_cycles(100);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(xlat(b, "ats.completer_abort"), 4u);
}

// Malformed requests are the model's refusals: no completion but UR.
TEST(Ats, MalformedRequestsAreRefused)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 1);
    b.run([&] {
        s.enable();
        DmaAttrs a;
        a.at = At::TranslationRequest;
        const DmaResult empty = b.dma(1, 0x10000, 0, false, a);
        EXPECT_EQ(empty.status, tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(empty.ats.status, Status::UnsupportedRequest);
        EXPECT_EQ(empty.outcome, Outcome::Terminated);
        EXPECT_EQ(b.dma(1, 0x10ffc, 8, false, a).status, tlm::TLM_BURST_ERROR_RESPONSE);  // two pages
        a.at = static_cast<At>(3);  // AT = 0b11: reserved
        const DmaResult reserved = b.dma(1, 0x10000, 8, false, a);
        EXPECT_EQ(reserved.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(reserved.outcome, Outcome::Terminated);
    });
    EXPECT_EQ(b.smmu().stats().value("upstream_refused"), 3u);
    EXPECT_EQ(xlat(b, "ats.requests"), 0u);
}

TEST(Ats, WithoutIdr0AtsThereIsNoAtsInterface)
{
    TestBench b({"smmu.idr.ats=0"});
    b.run([&] {
        EXPECT_EQ(request(b, 1, 0x10000).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(translated(b, 1, b.dram(0), false).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    });
    EXPECT_EQ(b.smmu().stats().value("upstream_refused"), 2u);
}

// 13.6.4: a stage-1-only stream whose S1DSS skips stage 1 for a request
// without a PASID answers an identity translation, R = W = 1.
TEST(Ats, S13_6_4_SkippedStage1AnswersIdentity)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 2, ste::S1DSS_BYPASS);
    b.run([&] {
        s.enable();
        const auto c = request(b, 2, 0x87654321).ats;
        EXPECT_EQ(c.status, Status::Success);
        EXPECT_EQ(c.translated, 0x87654000u);
        EXPECT_EQ(c.size, 0x1000u);
        EXPECT_TRUE(c.read && c.write);
        EXPECT_FALSE(c.exec || c.priv || c.global);
    });
}

// 3.9.1.3: Translated transactions. ATSCHK = 0: performed with no check;
// ATSCHK = 1: EATS 0b01 performed, EATS 0b00 and Config bypass
// F_TRANSL_FORBIDDEN, Config abort and a bad STE aborted silently; SMMUEN = 0
// F_TRANSL_FORBIDDEN; beyond the OAS aborted silently (3.9.1.1).
TEST(Ats, S3_9_1_3_TranslatedTransactionsCheckedByAtschkAndEats)
{
    TestBench b;
    StreamSetup s(b);
    FourStreams streams(s);
    const uint64_t pa = b.dram(0x1000000);
    uint64_t v = 0x1122334455667788ull, back = 0;
    b.run([&] {
        EXPECT_EQ(translated(b, 1, pa, false).fault, evt::F_TRANSL_FORBIDDEN);  // SMMUEN = 0
        s.enable();
        EXPECT_EQ(translated(b, 2, pa, false).outcome, Outcome::Bypassed);  // ATSCHK = 0: no check
        EXPECT_EQ(translated(b, 2, 1ull << 48, false).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        atschk(b, true);
        const DmaResult ok = translated(b, 1, pa, true, &v);
        EXPECT_TRUE(ok.ok());
        EXPECT_EQ(ok.outcome, Outcome::Bypassed);
        EXPECT_EQ(ok.pa, pa);
        const DmaResult no = translated(b, 2, pa + 0x10, false);
        EXPECT_EQ(no.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_EQ(no.fault, evt::F_TRANSL_FORBIDDEN);
        EXPECT_TRUE(no.recorded);
        EXPECT_EQ(translated(b, 3, pa, true).fault, evt::F_TRANSL_FORBIDDEN);
        const DmaResult ab = translated(b, 4, pa, false);
        EXPECT_EQ(ab.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
        EXPECT_FALSE(ab.recorded);
        EXPECT_FALSE(translated(b, 9, pa, false).recorded);  // STE V = 0: aborted, no event
        b.wait_cycles(100);
        ASSERT_EQ(s.events(), 2u);  // SMMUEN = 0's record met a disabled queue (EVTQEN = 0)
        const EventRecord e = s.event(0);
        EXPECT_EQ(evtrec::TYPE.get(e[0]), evt::F_TRANSL_FORBIDDEN);
        EXPECT_EQ(evtrec::SID.get(e[0]), 2u);
        EXPECT_EQ(evtrec::RnW.get(e[1]), 1u);
        EXPECT_EQ(e[2], pa + 0x10);
        EXPECT_EQ(evtrec::RnW.get(s.event(1)[1]), 0u);
        b.mem().read(pa, &back, 8);
    });
    EXPECT_EQ(back, v);
    EXPECT_EQ(xlat(b, "ats.translated_allowed"), 2u);
    EXPECT_EQ(xlat(b, "ats.translated_refused"), 6u);
}

// Nested streams. EATS 0b01: the completion is the PA through both stages,
// the smaller stage's size, both stages' permissions (13.6.3). EATS 0b10
// (split-stage, ATSCHK = 1): the completion is the stage-1 IPA, and a
// Translated access at it goes through stage 2, whose faults are recorded.
TEST(Ats, S13_6_3_NestedFullAndSplitStage)
{
    TestBench b;
    StreamSetup s(b);
    const MapAttrs normal = StreamSetup::s2_attrs();
    MapAttrs ro = normal;
    ro.write = false;
    auto s2 = s.tables(StreamSetup::stage(), Stage::S2);
    s2->map(b.dram(StreamSetup::kPool), b.dram(StreamSetup::kPool), StreamSetup::kPoolSize, normal);
    s2->map(0x70000000, b.dram(0x1000000), 0x200000, ro);  // a read-only 2 MiB block
    auto s1 = s.tables(StreamSetup::stage(), Stage::S1);
    s1->map(0x10000, 0x70001000, 0x1000, StreamSetup::s1_attrs());
    s1->map(0x11000, 0x78000000, 0x1000, StreamSetup::s1_attrs());  // no stage-2 mapping
    const uint64_t cd = s.cd_table();
    s.cd(cd, s1->config(), 11);
    s.ste_nested(4, cd, s2->config(), 6);
    set_eats(s, 4, ste::EATS_TRANS);
    s.ste_nested(5, cd, s2->config(), 6);
    set_eats(s, 5, ste::EATS_S1CHK);
    s.ste_nested(6, cd, s2->config(), 6);
    set_eats(s, 6, ste::EATS_S1CHK);
    b.run([&] {
        s.enable();
        // EATS 0b10 is 0b00 without ATSCHK (5.2 EATS; cached so with the STE).
        EXPECT_EQ(request(b, 6, 0x10000).ats.status, Status::UnsupportedRequest);
        atschk(b, true);
        const auto full = request(b, 4, 0x10000, true).ats;
        EXPECT_EQ(full.status, Status::Success);
        EXPECT_EQ(full.translated, b.dram(0x1001000));
        EXPECT_EQ(full.size, 0x1000u);  // stage 1's page inside stage 2's block
        EXPECT_TRUE(full.read);
        EXPECT_FALSE(full.write);  // stage 2 is read-only
        EXPECT_EQ(request(b, 4, 0x11000).fault, evt::F_TRANSLATION);  // stage 2 of the output
        const auto split = request(b, 5, 0x10000).ats;
        EXPECT_EQ(split.status, Status::Success);
        EXPECT_EQ(split.translated, 0x70001000u);
        const DmaResult t = translated(b, 5, 0x70001008, false);
        EXPECT_EQ(t.outcome, Outcome::Translated);
        EXPECT_EQ(t.pa, b.dram(0x1001008));
        const DmaResult f = translated(b, 5, 0x78000000, false);
        EXPECT_EQ(f.fault, evt::F_TRANSLATION);
        EXPECT_TRUE(f.recorded);
        b.wait_cycles(100);
        ASSERT_EQ(s.events(), 2u);
        EXPECT_EQ(evtrec::TYPE.get(s.event(0)[0]), evt::F_BAD_ATS_TREQ);
        const EventRecord e = s.event(1);
        EXPECT_EQ(evtrec::TYPE.get(e[0]), evt::F_TRANSLATION);
        EXPECT_EQ(evtrec::S2.get(e[1]), 1u);
        EXPECT_EQ(e[2], 0x78000000u);
        EXPECT_EQ(evtrec::SSV.get(e[0]), 0u);
    });
}

// The ATSCHK check's cost (3.9.1.3): a slot and the STE (configuration
// cache); a split-stage Translated access adds stage 2's TLB lookup and,
// on a miss, its walk. ATSCHK = 0 costs nothing.
TEST(Ats, S3_9_1_3_TranslatedCheckInExactCycles)
{
    TestBench b;
    StreamSetup s(b);
    AtsStream st(s, 1);
    auto s2 = s.tables(StreamSetup::stage(), Stage::S2);
    s2->map(0x40000000, b.dram(0x1000000), 0x200000, StreamSetup::s2_attrs());  // a 2 MiB block
    s.ste_nested(2, s.cd_table(), s2->config(), 3);
    set_eats(s, 2, ste::EATS_S1CHK);
    const uint64_t pa = b.dram(0x1000000);
    b.run([&] {
        s.enable();
        translated(b, 1, pa, false);  // ATSCHK = 0: no lookup
        atschk(b, true);
        translated(b, 1, pa, false);  // STE miss
        translated(b, 1, pa, false);  // STE hit
        EXPECT_EQ(translated(b, 2, 0x40000008, false).pa, pa + 8);  // STE miss, stage-2 walk
    });
    const Histogram& h = *b.smmu().translation().stats().find_histogram("ats.translated_latency");
    ASSERT_EQ(h.count(), 3u);
    // Grant 1, STE lookup 2, walk grant 1, STE read, decode 2.
    EXPECT_EQ(h.percentile(50), 1u + 2 + 1 + kStructure + 2);
    EXPECT_EQ(h.min(), 1u + 2);
    // ... then the TLB lookup 2, walk-cache lookup 2 and the stage-2 walk's
    // three reads (levels 0, 1 and the level-2 block).
    EXPECT_EQ(h.max(), 1u + 2 + 1 + kStructure + 2 + 2 + 2 + 3 * kDesc);
    EXPECT_EQ(xlat(b, "ats.translated_allowed"), 4u);
    EXPECT_EQ(xlat(b, "walks"), 1u);
    EXPECT_EQ(b.smmu().translation().stats().find_histogram("latency")->count(), 0u);  // not translations
}
