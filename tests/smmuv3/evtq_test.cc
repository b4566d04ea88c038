// SPDX-License-Identifier: GPL-2.0-only
// The event queue producer: record writes, PROD, interrupts, overflow.
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/evtq.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using smmusim::test::TestBench;

namespace {
uint64_t enable_evtq(TestBench& b, unsigned log2size)
{
    const uint64_t q = b.dram(0x200000);
    b.wr64(EVTQ_BASE, q | log2size);
    b.wr32(EVTQ_PROD, 0);
    b.wr32(EVTQ_CONS, 0);
    b.wr32(IRQ_CTRL, irq_ctrl::EVTQ_IRQEN.mask() | irq_ctrl::GERROR_IRQEN.mask());
    b.wr32(CR0, cr0::EVTQEN.mask());
    EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == cr0::EVTQEN.mask(); }));
    return q;
}
EventRecord rec(uint8_t type, uint32_t sid) { return {type | (uint64_t(sid) << 32), 0x11, 0x22, 0x33}; }
}  // namespace

TEST(Smmuv3Evtq, RecordsAreWrittenInOrderAndSignalled)
{
    TestBench b;
    b.run([&] {
        const uint64_t q = enable_evtq(b, 4);
        b.smmu().evtq().post(rec(evt::F_TRANSLATION, 7));
        b.smmu().evtq().post(rec(evt::C_BAD_STE, 8));
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(EVTQ_PROD) == 2u; }, 1000));
        EXPECT_EQ(b.get64(q), evt::F_TRANSLATION | (7ull << 32));
        EXPECT_EQ(b.get64(q + 8), 0x11u);
        EXPECT_EQ(b.get64(q + 32), evt::C_BAD_STE | (8ull << 32));
    });
    EXPECT_EQ(b.irqc().count(b.soc().smmu_irq(Soc::IRQ_EVENTQ)), 2u);
    EXPECT_EQ(b.smmu().evtq().stats().value("written"), 2u);
}

TEST(Smmuv3Evtq, FullQueueDropsAndTogglesOverflowOnce)
{
    TestBench b;
    b.run([&] {
        enable_evtq(b, 1);  // 2 entries
        for (int i = 0; i < 5; i++)
            b.smmu().evtq().post(rec(evt::F_TRANSLATION, i));
        b.wait_cycles(1000);
        const uint32_t prod = b.rd32(EVTQ_PROD);
        EXPECT_EQ(prod & 3, 2u);  // full: index 0, wrap 1
        EXPECT_TRUE(q::OVF.get(prod));
        // Software consumes and acknowledges the overflow.
        b.wr32(EVTQ_CONS, 2 | q::OVF.mask());
        b.smmu().evtq().post(rec(evt::F_TRANSLATION, 9));
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(EVTQ_PROD) & 3) == 3u; }, 1000));
        EXPECT_EQ(q::OVF.get(b.rd32(EVTQ_PROD)), q::OVF.get(b.rd32(EVTQ_CONS)));
    });
    EXPECT_EQ(b.smmu().evtq().stats().value("overflows"), 3u);
    EXPECT_EQ(b.smmu().evtq().stats().value("written"), 3u);
}

TEST(Smmuv3Evtq, DisabledQueueDropsRecords)
{
    TestBench b;
    b.run([&] {
        b.smmu().evtq().post(rec(evt::F_TRANSLATION, 1));
        b.wait_cycles(100);
        EXPECT_EQ(b.rd32(EVTQ_PROD), 0u);
    });
    EXPECT_EQ(b.smmu().evtq().stats().value("dropped"), 1u);
}

TEST(Smmuv3Evtq, EventMsiGoesThroughEvtqIrqCfg)
{
    TestBench b;
    std::vector<unsigned> irqs;
    b.irqc().set_handler([&](unsigned irq) { irqs.push_back(irq); });
    b.run([&] {
        b.wr64(EVTQ_IRQ_CFG0, b.soc().params().msi_base);
        b.wr32(EVTQ_IRQ_CFG1, 555);
        enable_evtq(b, 4);
        b.smmu().evtq().post(rec(evt::F_TRANSLATION, 1));
        EXPECT_TRUE(b.wait_until([&] { return irqs.size() == 3; }, 1000));
    });
    EXPECT_EQ(irqs.back(), 555u);
}
