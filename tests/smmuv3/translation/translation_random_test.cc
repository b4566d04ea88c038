// SPDX-License-Identifier: GPL-2.0-only
// Randomised map / unmap / invalidate / DMA sequences against a reference
// dictionary of live mappings, on a stage-1 stream (ASID 7) and a stage-2
// stream (VMID 5) at once: after every unmap + TLBI + CMD_SYNC no DMA
// translates through the removed mapping, and every DMA through a live one
// goes to its PA. A fixed seed and the raw mt19937 output (no
// distribution: the same sequence on every standard library).
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/commands.h"
#include "smmuv3/translation/translation_unit.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;

namespace {

constexpr unsigned kPages = 48;           // input pages per stream
constexpr uint64_t kIn = 0x40000000;      // first input address (VA / IPA)
constexpr uint64_t kFrames = 0x2000000;   // DRAM offset of the output frames
constexpr unsigned kFrameCount = 256;

struct Stream {
    uint32_t sid;
    bool s2;  // stage 2 only, else stage 1 only
    std::unique_ptr<PgtableBuilder> tables;
    std::map<unsigned, uint64_t> live;  // page -> PA
};

EncodedCommand tlbi(const Stream& s, uint64_t addr)
{
    if (s.s2)
        return encode_command("TLBI_S2_IPA", {{"vmid", 5}, {"addr", addr}, {"leaf", 1}});
    return encode_command("TLBI_NH_VA", {{"vmid", 0}, {"asid", 7}, {"addr", addr}, {"leaf", 1}});
}

}  // namespace

TEST(TranslationRandom, NoDmaUsesARemovedMappingAndEveryLiveOneTranslates)
{
    TestBench b;
    StreamSetup s(b);
    Stream st[2] = {{1, false, s.tables(StreamSetup::stage(), Stage::S1), {}},
                    {2, true, s.tables(StreamSetup::stage(), Stage::S2), {}}};
    const uint64_t cd = s.cd_table();
    s.cd(cd, st[0].tables->config(), 7);
    s.ste_s1(1, cd);
    s.ste_s2(2, st[1].tables->config(), 5);
    std::mt19937 rng(12);
    unsigned dmas = 0, faults = 0, wrong = 0;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        s.enable();
        for (int op = 0; op < 600; op++) {
            Stream& x = st[rng() % 2];
            const unsigned page = rng() % kPages;
            const uint64_t in = kIn + uint64_t(page) * 0x1000;
            const unsigned what = rng() % 4;
            if (what == 0 && !x.live.count(page)) {
                const uint64_t pa = b.dram(kFrames + uint64_t(rng() % kFrameCount) * 0x1000);
                x.tables->map(in, pa, 0x1000, x.s2 ? StreamSetup::s2_attrs() : StreamSetup::s1_attrs());
                x.live[page] = pa;
            } else if (what == 1 && x.live.count(page)) {
                x.tables->unmap(in, 0x1000);
                x.live.erase(page);
                const EncodedCommand c = tlbi(x, in);
                EXPECT_TRUE(b.submit_and_sync(q, 8, {{c.dw0, c.dw1}}));
            } else {
                const uint64_t off = (rng() % 512) * 8;
                const test::DmaResult r = b.dma(x.sid, in + off, 8, rng() % 2 == 0);
                dmas++;
                const auto it = x.live.find(page);
                if (it == x.live.end()) {
                    faults++;
                    wrong += r.fault != evt::F_TRANSLATION;
                } else {
                    wrong += !r.ok() || r.pa != it->second + off;
                }
            }
        }
    });
    EXPECT_EQ(wrong, 0u);
    // The sequence is fixed (seed 12): it exercised both outcomes, TLB hits
    // and TLB entries removed by the TLBIs.
    EXPECT_EQ(dmas, 461u);
    EXPECT_EQ(faults, 299u);
    EXPECT_EQ(b.smmu().translation().tlb().stats().hits.value(), 99u);
    EXPECT_EQ(b.smmu().translation().tlb().stats().invalidated.value(), 28u);
}
