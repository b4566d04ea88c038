// SPDX-License-Identifier: GPL-2.0-only
// Kernel threads (src/kthread.c's kthread_create/wake_up_process): each
// started kthread is a context of its own on a SystemC thread, as an
// interrupt thread is. It runs its body as kernel code on the one CPU
// (taking it whenever the context running there waits), ends when the body
// returns or calls kthread_exit(), and then runs its finish step (the C
// side completes vfork_done and drops the thread's reference). A panic
// stops the body as it stops a CPU job; finish still runs, as the kernel's
// do_exit() does for a task that oopsed. Not here: the task_struct, its
// reference counts and kthread_stop(), which are the C side's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cpu.h"

namespace smmusim::kshim {

class Klog;
class Scheduler;
struct ShimOptions;

// Thrown by kthread_exit() to leave the thread's body; caught where the
// thread started.
struct KthreadExit {};

class Kthreads {
public:
    using Fn = void (*)(void*);
    Kthreads(Scheduler& sched, Klog& log, const ShimOptions& opts) : sched_(sched), log_(log), opts_(opts) {}

    // Starts a thread that runs run(arg), then finish(arg), as kernel code
    // of a new context named `name`; returns that context (opaque to C).
    Context* start(Fn run, Fn finish, void* arg, const std::string& name);
    // Leaves the running kthread's body (kthread_exit()); a failure, and
    // no return, when the running context is not a kthread.
    [[noreturn]] void exit_current();

    uint64_t started() const { return threads_.size(); }
    uint64_t live() const;

private:
    struct Thread {
        Fn run, finish;
        void* arg;
        Context ctx;
        bool done = false;
    };
    void body(Thread* t);
    Thread* find(const Context* c);

    Scheduler& sched_;
    Klog& log_;
    const ShimOptions& opts_;
    std::vector<std::unique_ptr<Thread>> threads_;
};

}  // namespace smmusim::kshim
