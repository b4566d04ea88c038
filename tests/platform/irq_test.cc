// SPDX-License-Identifier: GPL-2.0-only
#include <vector>

#include <gtest/gtest.h>

#include "support/testbench.h"

using namespace smmusim;
using smmusim::test::TestBench;

TEST(Irq, EdgeLevelAndMsiReachTheHandler)
{
    TestBench b;
    std::vector<unsigned> seen;
    b.irqc().set_handler([&](unsigned irq) { seen.push_back(irq); });
    b.irqc().configure(7, IrqController::Trigger::Level, "lvl");
    b.run([&] {
        IrqLine edge(&b.irqc(), 5), lvl(&b.irqc(), 7);
        edge.pulse();
        edge.pulse();
        lvl.set(true);
        lvl.set(true);  // no new edge
        lvl.set(false);
        lvl.set(true);
        uint64_t data = 42;
        EXPECT_TRUE(b.soc().mmio_write(b.soc().params().msi_base + 0x40, 4, data));
        // A non-32-bit doorbell write is dropped, not fatal.
        EXPECT_TRUE(b.soc().mmio_write(b.soc().params().msi_base + 0x40, 8, data));
    });
    EXPECT_EQ(seen, (std::vector<unsigned>{5, 5, 7, 7, 42}));
    EXPECT_EQ(b.irqc().count(5), 2u);
    EXPECT_TRUE(b.irqc().level(7));
    EXPECT_EQ(b.irqc().msi_count(), 1u);
    EXPECT_EQ(b.irqc().stats().value("bad_msis"), 1u);
    EXPECT_EQ(b.irqc().line_name(7), "lvl");
}
