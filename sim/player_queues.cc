// SPDX-License-Identifier: GPL-2.0-only
// What the trace's "driver" knows of its command queues and how it waits for
// the hardware: the queues' registers, why a queue cannot drain, handshake
// polls, waiting for progress and for room.
#include "player.h"

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "register_names.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"

namespace smmusim {

using namespace smmuv3;

uint64_t TracePlayer::prod_reg(const TraceOp& op) const
{
    return op.vcmdq ? soc_.params().cmdqv_base + cmdqv::lvcmdq_page0(op.vintf, op.lidx) + cmdqv::VCMDQ_PROD
                    : soc_.params().smmu_base + CMDQ_PROD;
}

uint64_t TracePlayer::cons_reg(const TraceOp& op) const
{
    return op.vcmdq ? soc_.params().cmdqv_base + cmdqv::lvcmdq_page0(op.vintf, op.lidx) + cmdqv::VCMDQ_CONS
                    : soc_.params().smmu_base + CMDQ_CONS;
}

TracePlayer::QueueState& TracePlayer::queue_state(const TraceOp& op) { return queues_[op]; }

Vcmdq* TracePlayer::vcmdq_of(const TraceOp& op)
{
    const int q = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    return q < 0 ? nullptr : &soc_.cmdqv().vcmdq(static_cast<unsigned>(q));
}

CommandQueueConsumer* TracePlayer::consumer(const TraceOp& op)
{
    if (!op.vcmdq)
        return &soc_.smmu().cmdq();
    return vcmdq_of(op);
}

bool TracePlayer::queue_halted(const TraceOp& op)
{
    if (!op.vcmdq)
        return soc_.smmu().gerror_active(gerror::CMDQ_ERR);
    const Vcmdq* v = vcmdq_of(op);
    return v && v->error_active(cmdqv::vcmdq_gerror::CMDQ_ERR);
}

uint32_t TracePlayer::hw_cons(const TraceOp& op)
{
    if (!op.vcmdq)
        return static_cast<uint32_t>(soc_.smmu().bank().get(CMDQ_CONS));
    const Vcmdq* v = vcmdq_of(op);
    return v ? static_cast<uint32_t>(v->reg(0, cmdqv::VCMDQ_CONS)) : 0;
}

uint64_t TracePlayer::hw_prod(const TraceOp& op)
{
    if (!op.vcmdq)
        return soc_.smmu().bank().get(CMDQ_PROD);
    const Vcmdq* v = vcmdq_of(op);
    return v ? v->reg(0, cmdqv::VCMDQ_PROD) : 0;
}

uint32_t TracePlayer::read_cons(const TraceOp& op, QueueState& q)
{
    uint64_t cons = 0;
    soc_.mmio_read(cons_reg(op), 4, cons);
    q.cons = static_cast<uint32_t>(cons) & QueueGeometry{q.log2size}.ptr_mask();
    return static_cast<uint32_t>(cons);
}

std::string TracePlayer::stuck(const TraceOp& op, uint32_t cons)
{
    // What the hardware shows (in zero time: a driver would have read these
    // registers, or remembers what it wrote to them).
    const QueueGeometry g{queue_state(op).log2size};
    if (queue_halted(op)) {
        const uint64_t err = q::CONS_ERR.get(cons);
        if (err != 0)
            return fmt::format("stopped with CONS.ERR = {} at index {}", err, g.idx(cons));
        // CERROR_NONE: no command failed. The error is active because its
        // GERRORN bit differs from its GERROR bit (Arm IHI 0070, 7.2 and
        // 6.3.19/6.3.20: a write to GERRORN that toggles CMDQ_ERR makes it so).
        const Vcmdq* v = op.vcmdq ? vcmdq_of(op) : nullptr;
        const char* reg = v ? "VCMDQ_GERROR" : "GERROR";
        const uint64_t gerror = v ? v->reg(0, cmdqv::VCMDQ_GERROR) : soc_.smmu().bank().get(GERROR);
        const uint64_t gerrorn = v ? v->reg(0, cmdqv::VCMDQ_GERRORN) : soc_.smmu().bank().get(GERRORN);
        const Field& bit = v ? cmdqv::vcmdq_gerror::CMDQ_ERR : gerror::CMDQ_ERR;
        return fmt::format("stopped with CONS.ERR = 0 at index {}: no command failed, but {}.CMDQ_ERR is active "
                           "because {}N.CMDQ_ERR ({}) != {}.CMDQ_ERR ({}) (an error is active while the two bits "
                           "differ: a GERRORN write that toggles CMDQ_ERR stops the queue; Arm IHI 0070, 7.2 and "
                           "6.3.19)",
                           g.idx(cons), reg, reg, bit.get(gerrorn), reg, bit.get(gerror));
    }
    bool enabled = false;
    if (!op.vcmdq) {
        enabled = soc_.smmu().cmdq_enabled();
    } else {
        const Vcmdq* v = vcmdq_of(op);
        if (!v)
            return fmt::format("is not mapped (no VCMDQ is VINTF {}'s LVCMDQ {})", op.vintf, op.lidx);
        enabled = v->hw_enabled();
    }
    const uint64_t hw_prod = this->hw_prod(op);
    if (!enabled)
        return "is not enabled";
    if ((hw_prod & g.ptr_mask()) == (cons & g.ptr_mask()))
        return fmt::format("has nothing left to consume: PROD was written up to {:#x}, the entries up to {:#x} "
                           "were never rung ('doorbell {}')",
                           hw_prod & g.ptr_mask(), queue_state(op).prod, op.queue);
    return "";
}

bool TracePlayer::poll(const TraceOp& op, uint64_t addr, uint64_t mask, uint64_t want,
                       const std::function<std::string()>& explain)
{
    // As a driver does: read until the bits follow, for a bounded number of reads.
    uint64_t v = 0;
    for (uint64_t i = 0; i < pp_.poll_reads; i++) {
        soc_.mmio_read(addr, 4, v);
        if ((v & mask) == want)
            return true;
    }
    const std::string why = explain ? explain() : std::string();
    const std::string name = register_name(soc_, addr);
    fail(op, fmt::format("register {}{:#x}{} never reached {:#x} (reads {:#x}) after {} read{} (player.poll_reads){}{}",
                         name.empty() ? "" : name + " (", addr, name.empty() ? "" : ")", want, v & mask,
                         pp_.poll_reads, pp_.poll_reads == 1 ? "" : "s", why.empty() ? "" : ": ", why));
    return false;
}

uint64_t TracePlayer::OpBus::read(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    p_.soc_.mmio_read(addr, size, v);
    return v;
}

void TracePlayer::OpBus::write(uint64_t addr, unsigned size, uint64_t value) { p_.soc_.mmio_write(addr, size, value); }

bool TracePlayer::OpBus::poll(uint64_t addr, uint64_t mask, uint64_t want)
{
    return p_.poll(op_, addr, mask, want, explain);
}

bool TracePlayer::OpBus::store(uint64_t pa, const void* src, size_t len) { return p_.soc_.memory().write(pa, src, len); }

std::string TracePlayer::vcmdq_error_state(const TraceOp& op)
{
    const Vcmdq* vq = vcmdq_of(op);
    if (!vq)
        return fmt::format("no VCMDQ is VINTF {}'s LVCMDQ {}", op.vintf, op.lidx);
    const Vcmdq& v = *vq;
    const unsigned q = v.index();
    const uint64_t active = v.reg(0, cmdqv::VCMDQ_GERROR) ^ v.reg(0, cmdqv::VCMDQ_GERRORN);
    if (!v.error_active(cmdqv::vcmdq_gerror::CMDQ_INIT_ERR))
        return fmt::format("VCMDQ {} reports no CMDQ_INIT_ERR (GERROR ^ GERRORN = {:#x})", q, active);
    return fmt::format("VCMDQ {} reports CMDQ_INIT_ERR (GERROR ^ GERRORN = {:#x}): the CMDQV refused the enable "
                       "(it needs an enabled CMDQV, the queue mapped to an enabled VINTF, and LOG2SIZE at most "
                       "IDR1.CMDQS)",
                       q, active);
}

bool TracePlayer::wait_cycles(const TraceOp& op, uint64_t n)
{
    const ClockDomain& clk = soc_.smmu_clock();
    if (n > clk.cycles_left()) {
        fail(op, fmt::format("waiting {} more cycles would pass the end of simulated time (2^64 - 1 ps)", n));
        stop_ = true;
        return false;
    }
    sc_core::wait(clk.cycles(n));
    return true;
}

bool TracePlayer::wait_progress(const TraceOp& op, uint64_t n)
{
    const ClockDomain& clk = soc_.smmu_clock();
    if (!clk.cycles_left())
        return wait_cycles(op, n);  // the failure above
    const sc_core::sc_time t = clk.cycles(std::min(n, clk.cycles_left()));
    if (CommandQueueConsumer* c = consumer(op)) {
        c->watch_progress(true);
        wait_until(c->progress(), sc_core::sc_time_stamp() + t);
        c->watch_progress(false);
    } else
        sc_core::wait(t);
    return true;
}

void TracePlayer::wait_until(const sc_core::sc_event& e, const sc_core::sc_time& until)
{
    // The thread wakes exactly when wait(until - now, e) would: at `e` or at
    // `until`. The deadline is moved only when it must come sooner; one
    // that is pending but earlier than `until` (an earlier wait's) wakes
    // the thread for nothing, and it waits on. Operations that finish
    // before their deadline leave it pending: no cancelled notification
    // per wake-up piles up in the kernel's timed queue.
    for (;;) {
        const sc_core::sc_time now = sc_core::sc_time_stamp();
        if (deadline_at_ <= now || deadline_at_ > until) {
            deadline_.notify(until - now);  // an earlier time overrides a pending later one
            deadline_at_ = until;
        }
        sc_core::wait(e | deadline_);
        if (e.triggered() || sc_core::sc_time_stamp() >= until)
            return;
    }
}

bool TracePlayer::wait_drained(const TraceOp& op, const QueueState& q, uint64_t n)
{
    // The registers are looked at in zero time at each CONS move (or error)
    // only to decide whether the driver wakes: what it observes is its one
    // timed CONS read after waking, at the cycle the queue drained (or
    // stopped, or n ran out).
    const uint32_t mask = QueueGeometry{q.log2size}.ptr_mask();
    auto settled = [&] {
        const uint32_t c = hw_cons(op);
        return (c & mask) == q.prod || !stuck(op, c).empty();
    };
    if (settled())
        return true;
    const ClockDomain& clk = soc_.smmu_clock();
    if (!clk.cycles_left())
        return wait_cycles(op, n);  // the failure there
    const sc_core::sc_time until = sc_core::sc_time_stamp() + clk.cycles(std::min(n, clk.cycles_left()));
    CommandQueueConsumer* c = consumer(op);
    if (!c) {
        sc_core::wait(until - sc_core::sc_time_stamp());  // unmapped: settled() above said so already
        return true;
    }
    // Woken where the consumer stops: at the PROD the hardware was told of
    // (the driver's, unless entries were never rung), or at an error. Only
    // the player writes its queues' PROD, and it is here.
    c->watch_cons(static_cast<uint32_t>(hw_prod(op)) & mask);
    while (sc_core::sc_time_stamp() < until && !settled())
        wait_until(c->progress(), until);
    c->unwatch_cons();
    return true;
}

bool TracePlayer::wait_for_room(const TraceOp& op, QueueState& q)
{
    // Bounded: a queue that stopped, is disabled or holds nothing the
    // hardware was told of never drains, and fails at once; anything else
    // fails after player.room_timeout_cycles. CONS is read only when the
    // driver's copy says the queue is full (Linux's queue_has_space() on its
    // llq, then arm_smmu_cmdq_poll_until_not_full()).
    const QueueGeometry g{q.log2size};
    if (!g.full(q.prod, q.cons))
        return true;
    const ClockDomain& clk = soc_.smmu_clock();
    const uint64_t start = clk.now();
    uint32_t cons = read_cons(op, q);
    while (g.full(q.prod, q.cons)) {
        if (std::string why = stuck(op, cons); !why.empty()) {
            fail(op, fmt::format("queue {} is full and {}; the command is not written", op.queue, why));
            return false;
        }
        const uint64_t waited = clk.now() - start;
        if (waited >= pp_.room_timeout_cycles) {
            fail(op, fmt::format("queue {} still full after {} cycles (CONS {:#x}, PROD {:#x}); the command is not "
                                 "written",
                                 op.queue, waited, cons, q.prod));
            return false;
        }
        if (!wait_progress(op, std::min<uint64_t>(pp_.room_recheck_cycles, pp_.room_timeout_cycles - waited)))
            return false;
        cons = read_cons(op, q);
    }
    return true;
}

}  // namespace smmusim
