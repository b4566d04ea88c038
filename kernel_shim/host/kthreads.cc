// SPDX-License-Identifier: GPL-2.0-only
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "kthreads.h"

#include <systemc>

#include "klog.h"
#include "options.h"
#include "scheduler.h"
#include "smmusim/host.h"

namespace smmusim::kshim {

Context* Kthreads::start(Fn run, Fn finish, void* arg, const std::string& name)
{
    auto owned = std::make_unique<Thread>();
    Thread* t = owned.get();
    t->run = run;
    t->finish = finish;
    t->arg = arg;
    t->ctx.name = name;
    t->ctx.reset();
    sched_.add_context(&t->ctx);
    threads_.push_back(std::move(owned));

    sc_core::sc_spawn_options so;
    so.set_stack_size(static_cast<int>(opts_.stack_bytes));
    sc_core::sc_spawn([this, t] { body(t); }, sc_core::sc_gen_unique_name("kthread"), &so);
    return &t->ctx;
}

void Kthreads::body(Thread* t)
{
    Cpu& cpu = sched_.cpu();
    // The context that had the CPU (none when the creator sleeps).
    Context* prev = cpu.current();
    cpu.enter(t->ctx);
    bool finished = false;
    try {
        try {
            t->run(t->arg);
        } catch (const KthreadExit&) {
            sched_.unpoison_unwound_frames();
        }
        finished = true;
        t->finish(t->arg);
        sched_.rcu_quiescent();
    } catch (const KernelPanic& p) {
        log_.add(0, "kernel thread " + t->ctx.name + " stopped by panic: " + p.message);
        sched_.unpoison_unwound_frames();
        t->ctx.reset();
        smmusim_ctx_restore(t->ctx.preempt, t->ctx.irqflags);
        if (!finished)
            t->finish(t->arg);
    }
    t->done = true;
    t->ctx.active = false;
    cpu.leave(t->ctx);
    cpu.set_current(prev);
}

Kthreads::Thread* Kthreads::find(const Context* c)
{
    for (auto& t : threads_)
        if (&t->ctx == c && !t->done)
            return t.get();
    return nullptr;
}

void Kthreads::exit_current()
{
    if (!find(sched_.current())) {
        log_.fail("BUG", "kthread_exit: called by a context that is not a kernel thread");
        throw KernelPanic{"kthread_exit outside a kernel thread"};
    }
    throw KthreadExit{};
}

uint64_t Kthreads::live() const
{
    uint64_t n = 0;
    for (const auto& t : threads_)
        n += !t->done;
    return n;
}

}  // namespace smmusim::kshim
