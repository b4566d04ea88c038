// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "irq_threads.h"

#include <cerrno>

#include <fmt/format.h>

#include "klog.h"
#include "options.h"
#include "scheduler.h"
#include "smmusim/host.h"
#include "smmusim/kernel_facts.h"

namespace smmusim::kshim {

int IrqThreads::request(unsigned irq, Handler handler, Handler thread_fn, void* dev_id, const char* name)
{
    for (auto& a : actions_)
        if (!a->freed && a->irq == irq)
            return -EBUSY;  // no shared lines in the simulated system
    auto act = std::make_unique<Action>();
    Action* a = act.get();
    a->irq = irq;
    a->handler = handler;
    a->thread_fn = thread_fn;
    a->dev_id = dev_id;
    a->name = name ? name : "";
    a->seen = irqc_.count(irq);
    a->ctx.name = fmt::format("irq/{}-{}", irq, a->name);
    a->ctx.active = false;
    a->ctx.irq = true;
    a->ctx.reset();
    sched_.add_context(&a->ctx);
    actions_.push_back(std::move(act));
    requested_++;

    sc_core::sc_spawn_options so;
    so.set_stack_size(static_cast<int>(opts_.stack_bytes));
    sc_core::sc_spawn([this, a] { thread(a); }, sc_core::sc_gen_unique_name("kirq"), &so);
    return 0;
}

bool IrqThreads::handle(Action* a)
{
    Cpu& cpu = sched_.cpu();
    Context* interrupted = cpu.current();
    cpu.enter(a->ctx);
    try {
        smmusim_irq_enter();
        const int r = a->handler(static_cast<int>(a->irq), a->dev_id);
        smmusim_irq_exit();
        if ((r & smmusim_kernel_irq_wake_thread) && a->thread_fn)
            a->thread_fn(static_cast<int>(a->irq), a->dev_id);
        else if (!(r & (smmusim_kernel_irq_handled | smmusim_kernel_irq_wake_thread)))
            log_.add(3, fmt::format("irq {}: nobody cared ({})", a->irq, a->name));
        sched_.charge();  // the handler's CPU time, before it counts as done
    } catch (const KernelPanic& p) {
        CpuCost::discard();
        log_.add(0, "interrupt thread stopped by panic: " + p.message);
        cpu.leave(a->ctx);
        return false;
    }
    cpu.leave(a->ctx);
    cpu.set_current(interrupted);
    return true;
}

void IrqThreads::thread(Action* a)
{
    for (;;) {
        while (!a->freed && irqc_.count(a->irq) == a->seen)
            sc_core::wait(irqc_.event(a->irq));
        if (a->freed)
            return;
        // A CPU busy-waiting with interrupts masked takes it later.
        while (sched_.cpu().irqs_masked())
            sc_core::wait(sc_core::sc_time(static_cast<double>(opts_.cpu_relax_ns), sc_core::SC_NS));
        a->seen = irqc_.count(a->irq);
        a->ctx.active = true;
        const bool alive = handle(a);
        a->ctx.active = false;
        a->idle_ev.notify(sc_core::SC_ZERO_TIME);
        if (!alive)
            return;
    }
}

void IrqThreads::free(unsigned irq, void* dev_id)
{
    for (auto& a : actions_) {
        if (!a->freed && a->irq == irq && a->dev_id == dev_id) {
            synchronize(irq);
            a->freed = true;
            irqc_.event(irq).notify(sc_core::SC_ZERO_TIME);  // lets its thread end
            return;
        }
    }
    log_.fail("WARN", fmt::format("free_irq: trying to free already-free IRQ {}", irq));
}

void IrqThreads::synchronize(unsigned irq)
{
    sched_.charge();  // before the check: a handler ending meanwhile is seen
    for (auto& a : actions_)
        while (!a->freed && a->irq == irq && a->ctx.active && sched_.current() != &a->ctx)
            sched_.wait_in_kernel(false, sc_core::SC_ZERO_TIME, [&] { sc_core::wait(a->idle_ev); });
}

bool IrqThreads::idle(unsigned irq) const
{
    for (const auto& a : actions_)
        if (!a->freed && a->irq == irq && (a->ctx.active || irqc_.count(irq) != a->seen))
            return false;
    return true;
}

uint64_t IrqThreads::live() const
{
    uint64_t n = 0;
    for (const auto& a : actions_)
        n += !a->freed;
    return n;
}

}  // namespace smmusim::kshim
