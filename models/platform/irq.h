// SPDX-License-Identifier: GPL-2.0-only
// Interrupts: wired lines (edge or level) and message-signalled interrupts.
// The controller stands in for the GIC: wired lines are numbered as the
// device tree numbers them, and an MSI is a 32-bit write to the doorbell
// window whose data is the interrupt number (as a GICv3 ITS translater with
// an identity translation, or GICv2m). Whoever services interrupts (a test
// bench, the kernel shim's IRQ threads) hooks in with set_handler() or waits
// on event(irq). A model drives its lines through IrqOut (irq_out.h),
// which can drive an sc_signal<bool> as well. The doorbell has no debug
// transport (0 bytes): it holds nothing to read, and a write is an interrupt.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "stats.h"

namespace smmusim {

class IrqController : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<IrqController> msi;  // doorbell window

    explicit IrqController(sc_core::sc_module_name name);

    enum class Trigger { Edge, Level };
    void configure(unsigned irq, Trigger t, std::string name);

    // Model side.
    void pulse(unsigned irq);               // edge-triggered assertion
    void set_level(unsigned irq, bool on);  // level-triggered line

    // Service side. The handler is called at the simulated time the
    // interrupt is asserted (rising edge of a level, every edge pulse, every
    // MSI), in the context of whichever process raised it: it must not wait.
    using Handler = std::function<void(unsigned irq)>;
    void set_handler(Handler h) { handler_ = std::move(h); }
    // Listeners see every assertion too (statistics, timelines); they do not
    // service the interrupt and must not wait.
    void add_listener(Handler h) { listeners_.push_back(std::move(h)); }
    sc_core::sc_event& event(unsigned irq);
    bool level(unsigned irq) const;
    uint64_t count(unsigned irq) const;  // assertions so far
    uint64_t msi_count() const { return msis_.value(); }
    std::string line_name(unsigned irq) const;

    StatGroup& stats() { return stats_; }

private:
    struct Line {
        Trigger trigger = Trigger::Edge;
        std::string name;
        bool level = false;
        uint64_t count = 0;
        std::unique_ptr<sc_core::sc_event> ev;
    };
    Line& line(unsigned irq);
    void assert_irq(unsigned irq);
    void b_transport(tlm::tlm_generic_payload& gp, sc_core::sc_time& delay);

    std::map<unsigned, Line> lines_;
    Handler handler_;
    std::vector<Handler> listeners_;
    StatGroup stats_;
    Counter& msis_;
    Counter& bad_msis_;
};

// What a model holds to drive one of its interrupt outputs. An unconnected
// line (no controller) drops assertions.
class IrqLine {
public:
    IrqLine() = default;
    IrqLine(IrqController* c, unsigned irq) : ctrl_(c), irq_(irq) {}
    void pulse() const { if (ctrl_) ctrl_->pulse(irq_); }
    void set(bool on) const { if (ctrl_) ctrl_->set_level(irq_, on); }
    bool connected() const { return ctrl_ != nullptr; }
    unsigned irq() const { return irq_; }

private:
    IrqController* ctrl_ = nullptr;
    unsigned irq_ = 0;
};

}  // namespace smmusim
