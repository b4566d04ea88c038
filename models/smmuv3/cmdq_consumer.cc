// SPDX-License-Identifier: GPL-2.0-only
#include "cmdq_consumer.h"

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

CommandQueueConsumer::CommandQueueConsumer(sc_core::sc_module_name name, Smmuv3& smmu)
    : sc_module(name), smmu_(smmu), stats_(this->name()),
      consumed_ctr_(stats_.counter("consumed", "commands consumed (CONS advanced past them)")),
      errors_(stats_.counter("errors", "command errors (illegal, not admitted, fetch abort)")),
      batches_(stats_.counter("batches", "read bursts")),
      fetch_aborts_(stats_.counter("fetch_aborts", "command reads that got a bus error")),
      stall_cycles_(stats_.counter("stall_cycles", "cycles spent waiting for the shared execution engine")),
      latency_(stats_.histogram("latency_cycles", "doorbell (PROD write) to CONS update, per command"))
{
    src_ = smmu_.engine().add_source(this->name());
    SC_THREAD(run);
}

void CommandQueueConsumer::prod_written(uint32_t old_prod, uint32_t new_prod)
{
    produced_ += geometry().used(new_prod, old_prod);
    doorbells_.push_back(Doorbell{produced_, sc_core::sc_time_stamp()});
    kick();
}

void CommandQueueConsumer::restart()
{
    epoch_++;  // whatever was fetched before belongs to the old queue
    const QueueGeometry g = geometry();
    doorbells_.clear();
    consumed_ = 0;
    produced_ = g.used(prod(), cons());
    if (produced_)
        doorbells_.push_back(Doorbell{produced_, sc_core::sc_time_stamp()});
    kick();
}

bool CommandQueueConsumer::can_consume() const
{
    if (!enabled() || halted() || !admitting())
        return false;
    const QueueGeometry g = geometry();
    return !g.empty(prod(), cons());
}

void CommandQueueConsumer::note_consumed()
{
    consumed_++;
    consumed_ctr_++;
    while (!doorbells_.empty() && doorbells_.front().total < consumed_)
        doorbells_.pop_front();
    if (!doorbells_.empty())
        latency_.add(smmu_.clock().to_cycles(sc_core::sc_time_stamp() - doorbells_.front().when));
    progress_ev_.notify(sc_core::SC_ZERO_TIME);
}

void CommandQueueConsumer::stop_on_error(uint32_t cons_ptr, uint8_t code)
{
    errors_++;
    set_cons(static_cast<uint32_t>(q::CONS_ERR.set(cons_ptr, code)));
    report_error(code);
    progress_ev_.notify(sc_core::SC_ZERO_TIME);
}

void CommandQueueConsumer::run()
{
    const Smmuv3Params& p = smmu_.params();
    const ClockDomain& clk = smmu_.clock();
    CommandEngine& engine = smmu_.engine();

    for (;;) {
        while (!can_consume())
            wait(work_ev_);

        const QueueGeometry g = geometry();
        uint32_t cons_ptr = cons() & g.ptr_mask();
        uint32_t n = g.contiguous(prod() & g.ptr_mask(), cons_ptr);
        if (n > batch())
            n = batch();

        buf_.assign(2 * size_t(n), 0);
        batches_++;
        // A queue disabled (or disabled and re-initialised) while its batch
        // was fetched or decoded drops the batch: CONS is software's again.
        const uint64_t epoch = epoch_;
        const bool fetched =
            fetch(base_pa() + uint64_t(g.idx(cons_ptr)) * kCmdBytes, buf_.data(), size_t(n) * kCmdBytes);
        if (epoch_ != epoch || !enabled())
            continue;
        if (!fetched) {
            fetch_aborts_++;
            stop_on_error(cons_ptr, CERROR_ABT);
            continue;
        }

        cmds_.clear();
        uint8_t error = 0;
        for (uint32_t i = 0; i < n && !error && epoch_ == epoch; i++) {
            wait(clk.cycles(p.decode_cycles));
            Decoded d = decode_command(buf_[2 * i], buf_[2 * i + 1], smmu_.features());
            error = d.ok ? admit(d.cmd) : uint8_t{CERROR_ILL};
            if (error == kHold) {
                error = 0;
                break;
            }
            if (!error)
                cmds_.push_back(d.cmd);
        }
        if (epoch_ != epoch)
            continue;

        size_t executed = 0;
        if (!cmds_.empty()) {
            const sc_core::sc_time asked = sc_core::sc_time_stamp();
            engine.acquire(source());
            stall_cycles_ += clk.to_cycles(sc_core::sc_time_stamp() - asked);
            for (const Command& c : cmds_) {
                if (!enabled() || epoch_ != epoch)
                    break;  // disabled mid-batch: stop before the next command
                if (c.op == OP_CMD_SYNC && engine.atc_done(source()) > sc_core::sc_time_stamp()) {
                    // The sync completes when this queue's ATC invalidations
                    // have: wait for them off the engine, so other queues'
                    // commands run meanwhile, then ask for it again (the
                    // engine's execute() expects them done).
                    engine.release(source());
                    wait(engine.atc_done(source()) - sc_core::sc_time_stamp());
                    engine.acquire(source());
                    if (!enabled() || epoch_ != epoch)
                        break;
                }
                // CONS moves past the command when it has completed, before
                // its completion is signalled (CommandEngine::execute).
                bool retired = false;
                auto retire = [&] {
                    if (epoch_ != epoch)
                        return;  // re-initialised meanwhile: the pointers are the new queue's
                    const bool was_full = g.full(prod() & g.ptr_mask(), cons_ptr);
                    cons_ptr = g.inc(cons_ptr);
                    set_cons(static_cast<uint32_t>(q::CONS_ERR.set(cons_ptr, q::CONS_ERR.get(cons()))));
                    note_consumed();
                    consumed(cons_ptr, was_full);
                    retired = true;
                };
                executing_ = true;
                // A one-reference wrapper: std::function keeps it in place,
                // with no heap allocation a thread still waiting in execute()
                // when the simulation ends would leave behind.
                engine.execute(source(), c, [&retire] { retire(); });
                executing_ = false;
                if (!retired) {
                    // Disabled and re-initialised while it executed.
                    if (!enabled())
                        quiesced();
                    break;
                }
                executed++;
                if (!enabled())
                    quiesced();
            }
            engine.release(source());
        }
        if (error && executed == cmds_.size() && enabled() && epoch_ == epoch)
            stop_on_error(cons_ptr, error);
    }
}

}  // namespace smmusim
