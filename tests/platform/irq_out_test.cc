// SPDX-License-Identifier: GPL-2.0-only
// A model's interrupt output bound to an sc_signal<bool>, as another
// platform binds an sc_out<bool>, while it still drives its IrqController
// line (irq_out.h): a pulse is one cycle of the model's clock on the signal
// (a second pulse inside it extends it), a level follows set(), and the
// controller hears each assertion at once.
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "platform/irq.h"
#include "platform/irq_out.h"
#include "platform/router.h"
#include "support/tlm_parts.h"

using namespace smmusim;
using smmusim::test::TestInitiator;

namespace {

// Records every value an sc_signal<bool> takes, with its time in ps (the
// models run at SystemC's default 1 ps resolution).
class SignalProbe : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> in;
    std::vector<std::pair<uint64_t, bool>> seen;

    SC_HAS_PROCESS(SignalProbe);
    explicit SignalProbe(sc_core::sc_module_name name) : sc_module(name), in("in")
    {
        SC_METHOD(sample);
        sensitive << in;
        dont_initialize();
    }

private:
    void sample() { seen.emplace_back(sc_core::sc_time_stamp().value(), in.read()); }
};

sc_core::sc_time ps(uint64_t n) { return sc_core::sc_time(static_cast<double>(n), sc_core::SC_PS); }

}  // namespace

TEST(IrqOut, DrivesAnScSignalAndItsControllerLine)
{
    ClockDomain clk("smmu", 1000);  // 1000 ps cycles
    Router bus("bus", clk, BusParams{});
    IrqController irqc("irqc");
    IrqOut out("out", clk);
    sc_core::sc_signal<bool> line("line");
    SignalProbe probe("probe");
    std::vector<uint64_t> heard;  // controller assertions, in ps
    irqc.set_handler([&](unsigned) { heard.push_back(sc_core::sc_time_stamp().value()); });
    TestInitiator cpu("cpu", [&] {
        out.pulse();                 // 0: one cycle high
        sc_core::wait(ps(5000));
        out.set(true);               // 5000: high until cleared
        sc_core::wait(ps(2000));
        out.set(false);              // 7000
        sc_core::wait(ps(3000));
        out.pulse();                 // 10000
        sc_core::wait(ps(500));
        out.pulse();                 // 10500: extends the pulse to 11500
    });
    cpu.socket.bind(bus.in);
    bus.map("msi", 0x1000, 0x1000).bind(irqc.msi);
    out.bind(line);
    probe.in.bind(line);
    out.connect(IrqLine(&irqc, 3));
    sc_core::sc_start();

    const std::vector<std::pair<uint64_t, bool>> want = {
        {0, true}, {1000, false}, {5000, true}, {7000, false}, {10000, true}, {11500, false}};
    EXPECT_EQ(probe.seen, want);
    EXPECT_EQ(heard, (std::vector<uint64_t>{0, 5000, 10000, 10500}));  // set(true): a rising edge
    EXPECT_EQ(irqc.count(3), 4u);
}

TEST(IrqOut, UnboundDrivesOnlyTheController)
{
    ClockDomain clk("smmu", 1000);
    Router bus("bus", clk, BusParams{});
    IrqController irqc("irqc");
    IrqOut out("out", clk);
    TestInitiator cpu("cpu", [&] {
        out.pulse();
        out.set(true);
    });
    cpu.socket.bind(bus.in);
    bus.map("msi", 0x1000, 0x1000).bind(irqc.msi);
    out.connect(IrqLine(&irqc, 9));
    sc_core::sc_start();
    EXPECT_EQ(irqc.count(9), 2u);
    EXPECT_TRUE(irqc.level(9));
}
