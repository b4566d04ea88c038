// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "cpu.h"

#include <fmt/format.h>

#include "smmusim/host.h"
#include "smmusim/kernel_facts.h"

namespace smmusim::kshim {

void Context::reset() { smmusim_ctx_init(&preempt, &irqflags); }

Cpu::Cpu(unsigned index, const sc_core::sc_event& sev, const CpuParams& cost)
    : index_(index), name_(fmt::format("cpu{}", index)), cost_(cost, name_)
{
    sc_core::sc_spawn_options so;
    so.spawn_method();
    so.dont_initialize();
    so.set_sensitivity(&sev);
    sc_core::sc_spawn(
        [this] {
            sev_pending_ = true;
            if (wake_from_ == sc_core::SC_ZERO_TIME) {  // no WFE waiting with CPU time
                wfe_ev_.notify(sc_core::SC_ZERO_TIME);
                return;
            }
            const sc_core::sc_time& now = sc_core::sc_time_stamp();
            wfe_ev_.notify(now < wake_from_ ? wake_from_ - now : sc_core::SC_ZERO_TIME);
        },
        sc_core::sc_gen_unique_name("kshim_sev"), &so);
}

void Cpu::enter(Context& c)
{
    cur_ = &c;
    smmusim_ctx_restore(c.preempt, c.irqflags);
}

void Cpu::leave(Context& c)
{
    smmusim_ctx_save(&c.preempt, &c.irqflags);
    if (cur_ == &c)
        cur_ = nullptr;
}

bool Cpu::irqs_masked() const { return on_cpu_ && smmusim_kernel_irqs_disabled_flags(on_cpu_->irqflags); }

bool Cpu::take_event()
{
    const bool was = sev_pending_;
    sev_pending_ = false;
    return was;
}

}  // namespace smmusim::kshim
