// SPDX-License-Identifier: GPL-2.0-only
#include "cmdq.h"

#include <vector>

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

SmmuCommandQueue::SmmuCommandQueue(sc_core::sc_module_name name, Smmuv3& smmu)
    : sc_module(name), smmu_(smmu), stats_(this->name()),
      consumed_ctr_(stats_.counter("consumed", "commands consumed (CONS advanced past them)")),
      errors_(stats_.counter("errors", "command errors (CERROR_ILL / CERROR_ABT)")),
      batches_(stats_.counter("batches", "read bursts")),
      fetch_aborts_(stats_.counter("fetch_aborts", "command reads that got a bus error")),
      stall_cycles_(stats_.counter("stall_cycles", "cycles spent waiting for the shared execution engine")),
      latency_(stats_.histogram("latency_cycles", "doorbell (PROD write) to CONS update, per command"))
{
    src_ = smmu_.engine().add_source(this->name());
    SC_THREAD(run);
}

QueueGeometry SmmuCommandQueue::geometry() const
{
    uint64_t log2 = q::LOG2SIZE.get(smmu_.bank().get(CMDQ_BASE));
    if (log2 > smmu_.params().cmdqs)
        log2 = smmu_.params().cmdqs;  // LOG2SIZE is capped by IDR1.CMDQS
    return QueueGeometry{static_cast<unsigned>(log2)};
}

uint64_t SmmuCommandQueue::base_pa() const { return smmu_.bank().get(CMDQ_BASE) & q::ADDR.mask(); }

bool SmmuCommandQueue::halted() const { return smmu_.gerror_active(gerror::CMDQ_ERR); }

void SmmuCommandQueue::prod_written(uint32_t old_prod, uint32_t new_prod)
{
    const QueueGeometry g = geometry();
    produced_ += g.used(new_prod, old_prod);
    doorbells_.push_back(Doorbell{produced_, sc_core::sc_time_stamp()});
    kick();
}

void SmmuCommandQueue::enabled_changed(bool on)
{
    if (on) {
        // A fresh start: software initialised PROD/CONS while disabled.
        doorbells_.clear();
        const QueueGeometry g = geometry();
        const uint32_t prod = static_cast<uint32_t>(smmu_.bank().get(CMDQ_PROD));
        const uint32_t cons = static_cast<uint32_t>(smmu_.bank().get(CMDQ_CONS));
        consumed_ = 0;
        produced_ = g.used(prod, cons);
        if (produced_)
            doorbells_.push_back(Doorbell{produced_, sc_core::sc_time_stamp()});
    }
    kick();
}

bool SmmuCommandQueue::can_consume() const
{
    if (!smmu_.cmdq_enabled() || halted())
        return false;
    const QueueGeometry g = geometry();
    return !g.empty(static_cast<uint32_t>(smmu_.bank().get(CMDQ_PROD)),
                    static_cast<uint32_t>(smmu_.bank().get(CMDQ_CONS)));
}

void SmmuCommandQueue::note_consumed()
{
    consumed_++;
    consumed_ctr_++;
    while (!doorbells_.empty() && doorbells_.front().total < consumed_)
        doorbells_.pop_front();
    if (!doorbells_.empty())
        latency_.add(smmu_.clock().to_cycles(sc_core::sc_time_stamp() - doorbells_.front().when));
}

void SmmuCommandQueue::run()
{
    const Smmuv3Params& p = smmu_.params();
    const ClockDomain& clk = smmu_.clock();
    RegisterBank& bank = smmu_.bank();
    // buf_ and cmds_ are members, not locals: a SystemC thread still blocked
    // when the simulation ends never unwinds its stack.
    std::vector<uint64_t>& buf = buf_;
    std::vector<Command>& cmds = cmds_;

    for (;;) {
        while (!can_consume())
            wait(work_ev_);

        const QueueGeometry g = geometry();
        uint32_t cons = static_cast<uint32_t>(bank.get(CMDQ_CONS)) & g.ptr_mask();
        const uint32_t prod = static_cast<uint32_t>(bank.get(CMDQ_PROD)) & g.ptr_mask();
        uint32_t n = g.contiguous(prod, cons);
        if (n > p.cmdq_batch)
            n = static_cast<uint32_t>(p.cmdq_batch);

        // Fetch the batch in one burst.
        buf.assign(2 * n, 0);
        batches_++;
        if (!smmu_.dma_read(base_pa() + uint64_t(g.idx(cons)) * kCmdBytes, buf.data(), n * kCmdBytes)) {
            fetch_aborts_++;
            errors_++;
            bank.set(CMDQ_CONS, q::CONS_ERR.set(bank.get(CMDQ_CONS), CERROR_ABT));
            smmu_.raise_gerror(gerror::CMDQ_ERR);
            progress_ev_.notify(sc_core::SC_ZERO_TIME);
            continue;
        }

        // Decode up to the first illegal command.
        cmds.clear();
        const char* why = nullptr;
        for (uint32_t i = 0; i < n; i++) {
            wait(clk.cycles(p.decode_cycles));
            Decoded d = decode_command(buf[2 * i], buf[2 * i + 1], smmu_.features());
            if (!d.ok) {
                why = d.why;
                break;
            }
            cmds.push_back(d.cmd);
        }

        size_t executed = 0;
        if (!cmds.empty()) {
            const sc_core::sc_time asked = sc_core::sc_time_stamp();
            smmu_.engine().acquire(src_);
            stall_cycles_ += clk.to_cycles(sc_core::sc_time_stamp() - asked);
            for (const Command& c : cmds) {
                if (!smmu_.cmdq_enabled())
                    break;  // disabled mid-batch: stop before the next command
                smmu_.engine().execute(src_, c);
                const uint32_t prod_now = static_cast<uint32_t>(bank.get(CMDQ_PROD)) & g.ptr_mask();
                const bool was_full = g.full(prod_now, cons);
                cons = g.inc(cons);
                bank.set(CMDQ_CONS, q::CONS_ERR.set(cons, q::CONS_ERR.get(bank.get(CMDQ_CONS))));
                note_consumed();
                progress_ev_.notify(sc_core::SC_ZERO_TIME);
                if (was_full)
                    smmu_.send_sev();
                executed++;
            }
            smmu_.engine().release(src_);
        }

        if (why && executed == cmds.size() && smmu_.cmdq_enabled()) {
            // CONS now points at the illegal command.
            errors_++;
            bank.set(CMDQ_CONS, q::CONS_ERR.set(cons, CERROR_ILL));
            smmu_.raise_gerror(gerror::CMDQ_ERR);
            progress_ev_.notify(sc_core::SC_ZERO_TIME);
        }
    }
}

}  // namespace smmusim
