// SPDX-License-Identifier: GPL-2.0-only
// The ATS endpoint (models/endpoint/ats_endpoint.h) with the real SMMU on
// the platform (TestBench): a stage-1 stream with STE.EATS = 0b01 and
// CR0.ATSCHK = 1 (IHI 0070 3.9.1). Its first DMA misses the ATC and sends
// a Translation Request the SMMU answers from the page tables; the access
// then goes out translated and the SMMU performs it at that address
// (3.9.1.3); the next access hits. An ATC_INV through the SMMU's command
// queue reaches the endpoint's ATC (registered while ATS is enabled)
// before its CMD_SYNC completes, so the next DMA misses again. Exact
// cycles: a miss costs the lookup, the request (the SMMU's own ATS
// latency figure) and the translated access; a hit the lookup and the
// access.
#include <gtest/gtest.h>

#include "endpoint/ats_endpoint.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/ste.h"
#include "smmuv3/translation/translation_unit.h"
#include "support/stream_setup.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::endpoint;
using smmusim::test::StreamSetup;
using smmusim::test::TestBench;

namespace {

constexpr uint32_t kSid = 3;

// The stream as arm-smmu-v3 leaves a function with ATS: stage 1, EATS = 0b01.
std::unique_ptr<smmuv3::PgtableBuilder> ats_stream(StreamSetup& s)
{
    auto tables = s.tables(StreamSetup::stage(), smmuv3::Stage::S1);
    const uint64_t cd = s.cd_table(0);
    s.cd(cd, tables->config(), 7);
    s.ste_s1(kSid, cd);
    uint64_t e[8];
    s.read_ste(kSid, e);
    smmuv3::ste::EATS.set(e, smmuv3::ste::EATS_TRANS);
    s.write_ste(kSid, e);
    return tables;
}

std::pair<uint64_t, uint64_t> atc_inv(uint64_t addr)
{
    const auto c = smmuv3::encode_command("ATC_INV", {{"sid", kSid}, {"addr", addr}, {"size", 0}});
    return {c.dw0, c.dw1};
}

}  // namespace

TEST(AtsEndpointSmmu, MissRequestTranslatedHitThenAtcInvThroughTheQueueMakesItMissAgain)
{
    TestBench b;
    StreamSetup s(b);
    auto tables = ats_stream(s);
    const uint64_t pa = b.dram(0x1000000);
    tables->map(0x10000, pa, 0x1000, StreamSetup::s1_attrs());
    b.mem().write(pa + 0x20, "\x5a", 1);
    EndpointParams p;
    PciConfigSpace cfg({}, true, p);
    AtsEndpoint ep("ep", b.smmu().clock(), p, cfg, &b.smmu().engine());
    cfg.write(pcicfg::EXT_CAP_START + pcicfg::ATS_CTRL, 2, pcicfg::ATS_CTRL_ENABLE);
    DmaTransfer miss, hit, again;
    uint64_t tr_cycles = 0;
    b.run([&] {
        s.enable();
        const uint32_t cr0 = b.rd32(smmuv3::CR0) | uint32_t(smmuv3::cr0::ATSCHK.mask());
        b.wr32(smmuv3::CR0, cr0);  // as arm_smmu_device_reset sets it with IDR0.ATS
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(smmuv3::CR0ACK) == cr0; }));
        const uint64_t q = b.enable_cmdq();
        miss = ep.dma(b.soc().dma_requester(), {.sid = kSid}, 0x10020, 0x10, false);
        tr_cycles = b.smmu().translation().stats().find_histogram("ats.latency")->max();
        hit = ep.dma(b.soc().dma_requester(), {.sid = kSid}, 0x10ff0, 0x10, true);
        EXPECT_TRUE(b.submit_and_sync(q, 8, {atc_inv(0x10000)}));
        again = ep.dma(b.soc().dma_requester(), {.sid = kSid}, 0x10020, 0x10, false);
    });
    ASSERT_TRUE(miss.ok() && hit.ok() && again.ok());
    EXPECT_EQ(miss.accesses[0].pa, pa + 0x20);
    EXPECT_EQ(miss.data[0], 0x5a);
    EXPECT_EQ(hit.accesses[0].pa, pa + 0xff0);
    EXPECT_EQ(b.smmu().translation().stats().value("ats.translated_allowed"), 3u);
    // The miss is the hit plus the request: the lookup and the translated
    // access cost the same both times.
    EXPECT_GT(tr_cycles, 0u);
    EXPECT_EQ(miss.cycles, hit.cycles + tr_cycles);
    // The figures: a hit is the lookup (2) and the translated access (the
    // STE check under ATSCHK, then memory: 48); the first request walks
    // (292); after the ATC_INV the request hits the SMMU's TLB (7, as
    // tests/smmuv3/translation/ats_test.cc has it).
    EXPECT_EQ(hit.cycles, 50u);
    EXPECT_EQ(tr_cycles, 292u);
    EXPECT_EQ(again.cycles, hit.cycles + 7);
    EXPECT_EQ(ep.stats().value("translation_requests"), 2u);
    EXPECT_EQ(ep.atc().stats().value("hits"), 1u);
    EXPECT_EQ(ep.atc().stats().value("misses"), 2u);
    EXPECT_EQ(ep.atc().stats().value("invalidations"), 1u);
    EXPECT_EQ(ep.atc().stats().value("invalidated"), 1u);
}
