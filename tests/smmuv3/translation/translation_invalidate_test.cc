// SPDX-License-Identifier: GPL-2.0-only
// The translation unit and the command queue: a TLBI + CMD_SYNC of a
// mapping makes the next access walk (and fault if software removed it),
// a TLBI of another ASID or VMID does not; CFGI_STE makes the next access
// fetch the new STE; an invalidation completing while a walk is in flight
// keeps that walk's result out of the TLB. And concurrency: two
// transactions compete for the translation slots, in exact cycles.
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/translation_unit.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::DmaResult;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;
using smmusim::test::xlat;

namespace {

constexpr uint64_t kVa = 0x10000;


// Commands through the SMMU's command queue, then a CMD_SYNC.
void issue(TestBench& b, uint64_t q, const std::vector<EncodedCommand>& cmds)
{
    std::vector<std::pair<uint64_t, uint64_t>> words;
    for (const EncodedCommand& c : cmds)
        words.push_back({c.dw0, c.dw1});
    EXPECT_TRUE(b.submit_and_sync(q, 8, words));
}

// Stream 1, ASID 7 (VMID 0: stage 1 only), kVa -> a DRAM page.
std::unique_ptr<PgtableBuilder> stage1(TestBench& b, StreamSetup& s)
{
    auto t = s.tables(StreamSetup::stage(), Stage::S1);
    t->map(kVa, b.dram(0x1000000), 0x1000, StreamSetup::s1_attrs());
    const uint64_t cd = s.cd_table();
    s.cd(cd, t->config(), 7);
    s.ste_s1(1, cd);
    return t;
}

}  // namespace

TEST(TranslationInvalidate, TlbiOfTheMappingRemovesItAndOtherAsidsDoNot)
{
    TestBench b;
    StreamSetup s(b);
    auto t = stage1(b, s);
    std::vector<uint8_t> faults;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        faults.push_back(b.dma(1, kVa, 8, false).fault);
        t->unmap(kVa, 0x1000);  // software removes the mapping: the TLB still holds it
        faults.push_back(b.dma(1, kVa, 8, false).fault);
        issue(b, q, {encode_command("TLBI_NH_VA", {{"vmid", 0}, {"asid", 8}, {"addr", kVa}})});
        issue(b, q, {encode_command("TLBI_NH_VA", {{"vmid", 1}, {"asid", 7}, {"addr", kVa}})});
        faults.push_back(b.dma(1, kVa, 8, false).fault);
        issue(b, q, {encode_command("TLBI_NH_VA", {{"vmid", 0}, {"asid", 7}, {"addr", kVa}, {"leaf", 1}})});
        faults.push_back(b.dma(1, kVa, 8, false).fault);
    });
    EXPECT_EQ(faults, (std::vector<uint8_t>{0, 0, 0, evt::F_TRANSLATION}));
    EXPECT_EQ(xlat(b, "walks"), 2u);
}

TEST(TranslationInvalidate, CfgiSteMakesTheNextAccessFetchTheNewSte)
{
    TestBench b;
    StreamSetup s(b);
    auto t = stage1(b, s);
    std::vector<StreamIdExtension::Outcome> seen;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
        s.ste_bypass(1);  // the driver rewrites the STE...
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
        issue(b, q, {encode_command("CFGI_STE", {{"sid", 2}})});
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
        issue(b, q, {encode_command("CFGI_STE", {{"sid", 1}})});  // ...and invalidates it
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
    });
    using O = StreamIdExtension::Outcome;
    EXPECT_EQ(seen, (std::vector<O>{O::Translated, O::Translated, O::Translated, O::Bypassed}));
    EXPECT_EQ(xlat(b, "ste_fetches"), 2u);
}

TEST(TranslationInvalidate, AWalkInFlightDuringAnInvalidationDoesNotFill)
{
    TestBench b;
    StreamSetup s(b);
    auto t = stage1(b, s);
    DmaResult first;
    bool done = false;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        sc_core::sc_spawn_options o;
        o.set_stack_size(TestBench::kStackBytes);
        sc_core::sc_spawn(
            [&] {
                first = b.dma(1, kVa, 8, false);  // misses everything: ~290 cycles
                done = true;
            },
            "device", &o);
        b.wait_cycles(1);
        issue(b, q, {encode_command("TLBI_NH_ALL", {{"vmid", 0}})});
        EXPECT_FALSE(done);  // the TLBI completed while the walk was in flight
        EXPECT_TRUE(b.wait_until([&] { return done; }));
        EXPECT_EQ(b.dma(1, kVa, 8, false).fault, 0);
    });
    EXPECT_EQ(first.outcome, StreamIdExtension::Outcome::Translated);
    EXPECT_EQ(xlat(b, "fills_dropped"), 1u);  // the translation (a TLBI leaves STE and CD fills be)
    EXPECT_EQ(xlat(b, "walks"), 2u);
}

namespace {

// Two devices translate at the same cycle (TLB hits after a warm-up);
// returns the latency histogram's buckets of the two.
std::vector<Histogram::Bucket> contend(const std::vector<std::string>& sets)
{
    TestBench b(sets);
    StreamSetup s(b);
    auto t = stage1(b, s);
    b.run([&] {
        s.enable();
        b.dma(1, kVa, 8, false);  // warm: the miss
        int done = 0;
        std::vector<uint64_t> data(2);
        sc_core::sc_spawn_options o;
        o.set_stack_size(TestBench::kStackBytes);
        for (int i = 0; i < 2; i++)
            sc_core::sc_spawn(
                [&, i] {
                    b.dma(1, kVa + 8 * i, 8, false, {}, &data[i]);
                    done++;
                },
                sc_core::sc_gen_unique_name("device"), &o);
        EXPECT_TRUE(b.wait_until([&] { return done == 2; }));
    });
    std::vector<Histogram::Bucket> hits;
    for (const Histogram::Bucket& k : b.smmu().translation().stats().find_histogram("latency")->buckets())
        if (k.lo < 100)
            hits.push_back(k);
    return hits;
}

}  // namespace

TEST(TranslationInvalidate, OneSlotSerialisesTwoTransactions)
{
    // The first holds the slot from its grant (cycle 1) through its three
    // lookups (6); the second is granted one arbitration after that.
    const auto h = contend({"smmu.xlat.slots=1"});
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].lo, 7u);
    EXPECT_EQ(h[0].count, 1u);
    EXPECT_EQ(h[1].lo, 14u);
    EXPECT_EQ(h[1].count, 1u);
}

TEST(TranslationInvalidate, TwoSlotsServeTwoTransactionsAtOnce)
{
    const auto h = contend({"smmu.xlat.slots=2"});
    ASSERT_EQ(h.size(), 1u);
    EXPECT_EQ(h[0].lo, 7u);
    EXPECT_EQ(h[0].count, 2u);
}

TEST(TranslationInvalidate, ReenablingTheSmmuInvalidatesNothingCfgiAllDoes)
{
    // IHI 0070 leaves cached structures to software across SMMUEN changes:
    // the model keeps them until CFGI_ALL (Linux's arm_smmu_device_reset
    // issues CFGI_ALL and TLBI_NSNH_ALL before it sets SMMUEN).
    TestBench b;
    StreamSetup s(b);
    auto t = stage1(b, s);
    using O = StreamIdExtension::Outcome;
    std::vector<O> seen;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
        const uint32_t on = b.rd32(CR0);
        b.wr32(CR0, on & ~uint32_t(cr0::SMMUEN.mask()));
        EXPECT_TRUE(b.wait_until([&] { return !cr0::SMMUEN.get(b.rd32(CR0ACK)); }));
        seen.push_back(b.dma(1, kVa, 8, false).outcome);  // GBPA: bypass
        s.ste_bypass(1);
        b.wr32(CR0, on);
        EXPECT_TRUE(b.wait_until([&] { return cr0::SMMUEN.get(b.rd32(CR0ACK)) != 0; }));
        seen.push_back(b.dma(1, kVa, 8, false).outcome);  // the cached STE
        issue(b, q, {encode_command("CFGI_ALL")});
        seen.push_back(b.dma(1, kVa, 8, false).outcome);
    });
    EXPECT_EQ(seen, (std::vector<O>{O::Translated, O::Bypassed, O::Translated, O::Bypassed}));
}
