// SPDX-License-Identifier: GPL-2.0-only
// A model's interrupt output (irq_out.h): the controller line at once, the
// bound signal from this output's own process.
#include "irq_out.h"

namespace smmusim {

IrqOut::IrqOut(sc_core::sc_module_name name, const ClockDomain& clk) : sc_module(name), port("port"), clk_(clk)
{
    SC_METHOD(drive);
    sensitive << changed_ << pulse_end_;
    dont_initialize();
}

void IrqOut::pulse()
{
    line_.pulse();
    if (signal_bound()) {
        pulse_pending_ = true;
        changed_.notify(sc_core::SC_ZERO_TIME);
    }
}

void IrqOut::set(bool on)
{
    line_.set(on);
    if (signal_bound()) {
        level_ = on;
        changed_.notify(sc_core::SC_ZERO_TIME);
    }
}

void IrqOut::drive()
{
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    if (pulse_pending_) {
        pulse_pending_ = false;
        high_until_ = now + clk_.cycles(1);
    }
    const bool pulsing = now < high_until_;
    if (pulsing)
        pulse_end_.notify(high_until_ - now);
    port->write(level_ || pulsing);
}

}  // namespace smmusim
