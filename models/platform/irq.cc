// SPDX-License-Identifier: GPL-2.0-only
#include "irq.h"

#include <cstring>

#include <fmt/format.h>

namespace smmusim {

IrqController::IrqController(sc_core::sc_module_name name)
    : sc_module(name), msi("msi"), stats_(this->name()),
      msis_(stats_.counter("msis", "MSI writes received")),
      bad_msis_(stats_.counter("bad_msis", "doorbell writes that were not a 32-bit write (dropped)"))
{
    msi.register_b_transport(this, &IrqController::b_transport);
}

IrqController::Line& IrqController::line(unsigned irq)
{
    Line& l = lines_[irq];
    if (!l.ev)
        l.ev = std::make_unique<sc_core::sc_event>(sc_core::sc_gen_unique_name("irq"));
    return l;
}

void IrqController::configure(unsigned irq, Trigger t, std::string name)
{
    Line& l = line(irq);
    l.trigger = t;
    l.name = std::move(name);
}

sc_core::sc_event& IrqController::event(unsigned irq) { return *line(irq).ev; }

bool IrqController::level(unsigned irq) const
{
    auto it = lines_.find(irq);
    return it != lines_.end() && it->second.level;
}

uint64_t IrqController::count(unsigned irq) const
{
    auto it = lines_.find(irq);
    return it == lines_.end() ? 0 : it->second.count;
}

std::string IrqController::line_name(unsigned irq) const
{
    auto it = lines_.find(irq);
    return it == lines_.end() || it->second.name.empty() ? fmt::format("irq{}", irq) : it->second.name;
}

void IrqController::assert_irq(unsigned irq)
{
    Line& l = line(irq);
    l.count++;
    l.ev->notify(sc_core::SC_ZERO_TIME);
    for (const Handler& l : listeners_)
        l(irq);
    if (handler_)
        handler_(irq);
}

void IrqController::pulse(unsigned irq) { assert_irq(irq); }

void IrqController::set_level(unsigned irq, bool on)
{
    Line& l = line(irq);
    bool rising = on && !l.level;
    l.level = on;
    if (rising)
        assert_irq(irq);
}

void IrqController::b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay)
{
    if (delay != sc_core::SC_ZERO_TIME) {
        wait(delay);
        delay = sc_core::SC_ZERO_TIME;
    }
    if (!gp.is_write() || gp.get_data_length() != 4 || gp.get_byte_enable_ptr()) {
        bad_msis_++;
        gp.set_response_status(tlm::TLM_OK_RESPONSE);  // a doorbell ignores what it does not understand
        return;
    }
    uint32_t data;
    memcpy(&data, gp.get_data_ptr(), 4);
    msis_++;
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
    assert_irq(data);
}

}  // namespace smmusim
