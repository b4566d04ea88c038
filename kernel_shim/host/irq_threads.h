// SPDX-License-Identifier: GPL-2.0-only
// Interrupt threads (request_threaded_irq and friends): each requested line
// has a SystemC thread that waits for the line's assertions (counted, so no
// edge is lost), runs the hard handler in hard-IRQ context and, on
// IRQ_WAKE_THREAD, the thread function (oneshot). Delivery waits while the
// CPU busy-waits with interrupts masked.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "cpu.h"
#include "platform/irq.h"

namespace smmusim::kshim {

class Klog;
class Scheduler;
struct ShimOptions;

class IrqThreads {
public:
    using Handler = int (*)(int, void*);
    IrqThreads(IrqController& irqc, Scheduler& sched, Klog& log, const ShimOptions& opts)
        : irqc_(irqc), sched_(sched), log_(log), opts_(opts)
    {
    }

    // 0, or -EBUSY when the line is taken (no shared lines here).
    int request(unsigned irq, Handler handler, Handler thread_fn, void* dev_id, const char* name);
    void free(unsigned irq, void* dev_id);
    // Waits until no handler of the line runs (in another context).
    void synchronize(unsigned irq);

    // Every assertion of the line was taken and no handler of it runs (a
    // line nobody requested is idle).
    bool idle(unsigned irq) const;

    uint64_t requested() const { return requested_; }
    uint64_t live() const;

private:
    struct Action {
        unsigned irq;
        Handler handler, thread_fn;
        void* dev_id;
        std::string name;
        bool freed = false;
        uint64_t seen = 0;  // assertions taken
        Context ctx;
        sc_core::sc_event idle_ev;
    };
    void thread(Action* a);
    // One assertion: the handlers, in the action's context; false when a
    // panic stopped them.
    bool handle(Action* a);

    IrqController& irqc_;
    Scheduler& sched_;
    Klog& log_;
    const ShimOptions& opts_;
    std::vector<std::unique_ptr<Action>> actions_;
    uint64_t requested_ = 0;
};

}  // namespace smmusim::kshim
