// SPDX-License-Identifier: GPL-2.0-only
// Every fault the translation unit raises reaches the event queue as its
// architected record (IHI 0070 7.3), read back from the queue's memory,
// with the eventq interrupt; the transaction is terminated with an error
// response. Faults a CD's R = 0 (or STE.S2R = 0) suppresses are counted but
// not recorded; C_BAD_STREAMID follows CR2.RECINVSID.
#include <functional>

#include <gtest/gtest.h>

#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/cd.h"
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

namespace {

constexpr uint64_t kUnmapped = 0x40000000;  // no memory, no device: reads abort
constexpr uint64_t kVa = 0x10000;

// One transaction on a set-up stream, its answer and the one record it left.
struct Faulted {
    DmaResult r;
    EventRecord rec{};
    unsigned events = 0;
    uint64_t irqs = 0;
};

Faulted fault_of(const std::function<void(TestBench&, StreamSetup&)>& setup, uint32_t sid, uint64_t addr,
                 bool write = false, const DmaAttrs& a = {}, uint64_t strtab = 0)
{
    TestBench b;
    StreamSetup s(b);
    setup(b, s);
    Faulted f;
    b.run([&] {
        s.enable(strtab);
        f.r = b.dma(sid, addr, 8, write, a);
        b.wait_cycles(200);  // the record's write
        f.events = s.events();
        f.rec = s.event(0);
    });
    f.irqs = b.irqc().count(b.soc().smmu_irq(Soc::IRQ_EVENTQ));
    EXPECT_EQ(f.r.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
    EXPECT_EQ(f.r.outcome, StreamIdExtension::Outcome::Terminated);
    return f;
}

// A stage-1 stream 1 (ASID 7) whose tables map kVa to a DRAM page with `a`.
void stage1(TestBench& b, StreamSetup& s, const MapAttrs& a = StreamSetup::s1_attrs(), uint64_t cd_ptr = 0)
{
    auto t = s.tables(StreamSetup::stage(), Stage::S1);  // writes the tables; not needed after
    t->map(kVa, b.dram(0x1000000), 0x1000, a);
    const uint64_t cd = s.cd_table();
    s.cd(cd, t->config(), 7);
    s.ste_s1(1, cd_ptr ? cd_ptr : cd);
}

uint64_t f(const EventRecord& r, unsigned dw, const Field& fld) { return fld.get(r[dw]); }

// Only the stream's identity: the C_BAD_* and F_STREAM_DISABLED records.
void expect_identity_only(const Faulted& x, uint8_t type, uint32_t sid)
{
    EXPECT_EQ(x.r.fault, type);
    EXPECT_TRUE(x.r.recorded);
    EXPECT_EQ(x.events, 1u);
    EXPECT_EQ(x.irqs, 1u);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), type);
    EXPECT_EQ(f(x.rec, 0, evtrec::SID), sid);
    EXPECT_EQ(x.rec[1], 0u);
    EXPECT_EQ(x.rec[2], 0u);
    EXPECT_EQ(x.rec[3], 0u);
}

}  // namespace

TEST(TranslationFaults, TranslationFaultRecordsTheInputAndTheAccess)
{
    const Faulted x = fault_of([](TestBench& b, StreamSetup& s) { stage1(b, s); }, 1, 0x20008, true);
    EXPECT_EQ(x.r.fault, evt::F_TRANSLATION);
    ASSERT_EQ(x.events, 1u);
    EXPECT_EQ(x.irqs, 1u);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_TRANSLATION);
    EXPECT_EQ(f(x.rec, 0, evtrec::SID), 1u);
    EXPECT_EQ(f(x.rec, 0, evtrec::SSV), 0u);
    EXPECT_EQ(f(x.rec, 1, evtrec::RnW), 0u);  // a write
    EXPECT_EQ(f(x.rec, 1, evtrec::S2), 0u);
    EXPECT_EQ(f(x.rec, 1, evtrec::CLASS), uint64_t(Fault::Class::In));
    EXPECT_EQ(f(x.rec, 1, evtrec::STALL), 0u);
    EXPECT_EQ(x.rec[2], 0x20008u);
    EXPECT_EQ(x.rec[3], 0u);
}

TEST(TranslationFaults, PermissionFaultOnAWriteToAReadOnlyPage)
{
    MapAttrs ro = StreamSetup::s1_attrs();
    ro.write = false;
    const Faulted x = fault_of([&](TestBench& b, StreamSetup& s) { stage1(b, s, ro); }, 1, kVa + 0x10, true,
                               DmaAttrs{false, 0, true, false});
    EXPECT_EQ(x.r.fault, evt::F_PERMISSION);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_PERMISSION);
    EXPECT_EQ(f(x.rec, 1, evtrec::PnU), 1u);
    EXPECT_EQ(f(x.rec, 1, evtrec::RnW), 0u);
    EXPECT_EQ(x.rec[2], kVa + 0x10);
}

TEST(TranslationFaults, AccessFaultWhenAfIsClear)
{
    MapAttrs no_af = StreamSetup::s1_attrs();
    no_af.af = false;
    const Faulted x = fault_of([&](TestBench& b, StreamSetup& s) { stage1(b, s, no_af); }, 1, kVa, false);
    EXPECT_EQ(x.r.fault, evt::F_ACCESS);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_ACCESS);
    EXPECT_EQ(f(x.rec, 1, evtrec::RnW), 1u);
}

TEST(TranslationFaults, WalkExternalAbortRecordsTheDescriptorAddress)
{
    const Faulted x = fault_of(
        [](TestBench& b, StreamSetup& s) {
            StageConfig c = StreamSetup::stage();
            c.ttb = kUnmapped;
            const uint64_t cd = s.cd_table();
            s.cd(cd, c, 7);
            s.ste_s1(1, cd);
            (void)b;
        },
        1, kVa, false);
    EXPECT_EQ(x.r.fault, evt::F_WALK_EABT);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_WALK_EABT);
    EXPECT_EQ(x.rec[2], kVa);
    EXPECT_EQ(x.rec[3], kUnmapped);  // level 0 index of 0x10000 is 0
}

TEST(TranslationFaults, StageTwoOnlyInputBeyondTheIasIsAnAddressSizeFault)
{
    const Faulted x = fault_of(
        [](TestBench& b, StreamSetup& s) {
            auto t = s.tables(StreamSetup::stage(), Stage::S2);
            t->map(0x40000000, b.dram(0), 0x1000, StreamSetup::s2_attrs());
            s.ste_s2(2, t->config(), 3);
        },
        2, 1ull << 48, false);
    EXPECT_EQ(x.r.fault, evt::F_ADDR_SIZE);
    EXPECT_EQ(f(x.rec, 1, evtrec::S2), 0u);
    EXPECT_EQ(x.rec[2], 1ull << 48);
}

TEST(TranslationFaults, StageTwoTranslationFaultRecordsTheIpa)
{
    const Faulted x = fault_of(
        [](TestBench& b, StreamSetup& s) {
            auto t = s.tables(StreamSetup::stage(), Stage::S2);
            t->map(0x40000000, b.dram(0), 0x1000, StreamSetup::s2_attrs());
            s.ste_s2(2, t->config(), 3);
        },
        2, 0x50001234, false);
    EXPECT_EQ(x.r.fault, evt::F_TRANSLATION);
    EXPECT_EQ(f(x.rec, 1, evtrec::S2), 1u);
    EXPECT_EQ(f(x.rec, 1, evtrec::CLASS), uint64_t(Fault::Class::In));
    EXPECT_EQ(x.rec[2], 0x50001234u);
    EXPECT_EQ(x.rec[3], 0x50001000u);  // IPA[51:12]
}

// One simulation per process: one fault per test.
TEST(TranslationFaults, BadSteCarriesTheStreamOnly)
{
    // STE 3 is all zero (V = 0).
    expect_identity_only(fault_of([](TestBench&, StreamSetup&) {}, 3, kVa), evt::C_BAD_STE, 3);
}

TEST(TranslationFaults, BadStreamIdCarriesTheStreamOnly)
{
    // The table has 2^8 STEs.
    expect_identity_only(fault_of([](TestBench&, StreamSetup&) {}, 300, kVa), evt::C_BAD_STREAMID, 300);
}

TEST(TranslationFaults, BadCdCarriesTheStreamOnly)
{
    // The CD table's one CD is zero (V = 0).
    expect_identity_only(fault_of([](TestBench&, StreamSetup& s) { s.ste_s1(1, s.cd_table()); }, 1, kVa),
                         evt::C_BAD_CD, 1);
}

TEST(TranslationFaults, StreamDisabledCarriesTheStreamOnly)
{
    // Substreams on (S1CDMax = 1), S1DSS = terminate, no SubstreamID.
    expect_identity_only(fault_of([](TestBench&, StreamSetup& s) { s.ste_s1(1, s.cd_table(1), 1, 0); }, 1, kVa),
                         evt::F_STREAM_DISABLED, 1);
}

TEST(TranslationFaults, BadSubstreamIdRecordsTheSubstream)
{
    const Faulted x = fault_of([](TestBench& b, StreamSetup& s) { stage1(b, s); }, 1, kVa, false,
                               DmaAttrs{true, 5, false, false});
    EXPECT_EQ(x.r.fault, evt::C_BAD_SUBSTREAMID);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::C_BAD_SUBSTREAMID);
    EXPECT_EQ(f(x.rec, 0, evtrec::SSV), 1u);
    EXPECT_EQ(f(x.rec, 0, evtrec::SSID), 5u);
    EXPECT_EQ(x.rec[1], 0u);
}

TEST(TranslationFaults, SteFetchAbortRecordsTheFetchAddress)
{
    const Faulted x = fault_of([](TestBench&, StreamSetup&) {}, 2, kVa, false, {}, kUnmapped);
    EXPECT_EQ(x.r.fault, evt::F_STE_FETCH);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_STE_FETCH);
    EXPECT_EQ(f(x.rec, 0, evtrec::SID), 2u);
    EXPECT_EQ(x.rec[1], 0u);
    EXPECT_EQ(x.rec[3], kUnmapped + 2 * 64);
}

TEST(TranslationFaults, CdFetchAbortRecordsTheFetchAddress)
{
    const Faulted x = fault_of([](TestBench& b, StreamSetup& s) { stage1(b, s, StreamSetup::s1_attrs(), kUnmapped); }, 1, kVa);
    EXPECT_EQ(x.r.fault, evt::F_CD_FETCH);
    EXPECT_EQ(f(x.rec, 0, evtrec::TYPE), evt::F_CD_FETCH);
    EXPECT_EQ(x.rec[3], kUnmapped);
}

TEST(TranslationFaults, RecordBitZeroSuppressesTheEventNotTheFault)
{
    TestBench b;
    StreamSetup s(b);
    stage1(b, s);
    // CD.R = 0 in stream 1's CD.
    uint64_t ste[8];
    s.read_ste(1, ste);
    const uint64_t cd_pa = ste::S1ContextPtr.get(ste) << 6;
    uint64_t cdw[8];
    b.mem().read(cd_pa, cdw, 64);
    cd::R.set(cdw, 0);
    b.mem().write(cd_pa, cdw, 64);
    DmaResult r;
    b.run([&] {
        s.enable();
        r = b.dma(1, 0x20000, 8, false);
        b.wait_cycles(200);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(r.fault, evt::F_TRANSLATION);
    EXPECT_FALSE(r.recorded);
    EXPECT_EQ(b.smmu().translation().stats().value("faults.F_TRANSLATION"), 1u);
    EXPECT_EQ(b.smmu().translation().stats().value("events"), 0u);
}

TEST(TranslationFaults, BadStreamIdIsRecordedOnlyWithRecinvsid)
{
    TestBench b;
    StreamSetup s(b);
    DmaResult r;
    b.run([&] {
        s.enable();
        b.wr32(CR0, b.rd32(CR0) & ~uint32_t(cr0::SMMUEN.mask()));  // CR2 is writable only while disabled
        EXPECT_TRUE(b.wait_until([&] { return !cr0::SMMUEN.get(b.rd32(CR0ACK)); }));
        b.wr32(CR2, 0);
        b.wr32(CR0, b.rd32(CR0) | uint32_t(cr0::SMMUEN.mask()));
        EXPECT_TRUE(b.wait_until([&] { return cr0::SMMUEN.get(b.rd32(CR0ACK)) != 0; }));
        r = b.dma(300, kVa, 8, false);
        b.wait_cycles(200);
        EXPECT_EQ(s.events(), 0u);
    });
    EXPECT_EQ(r.fault, evt::C_BAD_STREAMID);
    EXPECT_FALSE(r.recorded);
}
