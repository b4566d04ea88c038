// SPDX-License-Identifier: GPL-2.0-only
// Translations ahead of the clock (translation_unit.h, "Host cost") change
// host cost only: a pass takes its grants, lookups, walk steps and table
// reads without waiting while nothing else can run, and hands what it owes
// to the access after it. Each scenario runs twice, in child processes (a
// SystemC simulation cannot restart), with quiet windows on and off, and
// everything a requester, software and the reports can see must be the
// same: each DMA access's outcome, output address, fault and the cycles at
// which its DMA began and ended, the order in which the requesters' DMAs
// completed, the event records, the cycle of each event-queue interrupt and
// EVTQ_PROD as the CPU polls it, the end
// time and every statistic of the run (caches, slots, walkers, memory).
// The scenarios: stage-1, stage-2 and nested streams, hits, misses with
// walks (pages spread so that walks share some tables and not others),
// multi-page DMAs, unmapped pages (recorded faults), 1 to 3 requesters at
// once, blocking or streaming their DMAs ahead of the clock
// (DmaRequester::dma with a delay), one translation slot and one walker
// (grants that wait), the CPU
// unmapping pages with TLBI + CMD_SYNC meanwhile (fills dropped), and the
// CPU polling every 7 cycles.
// Not here: the exact cycles themselves (translation_unit_test.cc).
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/quiet.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "support/in_child.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::in_child;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;

namespace {

constexpr uint64_t kIn = 0x40000000;     // first input page (VA / IPA)
constexpr uint64_t kFrames = 0x2000000;  // DRAM offset of the output frames
constexpr unsigned kPages = 40;          // input pages per stream; every 7th unmapped
constexpr uint64_t kIdentity = 0x4000000;  // the nested stream's stage 2: DRAM's first 64 MiB, one to one

struct Variant {
    unsigned requesters = 1;
    bool streamed = false;    // requester 0 streams its DMAs (DmaRequester::dma with a delay); the others block
    uint64_t poll = 0;        // the CPU reads EVTQ_PROD every `poll` cycles (0: it waits for the end)
    bool invalidate = false;  // the CPU unmaps pages (TLBI + CMD_SYNC) while the DMAs run
    std::vector<std::string> sets;
};

// Input page i of the streams: spread over level-1 and level-2 tables, so
// that some walks resume from the walk cache and some do not.
uint64_t page_in(unsigned i) { return kIn + (uint64_t(i % 5) << 30) + (uint64_t(i / 5) << 21) + (i % 3) * 0x1000; }

struct Streams {
    explicit Streams(TestBench& b, StreamSetup& s)
        : s1(s.tables(StreamSetup::stage(), Stage::S1)), s2(s.tables(StreamSetup::stage(), Stage::S2)),
          ident(s.tables(StreamSetup::stage(), Stage::S2))
    {
        for (unsigned i = 0; i < kPages; i++) {
            if (i % 7 == 3)
                continue;  // unmapped: F_TRANSLATION, recorded
            const uint64_t pa = b.dram(kFrames + uint64_t(i) * 0x1000);
            s1->map(page_in(i), pa, 0x1000, StreamSetup::s1_attrs());
            s2->map(page_in(i), pa, 0x1000, StreamSetup::s2_attrs());
        }
        ident->map(b.dram(0), b.dram(0), kIdentity, StreamSetup::s2_attrs());
        const uint64_t cd = s.cd_table();
        s.cd(cd, s1->config(), 7);
        s.ste_s1(1, cd);
        s.ste_s2(2, s2->config(), 5);
        s.ste_nested(3, cd, ident->config(), 6);  // the CD and stage-1 tables' PAs are their IPAs
    }
    std::unique_ptr<PgtableBuilder> s1, s2, ident;
};

// One requester's DMAs: random streams, pages, sizes (up to three pages)
// and gaps, logged with their cycles. `streamed`: each DMA is issued when
// the one before completed, what the requester owes carried from one to
// the next (waited before a gap).
void requester(TestBench& b, unsigned id, bool streamed, std::string& log, unsigned& running,
               sc_core::sc_event& done, uint64_t& ahead)
{
    std::mt19937 rng(100 + id);
    DmaRequester& dma = b.soc().dma_requester();
    sc_core::sc_time owed = sc_core::SC_ZERO_TIME;
    const ClockDomain& clk = b.smmu().clock();
    for (unsigned n = 0; n < 120; n++) {
        if (const unsigned gap = rng() % 4 ? 0 : rng() % 60) {
            sc_core::wait(owed);
            owed = sc_core::SC_ZERO_TIME;
            b.wait_cycles(gap);
        }
        const DmaStream st{static_cast<uint32_t>(1 + rng() % 3)};
        const unsigned page = rng() % kPages;
        const uint64_t iova = page_in(page) + (rng() % 8 == 0 ? 0xff8 : (rng() % 64) * 8);
        const uint64_t size = rng() % 6 == 0 ? 0x1800 + rng() % 0x1000 : 8;
        const uint64_t t0 = b.now() + clk.to_cycles(owed);
        const bool write = rng() % 3 == 0;
        const DmaTransfer r = streamed ? dma.dma(st, iova, size, write, nullptr, owed) : dma.dma(st, iova, size, write);
        log += fmt::format("r{} sid {} {:#x}+{:#x} {}..{}:", id, st.sid, iova, size, t0,
                           b.now() + clk.to_cycles(owed));
        ahead += owed != sc_core::SC_ZERO_TIME;
        for (const DmaAccess& a : r.accesses)
            log += fmt::format(" {} {:#x} {:#x}", a.ok, a.pa, a.fault * 2 + a.recorded);
        log += '\n';
    }
    sc_core::wait(owed);
    if (--running == 0)
        done.notify(sc_core::SC_ZERO_TIME);
}

// The CPU: unmaps a page of stage 1 or 2 and invalidates it (TLBI, CMD_SYNC).
void unmap_one(TestBench& b, Streams& st, uint64_t q, unsigned k)
{
    const unsigned page = (k * 11) % kPages;
    if (page % 7 == 3)
        return;
    const bool s2 = k % 2;
    (s2 ? st.s2 : st.s1)->unmap(page_in(page), 0x1000);
    const EncodedCommand c =
        s2 ? encode_command("TLBI_S2_IPA", {{"vmid", 5}, {"addr", page_in(page)}, {"leaf", 1}})
           : encode_command("TLBI_NH_VA", {{"vmid", 0}, {"asid", 7}, {"addr", page_in(page)}, {"leaf", 1}});
    b.submit(q, 8, {{c.dw0, c.dw1}, test::cmd_sync()});
}

std::string scenario(bool quiet, const Variant& v)
{
    quiet_windows() = quiet;
    TestBench b(v.sets);
    StreamSetup s(b);
    Streams st(b, s);
    std::string log;
    // Each interrupt with its cycle (the event queue's, as each record is
    // written): a listener, which reads the time without cutting a window.
    b.irqc().add_listener([&](unsigned irq) { log += fmt::format("{} irq {}\n", b.now(), irq); });
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        unsigned running = v.requesters;
        uint64_t ahead = 0;  // streamed DMAs that ended ahead of the clock
        sc_core::sc_event done;
        sc_core::sc_spawn_options opts;
        opts.set_stack_size(TestBench::kStackBytes);
        for (unsigned id = 0; id < v.requesters; id++)
            sc_core::sc_spawn([&, id] { requester(b, id, v.streamed && id == 0, log, running, done, ahead); },
                              sc_core::sc_gen_unique_name("req"), &opts);
        if (!v.poll && !v.invalidate)
            sc_core::wait(done);
        for (unsigned k = 0; running; k++) {
            b.wait_cycles(v.poll ? v.poll : 50);
            if (v.poll)
                log += fmt::format("{} evtq_prod {:#x}\n", b.now(), b.rd32(EVTQ_PROD));
            if (v.invalidate && k % 8 == 0 && k < 8 * 24)
                unmap_one(b, st, q, k / 8);
        }
        log += fmt::format("end {}\n", b.now());
        for (unsigned e = 0; e < s.events(); e++) {
            const EventRecord r = s.event(e);
            log += fmt::format("event {:#x} {:#x} {:#x} {:#x}\n", r[0], r[1], r[2], r[3]);
        }
        log += StatRegistry::global().to_json().dump(1);
        log += fmt::format("\nran_ahead {} {}", b.smmu().translation().ran_ahead(), ahead);
    });
    return log;
}

// Both runs alike; returns, with windows on, "P D": the passes that ran
// ahead of the clock and the streamed DMAs that ended ahead of it.
std::string expect_same(const Variant& v)
{
    auto split = [](const std::string& log, std::string& ran) {
        const size_t at = log.rfind("\nran_ahead ");
        if (at == std::string::npos)
            return log;
        ran = log.substr(at + 11);
        return log.substr(0, at);
    };
    std::string off, on;
    const std::string stepwise = split(in_child([&] { return scenario(false, v); }), off);
    const std::string quiet = split(in_child([&] { return scenario(true, v); }), on);
    EXPECT_GT(stepwise.size(), 10000u) << stepwise;
    EXPECT_EQ(off, "0 0");
    EXPECT_EQ(quiet, stepwise);
    return on;
}

}  // namespace

// Alone, a pass runs ahead unless it faults (the record is posted at its
// own time: 61 of the 162 transactions) or the event queue is still writing
// a record (10 more): 91 translated with one wait each, the same results.
TEST(TranslationQuiet, SameWithOneRequester) { EXPECT_EQ(expect_same({}), "91 0"); }

// Streamed, the requester's DMAs follow one another without waits too:
// 68 of its 120 DMAs end ahead of the clock, owing it their time (the
// others end with a fault, whose record is posted at its own time, or
// while the event queue writes one).
TEST(TranslationQuiet, SameWithOneRequesterStreaming) { EXPECT_EQ(expect_same({1, true, 0, false, {}}), "91 68"); }

TEST(TranslationQuiet, SameWithThreeRequesters) { expect_same({3, true, 0, false, {}}); }

// One slot and one walker: grants wait, and a release with someone waiting
// needs the arbiter.
TEST(TranslationQuiet, SameWithOneSlotAndOneWalker)
{
    expect_same({3, true, 0, false, {"smmu.xlat.slots=1", "smmu.xlat.walk_slots=1"}});
}

// TLBIs complete while walks are in flight (their fills are dropped).
TEST(TranslationQuiet, SameWhileTheCpuInvalidates) { expect_same({2, true, 0, true, {}}); }

// A CPU reading a register every 7 cycles cuts most windows short.
TEST(TranslationQuiet, SameWithTheCpuPollingEverySevenCycles) { expect_same({2, true, 7, true, {}}); }
