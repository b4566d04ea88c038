// SPDX-License-Identifier: GPL-2.0-only
// The `dma` operation end to end: an endpoint's DMA through the SMMU on the
// STE, CD and page tables the real driver and io-pgtable-arm wrote; the
// unmap's TLBI + CMD_SYNC; the fault the driver's event-queue thread then
// logs, taken by the line that expects it; and the failures that name what
// went wrong when a line's expectation does not hold.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/dma_requester.h"
#include "player.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "vmm/kernel_trace_ops.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;

constexpr uint64_t kPa = 0x90000000;  // DRAM below the kernel's DMA pool
// An endpoint with a paging domain of its own.
const std::string kHead = "kernel boot\nendpoint e sid=0x10\ndomain d endpoint=e\n";

// Plays `text` through the real kernel code; the player's failures.
// `check` runs while the trace operations (and their endpoints'
// statistics) still exist.
std::vector<std::string> play(TestBench& b, KernelShim& ks, const std::string& text,
                              const std::function<void()>& check = {})
{
    KernelTraceOps ops(ks, b.soc());
    TracePlayer player(b.soc(), smmusim::test::trace_text(text));
    player.validate();
    player.set_kernel(&ops, ks.options().stack_bytes);
    player.start();
    sc_core::sc_start();
    EXPECT_TRUE(player.finished());
    if (check)
        check();
    return player.failures();
}

std::string joined(const std::vector<std::string>& v)
{
    std::string s;
    for (const auto& x : v)
        s += x + "\n";
    return s;
}

TEST(DmaOp, MapDmaUnmapThenTheSameDmaFaultsAndTheDriverLogsIt)
{
    TestBench b;
    KernelShim ks(b.soc());
    const auto f = play(b, ks,
                        kHead +
                        "map d iova=0x100000 pa=0x90000000 size=0x2000\n"
                        "dma e iova=0x100000 size=0x1000 write pa=0x90000000\n"
                        "dma e iova=0x101ff0 size=0x10 read pa=0x90001ff0\n"
                        "unmap d iova=0x100000 size=0x2000\n"
                        "dma e iova=0x100800 size=0x40 read expect=fault:F_TRANSLATION\n");
    EXPECT_TRUE(f.empty()) << joined(f);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();

    // The write went where the mapping said, with the requester's pattern.
    std::vector<uint8_t> mem(0x1000);
    ASSERT_TRUE(b.soc().memory().read(kPa, mem.data(), mem.size()));
    for (unsigned i = 0; i < mem.size(); i++)
        ASSERT_EQ(mem[i], DmaRequester::pattern(0x100000 + i)) << i;

    // The driver's event-queue thread decoded the record: its type, stream,
    // SubstreamID (none) and input address.
    EXPECT_TRUE(ks.log_contains("event 0x10 received:"));
    EXPECT_TRUE(ks.log_contains("event: F_TRANSLATION client: "));
    EXPECT_TRUE(ks.log_contains(" sid: 0x10 ssid: 0 iova: 0x100800 ")) << ks.dmesg();
    EXPECT_TRUE(ks.log_contains("unpriv data read s1 ")) << ks.dmesg();

    const StatGroup& s = b.soc().dma_requester().stats();
    EXPECT_EQ(s.value("accesses"), 3u);
    EXPECT_EQ(s.value("write_bytes"), 0x1000u);
    EXPECT_EQ(s.value("read_bytes"), 0x50u);
    EXPECT_EQ(s.value("faults"), 1u);
}

TEST(DmaOp, EachUnmetExpectationNamesWhatHappened)
{
    TestBench b;
    KernelShim ks(b.soc());
    const auto f = play(b, ks,
                        kHead +
                        "map d iova=0x100000 pa=0x90000000 size=0x1000\n"
                        "dma e iova=0x100000 size=0x10 read pa=0x90000040\n"
                        "dma e iova=0x100000 size=0x10 read expect=fault\n"
                        "dma e iova=0x200000 size=0x10 read\n"
                        "dma e iova=0x200000 size=0x10 write expect=fault:F_PERMISSION\n"
                        "dma e iova=0x200000 size=0x10 read expect=fault:F_TRANSLATION\n"
                        "dma e iova=0xff000 size=0x2000 read expect=fault\n");
    ASSERT_EQ(f.size(), 5u) << joined(f);
    EXPECT_NE(f[0].find(":5:1: dma e read of 0x10 bytes at iova 0x100000: the first byte went to PA 0x90000000, "
                        "expected pa=0x90000040"),
              std::string::npos)
        << f[0];
    EXPECT_NE(f[1].find(":6:1: dma e read of 0x10 bytes at iova 0x100000: the access at iova 0x100000 was performed "
                        "at PA 0x90000000, expected a fault"),
              std::string::npos)
        << f[1];
    // An unexpected fault names the event; the driver's lines about it are
    // not repeated as complaints.
    EXPECT_NE(f[2].find(":7:1: dma e read of 0x10 bytes at iova 0x200000: the access at iova 0x200000 was "
                        "terminated with F_TRANSLATION (event 0x10), expected ok"),
              std::string::npos)
        << f[2];
    EXPECT_EQ(f[2].find("kernel error"), std::string::npos) << f[2];
    EXPECT_NE(f[3].find(":8:1: dma e write of 0x10 bytes at iova 0x200000: the access at iova 0x200000 was "
                        "terminated with F_TRANSLATION (event 0x10), expected F_PERMISSION (event 0x13)"),
              std::string::npos)
        << f[3];
    EXPECT_NE(f[3].find("the driver logged F_TRANSLATION (event 0x10), expected F_PERMISSION (event 0x13)"),
              std::string::npos)
        << f[3];
    // Half performed: expect=fault wants every access terminated.
    EXPECT_NE(f[4].find(":10:1: dma e read of 0x2000 bytes at iova 0xff000: the access at iova 0x100000 was "
                        "performed at PA 0x90000000, expected a fault"),
              std::string::npos)
        << f[4];
}

// The requester's own API on the real platform: a write through one
// mapping, read back through another mapping of the same page.
TEST(DmaOp, WriteThroughOneMappingReadBackThroughAnother)
{
    TestBench b;
    KernelShim ks(b.soc());
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg();
    const int ep = ks.add_endpoint("e", {0x10});
    ASSERT_GE(ep, 0);
    const int d = ks.domain_alloc(ep);
    ASSERT_GE(d, 0);
    ASSERT_EQ(ks.domain_attach(d, ep), 0);
    ASSERT_EQ(ks.domain_map(d, 0x100000, kPa, 0x1000), 0);
    ASSERT_EQ(ks.domain_map(d, 0x300000, kPa, 0x1000, false), 0);
    DmaTransfer w, r;
    b.run([&] {
        w = b.soc().dma_requester().dma({.sid = 0x10}, 0x100040, 0x80, true);
        r = b.soc().dma_requester().dma({.sid = 0x10}, 0x300040, 0x80, false);
    });
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(w.accesses[0].pa, kPa + 0x40);
    EXPECT_EQ(r.accesses[0].pa, kPa + 0x40);
    EXPECT_FALSE(r.accesses[0].bypassed);
    for (unsigned i = 0; i < 0x80; i++)
        ASSERT_EQ(r.data[i], DmaRequester::pattern(0x100040 + i)) << i;
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text();
}

// A stream no endpoint has: the driver's stream table holds what it
// initialised every STE to, and the DMA is terminated.
TEST(DmaOp, AStreamTheKernelNeverProbedIsTerminated)
{
    TestBench b;
    KernelShim ks(b.soc());
    const auto f = play(b, ks,
                        "kernel boot\n"
                        "endpoint e sid=0x10\n"
                        "dma sid=0x12 iova=0x100000 size=0x40 read expect=fault\n"
                        "dma sid=0x12 iova=0x100000 size=0x40 read\n");
    ASSERT_EQ(f.size(), 1u) << joined(f);
    EXPECT_NE(f[0].find(":4:1: dma sid=0x12 read of 0x40 bytes at iova 0x100000: the access at iova 0x100000 was "
                        "terminated with "),
              std::string::npos)
        << f[0];
}

// ATS: a PCI function with an ATS capability (the driver enabled ATS:
// STE.EATS, ATS Control's Enable) DMAs through its ATC
// (models/endpoint/ats_endpoint.h): the first access a miss and a
// Translation Request the SMMU answers from the io-pgtable mapping, the
// next a hit; the driver's unmap sends ATC_INV for the range, which
// removes the entry, so the DMA after it misses again and its Translation
// Request finds no mapping: the access is refused (`expect=fault:ATS`) and
// never goes out untranslated.
uint64_t stat(const std::string& group, const std::string& name)
{
    const StatGroup* g = StatRegistry::global().find(group);
    return g ? g->value(name) : ~0ull;
}

const std::string kAtsHead = "kernel boot\nendpoint nic0 pci rid=0x08 ats\ndomain d endpoint=nic0\n"
                          "map d iova=0x100000 pa=0x90000000 size=0x2000\n";

TEST(KernelShimAtsDma, MissThenHitThenUnmapInvalidatesTheAtcAndTheNextRequestIsRefused)
{
    TestBench b;
    KernelShim ks(b.soc());
    uint64_t trs = 0, hits = 0, misses = 0, fills = 0, invalidated = 0, refused = 0, translated = 0;
    const auto f = play(b, ks,
                        kAtsHead + "dma nic0 iova=0x100000 size=0x100 read pa=0x90000000\n"
                                "dma nic0 iova=0x100ff0 size=0x10 write pa=0x90000ff0\n"
                                "unmap d iova=0x100000 size=0x1000\n"
                                "dma nic0 iova=0x100000 size=0x10 read expect=fault:ATS\n"
                                "dma nic0 iova=0x101000 size=0x10 read pa=0x90001000\n",
                        [&] {
                            trs = stat("soc.nic0", "translation_requests");
                            translated = stat("soc.nic0", "translated_accesses");
                            refused = stat("soc.nic0", "refused_accesses");
                            hits = stat("soc.nic0.atc", "hits");
                            misses = stat("soc.nic0.atc", "misses");
                            fills = stat("soc.nic0.atc", "fills");
                            invalidated = stat("soc.nic0.atc", "invalidated");
                        });
    EXPECT_TRUE(f.empty()) << joined(f);
    EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg();
    // 0x100000: miss + request; 0x100ff0: hit; after the unmap's ATC_INV
    // 0x100000 misses and its request is refused; 0x101000: miss + request.
    EXPECT_EQ(trs, 3u);
    EXPECT_EQ(misses, 3u);
    EXPECT_EQ(hits, 1u);
    EXPECT_EQ(fills, 2u);
    EXPECT_EQ(invalidated, 1u);  // the unmap's ATC_INV removed the first page's entry
    EXPECT_EQ(refused, 1u);
    EXPECT_EQ(translated, 3u);
}

TEST(KernelShimAtsDma, AnUnexpectedRefusalFailsItsLineNamingIt)
{
    TestBench b;
    KernelShim ks(b.soc());
    const auto f = play(b, ks,
                        kAtsHead + "dma nic0 iova=0x200000 size=0x10 read\n"
                                "dma nic0 iova=0x100000 size=0x10 read expect=fault:ATS\n",
                        [] {});
    ASSERT_EQ(f.size(), 2u) << joined(f);
    EXPECT_NE(f[0].find(":5:1: dma nic0 read of 0x10 bytes at iova 0x200000: the access at iova 0x200000 was "
                        "terminated with refused by ATS"),
              std::string::npos)
        << f[0];
    EXPECT_NE(f[1].find(":6:1: dma nic0 read of 0x10 bytes at iova 0x100000: the access at iova 0x100000 was "
                        "performed at PA 0x90000000, expected a refusal by ATS"),
              std::string::npos)
        << f[1];
}

}  // namespace
}  // namespace smmusim::kshim
