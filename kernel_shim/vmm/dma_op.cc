// SPDX-License-Identifier: GPL-2.0-only
// The `dma` operation (sim/kernel_ops.h): an endpoint's DMA through the SMMU
// by the platform's DMA requester (for a PCI function with ATS enabled,
// through its ATC: models/endpoint/ats_endpoint.h), the wait until the driver's event-queue
// thread has handled the events it caused, and the judgement of the result
// against the line's expect= and pa=. The driver's reports of those events
// (event_dump.h) are this operation's to judge: with expect=fault they are
// expected (of the TYPE asked), with expect=ok the failure names the event
// instead of repeating its lines.
#include <fmt/format.h>

#include "event_dump.h"
#include "kernel_trace_ops.h"
#include "options.h"
#include "smmuv3/evtq.h"
#include "smmuv3/smmuv3.h"

namespace smmusim::kshim {

namespace {

// How long the driver may take over the events of one DMA: as long as a
// vEVENTQ read waits by default, plus time for each event (the thread
// reads and acknowledges each one with MMIO, about 1 us an access); both
// times cpu_slowdown() when the cost model makes kernel code slower than
// its defaults (the thread's own code then takes that much longer).
constexpr uint64_t kEventWaitNs = 1000000;
constexpr uint64_t kEventWaitPerEventNs = 100000;
constexpr uint64_t kPollNs = 100;

// Records the event queue has disposed of so far (written or lost).
uint64_t evtq_disposed(SmmuEventQueue& q)
{
    const StatGroup& s = q.stats();
    return s.value("written") + s.value("overflows") + s.value("dropped") + s.value("aborts");
}

std::string event_text(uint8_t type)
{
    if (!type)
        return "no event (an abort without a fault: STE.Config abort, GBPA.ABORT, or a bus error)";
    const char* n = smmuv3::evt::name(type);
    return n ? fmt::format("{} (event {:#04x})", n, type) : fmt::format("event {:#04x}", type);
}

std::string refusal_text(AtsRefusal why)
{
    switch (why) {
    case AtsRefusal::None: break;
    case AtsRefusal::NoPermission: return "refused by ATS (Translation Completion: Success without the permission)";
    case AtsRefusal::UnsupportedRequest: return "refused by ATS (Translation Completion: Unsupported Request)";
    case AtsRefusal::CompleterAbort: return "refused by ATS (Translation Completion: Completer Abort)";
    case AtsRefusal::Malformed: return "refused by ATS (a malformed Translation Completion)";
    }
    return "";
}

// Why an access failed: its ATS refusal, else its event.
std::string failure_text(const DmaAccess& a)
{
    return a.ats_refused != AtsRefusal::None ? refusal_text(a.ats_refused) : event_text(a.fault);
}

std::string what(const KernelOp& op)
{
    return fmt::format("dma {} {} of {:#x} bytes at iova {:#x}",
                       op.name.empty() ? fmt::format("sid={:#x}", op.sid) : op.name, op.write ? "write" : "read",
                       op.size, op.iova);
}

// expect=ok (and pa=): every access performed, the first byte where pa= says.
std::string judge_ok(const KernelOp& op, const DmaTransfer& r)
{
    if (const DmaAccess* f = r.first_failure())
        return fmt::format("{}: the access at iova {:#x} was terminated with {}{}, expected ok", what(op), f->iova,
                           failure_text(*f), r.failed() ? "" : " (part of the DMA was performed)");
    if (op.check_pa && r.accesses.front().pa != op.pa)
        return fmt::format("{}: the first byte went to PA {:#x}, expected pa={:#x}", what(op), r.accesses.front().pa,
                           op.pa);
    return "";
}

// expect=fault[:TYPE|:ATS]: every access terminated, each with TYPE (or
// refused by ATS).
std::string judge_fault(const KernelOp& op, const DmaTransfer& r)
{
    const std::string want = op.fault_ats      ? "a refusal by ATS"
                             : op.fault_type ? event_text(op.fault_type)
                                             : "a fault";
    for (const DmaAccess& a : r.accesses) {
        if (a.ok)
            return fmt::format("{}: the access at iova {:#x} was performed at PA {:#x}, expected {}", what(op),
                               a.iova, a.pa, want);
        const bool refused = a.ats_refused != AtsRefusal::None;
        if ((op.fault_ats && !refused) || (op.fault_type && (refused || a.fault != op.fault_type)))
            return fmt::format("{}: the access at iova {:#x} was terminated with {}, expected {}", what(op), a.iova,
                               failure_text(a), want);
    }
    return "";
}

}  // namespace

// Waits (bounded, simulated time) until the event queue has written or
// lost every record the DMA posted, the driver has consumed them all
// (EVTQ_CONS = EVTQ_PROD) and its event-queue interrupt thread is done.
std::string KernelTraceOps::wait_event_thread(uint64_t disposed_before, unsigned events)
{
    SmmuEventQueue& q = soc_.smmu().evtq();
    const unsigned irq = soc_.smmu_irq(Soc::IRQ_EVENTQ);
    auto handled = [&] {
        const uint32_t mask = q.geometry().ptr_mask();
        const auto prod = static_cast<uint32_t>(soc_.smmu().bank().get(smmuv3::EVTQ_PROD));
        const auto cons = static_cast<uint32_t>(soc_.smmu().bank().get(smmuv3::EVTQ_CONS));
        return evtq_disposed(q) >= disposed_before + events && (prod & mask) == (cons & mask) && ks_.irq_idle(irq);
    };
    const uint64_t base = kEventWaitNs + kEventWaitPerEventNs * events;
    const double slowdown = cpu_slowdown(ks_.options().cpu);
    // Past the unscaled bound the polls are as much sparser as the bound is
    // longer: a wait that ends within it ends at the same poll as with the
    // defaults, and a stuck one costs the host at most twice its polls.
    const double scaled = static_cast<double>(base) * slowdown;
    const uint64_t limit = scaled < 1e18 ? static_cast<uint64_t>(scaled) : 1000000000000000000ull;
    const auto late_poll = static_cast<uint64_t>(static_cast<double>(kPollNs) * slowdown);
    for (uint64_t waited = 0; !handled();) {
        if (waited >= limit)
            return fmt::format("the {} event(s) of this DMA were not all handled within {} ns of simulated time "
                               "(1 ms + 100 us per event{}; EVTQ_PROD {:#x}, EVTQ_CONS {:#x}): the driver's "
                               "event-queue thread did not consume them",
                               events, limit,
                               slowdown > 1 ? fmt::format(", times {:.4g} for the CPU cost model's rate", slowdown)
                                            : std::string(),
                               soc_.smmu().bank().get(smmuv3::EVTQ_PROD), soc_.smmu().bank().get(smmuv3::EVTQ_CONS));
        const uint64_t step = waited < base ? kPollNs : late_poll;
        if (!ks_.idle(sc_core::sc_time(static_cast<double>(step), sc_core::SC_NS)))
            return "simulated time ran out while the driver handled the events";
        waited += step;
    }
    return "";
}

// The driver's reports of this endpoint's events since `nlog`: taken as
// this operation's (not complaints); with expect=fault:TYPE each must be
// of TYPE and at an address the DMA faulted at.
std::string KernelTraceOps::take_event_dumps(const KernelOp& op, uint32_t sid, const DmaTransfer& r, size_t nlog)
{
    std::string err;
    for (const EventDump& d : find_event_dumps(ks_.log(), nlog)) {
        if (d.sid != sid)
            continue;  // not this endpoint's: a complaint as any other
        for (size_t i = d.first; i <= d.last; i++)
            taken_log_.insert(i);
        if (!op.expect_fault)
            continue;  // judge_ok() names the event already
        std::string bad;
        if (op.fault_type && d.id != op.fault_type)
            bad = fmt::format("the driver logged {}, expected {}", event_text(d.id), event_text(op.fault_type));
        bool at_fault = !d.has_iova;
        for (const DmaAccess& a : r.accesses)
            at_fault |= !a.ok && a.iova == d.iova;
        if (bad.empty() && !at_fault)
            bad = fmt::format("the driver logged {} at iova {:#x}, where the DMA did not fault", event_text(d.id),
                              d.iova);
        if (!bad.empty())
            err += fmt::format("{}{}: {}", err.empty() ? "" : "; ", what(op), bad);
    }
    return err;
}

std::string KernelTraceOps::dma(const KernelOp& op)
{
    DmaStream s;
    s.sid = op.name.empty() ? static_cast<uint32_t>(op.sid) : endpoint_sid_.at(op.name);
    s.ssv = op.ssv;
    s.ssid = op.ssid;
    const size_t nlog = ks_.log().size();
    const uint64_t disposed = evtq_disposed(soc_.smmu().evtq());
    const auto ats = op.name.empty() ? ats_endpoints_.end() : ats_endpoints_.find(op.name);
    const DmaTransfer r = ats != ats_endpoints_.end()
                              ? ats->second->dma(soc_.dma_requester(), s, op.iova, op.size, op.write)
                              : soc_.dma_requester().dma(s, op.iova, op.size, op.write);
    std::string err = r.recorded_events() ? wait_event_thread(disposed, r.recorded_events()) : "";
    const std::string verdict = op.expect_fault ? judge_fault(op, r) : judge_ok(op, r);
    const std::string dumps = take_event_dumps(op, s.sid, r, nlog);
    for (const std::string* e : {&verdict, &dumps})
        if (!e->empty())
            err += (err.empty() ? "" : "; ") + *e;
    return err;
}

}  // namespace smmusim::kshim
