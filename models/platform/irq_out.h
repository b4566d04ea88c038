// SPDX-License-Identifier: GPL-2.0-only
// One interrupt output of a model, usable by two kinds of platform at once:
//  - the simulator's IrqController: connect() it to a line, and the
//    controller hears every assertion at once, in the raising process;
//  - any SystemC platform: bind `port` (or the output itself) to an
//    sc_signal<bool>, as one binds an sc_out<bool>.
// On the signal, a level output follows set(); an edge output (pulse()) is
// high for one cycle of the model's clock, and pulses within that cycle make
// one. The signal changes one delta cycle after the assertion, written by
// this output's own process (sc_signal allows one writer), and shows the
// state at the end of that delta. Left unbound, the port costs nothing.
#pragma once

#include <systemc>

#include "clock.h"
#include "irq.h"

namespace smmusim {

class IrqOut : public sc_core::sc_module {
public:
    sc_core::sc_port<sc_core::sc_signal_inout_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND> port;

    SC_HAS_PROCESS(IrqOut);
    IrqOut(sc_core::sc_module_name name, const ClockDomain& clk);

    void bind(sc_core::sc_signal_inout_if<bool>& signal) { port.bind(signal); }
    void operator()(sc_core::sc_signal_inout_if<bool>& signal) { port.bind(signal); }
    void connect(const IrqLine& line) { line_ = line; }
    const IrqLine& line() const { return line_; }

    // Model side.
    void pulse();          // edge-triggered assertion
    void set(bool on);     // level-triggered output

private:
    bool signal_bound() const { return port.size() > 0; }
    void drive();  // SC_METHOD: writes the signal

    const ClockDomain& clk_;
    IrqLine line_;
    bool level_ = false;
    bool pulse_pending_ = false;
    sc_core::sc_time high_until_;  // end of the last pulse on the signal
    sc_core::sc_event changed_, pulse_end_;
};

}  // namespace smmusim
