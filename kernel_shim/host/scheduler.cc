// SPDX-License-Identifier: GPL-2.0-only
// CPU jobs: kernel code run as a CPU context (scheduler.h).
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include "scheduler.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

#include "platform/main_stack.h"
#include "smmusim/host.h"

namespace smmusim::kshim {

Context* Scheduler::new_cpu_context()
{
    cpu_contexts_.push_back(std::make_unique<Context>());
    Context* c = cpu_contexts_.back().get();
    c->name = cpu_.name();
    c->reset();
    return c;
}

// After an exception left kernel code: AddressSanitizer cannot unpoison the
// frames it unwound on a SystemC coroutine stack (google/sanitizers#189), so
// their redzones would fire falsely when the stack is used again. The
// frames lay just below this one, on this context's own stack.
void Scheduler::unpoison_unwound_frames()
{
#if defined(__SANITIZE_ADDRESS__)
    volatile char here = 0;
    const size_t span = std::min<size_t>(256u << 10, opts_.stack_bytes / 2);
    __asan_unpoison_memory_region(const_cast<char*>(&here) - span, span);
#endif
}

void Scheduler::run_on(Context& c, const std::function<void()>& body)
{
    cpu_.enter(c);
    c.spinning = false;
    try {
        body();
        rcu_quiescent();
        charge();  // the job's last stretch of CPU time
    } catch (const KernelPanic& p) {
        CpuCost::discard();
        log_.add(0, "simulated CPU stopped by panic: " + p.message);
        // The next body starts from a clean CPU (preemption and interrupts
        // enabled); whatever the stopped code held stays held.
        c.reset();
        smmusim_ctx_restore(c.preempt, c.irqflags);
        unpoison_unwound_frames();
    }
    cpu_.leave(c);
}

bool Scheduler::run(const std::function<void()>& body, sc_core::sc_time limit)
{
    // The simulation has ended for good (sc_stop): nothing can run.
    if (sc_core::sc_get_status() == sc_core::SC_STOPPED || sc_core::sc_end_of_simulation_invoked()) {
        log_.fail("context", "kernel code called after the simulation ended");
        return false;
    }
    // Called from kernel code or from a simulated CPU that is already a
    // SystemC thread (the trace player's): run here, in simulated time.
    if (cpu_.current()) {
        body();
        return true;
    }
    if (sc_core::sc_get_status() == sc_core::SC_RUNNING) {
        // Inside the simulation: only a thread can wait.
        auto h = sc_core::sc_get_current_process_handle();
        if (!h.valid() || h.proc_kind() != sc_core::SC_THREAD_PROC_) {
            log_.fail("context", "kernel code called from a SystemC method (it cannot wait)");
            return false;
        }
        if (!inline_cpu_)
            inline_cpu_ = new_cpu_context();
        run_on(*inline_cpu_, body);
        return true;
    }
    done_ = false;
    Context* c = new_cpu_context();

    sc_core::sc_spawn_options so;
    so.set_stack_size(static_cast<int>(opts_.stack_bytes));
    sc_core::sc_spawn(
        [this, c, body] {
            run_on(*c, body);
            done_ = true;
            sc_core::sc_pause();
        },
        sc_core::sc_gen_unique_name("kcpu"), &so);
    sc_core::sc_start(limit, sc_core::SC_EXIT_ON_STARVATION);
    announce_main_stack();  // the caller may throw next (main_stack.h)
    if (!done_) {
        log_.fail("hang", fmt::format("kernel code did not finish within {} of simulated time", limit.to_string()));
        return false;
    }
    retire(c);
    return true;
}

// A job that ran to its end is never entered again, so its context is
// dropped: rcu_quiescent() looks at every context kept, and a program
// that makes many system calls (the iommufd selftest's access_rw: 25,200
// ioctls) spent most of its time there. One that ended inside a
// non-preemptible section is kept, holding grace periods back as before.
// The CPU may still name it as the last context that busy-waited there;
// with interrupts enabled it masks nothing (Cpu::irqs_masked()), as none.
void Scheduler::retire(Context* c)
{
    if (smmusim_ctx_is_atomic(c->preempt, c->irqflags))
        return;
    if (cpu_.on_cpu() == c)
        cpu_.set_on_cpu(nullptr);
    auto it = std::find_if(cpu_contexts_.rbegin(), cpu_contexts_.rend(),
                           [c](const std::unique_ptr<Context>& p) { return p.get() == c; });
    if (it != cpu_contexts_.rend())
        cpu_contexts_.erase(std::next(it).base());
}

// The running context is about to sleep (so it holds no RCU read lock):
// a grace period has passed unless another context is parked inside a
// non-preemptible section.
void Scheduler::rcu_quiescent()
{
    if (smmusim_ctx_atomic())
        return;
    for (const auto& c : cpu_contexts_)
        if (c.get() != cpu_.current() && smmusim_ctx_is_atomic(c->preempt, c->irqflags))
            return;
    for (const Context* c : others_)
        if (c->active && smmusim_ctx_is_atomic(c->preempt, c->irqflags))
            return;
    smmusim_rcu_flush();
}

}  // namespace smmusim::kshim
