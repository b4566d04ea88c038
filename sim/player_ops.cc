// SPDX-License-Identifier: GPL-2.0-only
// The trace's operations, one function per kind (kSteps): MMIO and memory
// accesses, waits and checks, and the driver's queue and CMDQV operations,
// which are the register sequences of driver/sequences.h.
#include <algorithm>

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
#include "driver/sequences.h"
#include "player.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"

namespace smmusim {

using namespace smmuv3;
using K = TraceOp::Kind;

namespace {
constexpr uint64_t kQueueArena = 0x100000;  // default queue base: DRAM + 1 MiB
}  // namespace

// None does nothing; every other kind has its step.
// The commonest first (execute() scans them).
const std::pair<TraceOp::Kind, TracePlayer::Step> TracePlayer::kSteps[] = {
    {K::Cmd, &TracePlayer::op_cmd},
    {K::Doorbell, &TracePlayer::op_doorbell},
    {K::WaitConsumed, &TracePlayer::op_wait_consumed},
    {K::Wait, &TracePlayer::op_wait},
    {K::ExpectCmd, &TracePlayer::op_expect_cmd},
    {K::Kernel, &TracePlayer::op_kernel},
    {K::Write, &TracePlayer::op_write},
    {K::Read, &TracePlayer::op_read},
    {K::MemWrite, &TracePlayer::op_mem_write},
    {K::MemRead, &TracePlayer::op_mem_read},
    {K::QueueEnable, &TracePlayer::op_queue_enable},
    {K::CmdqvEnable, &TracePlayer::op_cmdqv_enable},
    {K::VintfEnable, &TracePlayer::op_vintf_enable},
    {K::VintfMap, &TracePlayer::op_vintf_map},
    {K::VintfSid, &TracePlayer::op_vintf_sid},
    {K::RoiBegin, &TracePlayer::op_roi},
    {K::RoiEnd, &TracePlayer::op_roi},
};

void TracePlayer::execute(const TraceOp& op)
{
    for (const auto& [kind, step] : kSteps)
        if (kind == op.kind)
            return (this->*step)(op);
}

uint64_t TracePlayer::mmio_addr(const TraceOp& op) const
{
    switch (op.block) {
    case TraceOp::Block::Smmu: return soc_.params().smmu_base + op.addr;
    case TraceOp::Block::Cmdqv: return soc_.params().cmdqv_base + op.addr;
    default: return op.addr;
    }
}

void TracePlayer::op_wait(const TraceOp& op) { wait_cycles(op, op.cycles); }

// The region's edges are where the CPU's operations are in simulated time:
// what the platform counts from here (a command still in flight included)
// is the region's. The trace reader checked their order.
void TracePlayer::op_roi(const TraceOp& op)
{
    if (op.kind == K::RoiBegin)
        roi_.begin(soc_.smmu_clock().now(), ops_);
    else
        roi_.end(soc_.smmu_clock().now(), ops_);
}

void TracePlayer::op_expect_cmd(const TraceOp& op)
{
    if (std::string e = cmdlog_.check(op.cexp); !e.empty())
        fail(op, e);
}

void TracePlayer::op_kernel(const TraceOp& op)
{
    if (!kernel_)
        return fail(op, "kernel-level operation with no kernel attached to the run");
    if (std::string e = kernel_->execute(op.kop); !e.empty())
        fail(op, e);
}

void TracePlayer::op_write(const TraceOp& op)
{
    if (!soc_.mmio_write(mmio_addr(op), op.size, op.value))
        fail(op, fmt::format("write to {:#x} got a bus error", mmio_addr(op)));
}

void TracePlayer::op_read(const TraceOp& op)
{
    uint64_t v = 0;
    if (!soc_.mmio_read(mmio_addr(op), op.size, v))
        fail(op, fmt::format("read of {:#x} got a bus error", mmio_addr(op)));
    else if (op.has_expect && v != op.expect)
        fail(op, fmt::format("read {:#x}, expected {:#x}", v, op.expect));
}

void TracePlayer::op_mem_write(const TraceOp& op)
{
    if (!soc_.memory().write(op.addr, &op.value, op.size))
        fail(op, fmt::format("{:#x} is not populated memory", op.addr));
}

void TracePlayer::op_mem_read(const TraceOp& op)
{
    uint64_t v = 0;
    if (!soc_.memory().read(op.addr, &v, op.size))
        fail(op, fmt::format("{:#x} is not populated memory", op.addr));
    else if (v != op.expect)
        fail(op, fmt::format("memory holds {:#x}, expected {:#x}", v, op.expect));
}

uint64_t TracePlayer::place_queue(unsigned log2size)
{
    // Each default queue aligned to its size, as the SMMU aligns the base it
    // uses (IHI 0070 6.3.26): a smaller queue placed before a larger one
    // must not leave the larger one misaligned.
    if (!next_queue_base_)
        next_queue_base_ = soc_.config().u64("mem.dram_base") + kQueueArena;
    const uint64_t bytes = std::max<uint64_t>(kCmdBytes << log2size, 0x1000);
    const uint64_t base = (next_queue_base_ + bytes - 1) / bytes * bytes;
    next_queue_base_ = base + bytes;
    return base;
}

void TracePlayer::op_queue_enable(const TraceOp& op)
{
    // What a driver does: base, PROD = CONS = 0, the enable, wait for the
    // ACK. A queue that is enabled already is first disabled, as a driver
    // does before it reprograms one: while CMDQEN is set, writes to
    // SMMU_CMDQ_BASE/CONS are ignored (IHI 0070, SMMU_CMDQ_BASE; the model's
    // Decisions), and a PROD of 0 would look like a wrap to the hardware.
    QueueState& q = queue_state(op);
    q.base = op.has_base ? op.base : place_queue(op.log2size);
    q.log2size = op.log2size;
    q.prod = 0;
    q.cons = 0;
    OpBus bus(*this, op);
    if (!op.vcmdq) {
        const uint64_t smmu = soc_.params().smmu_base;
        const auto cr0 = static_cast<uint32_t>(soc_.smmu().bank().get(CR0));  // what the driver wrote
        if (cr0::CMDQEN.get(cr0))
            driver::smmu_cmdq_disable(bus, smmu, cr0);
        driver::smmu_cmdq_enable(bus, smmu, q.base, op.log2size);
        return;
    }
    const driver::VcmdqPages at = driver::logical_vcmdq(soc_.params().cmdqv_base, op.vintf, op.lidx);
    const int mapped = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    if (mapped >= 0 && cmdqv::vcmdq_config::EN.get(soc_.cmdqv().vcmdq(static_cast<unsigned>(mapped))
                                                       .reg(0, cmdqv::VCMDQ_CONFIG)))
        driver::vcmdq_disable(bus, at);
    bus.explain = [&] { return vcmdq_error_state(op); };
    driver::vcmdq_enable(bus, at, q.base, op.log2size);
}

void TracePlayer::op_cmd(const TraceOp& op)
{
    // Software writes the entry into queue memory (cacheable, zero time),
    // waiting for room when the queue is full.
    QueueState& q = queue_state(op);
    if (!wait_for_room(op, q))
        return;
    OpBus bus(*this, op);
    bool ok = true;
    one_cmd_[0] = {op.dw0, op.dw1};
    q.prod = driver::write_commands(bus, q.base, q.log2size, q.prod, one_cmd_, &ok);
    if (!ok)
        fail(op, fmt::format("queue base {:#x} is not populated memory", q.base));
}

void TracePlayer::op_doorbell(const TraceOp& op) { soc_.mmio_write(prod_reg(op), 4, queue_state(op).prod); }

void TracePlayer::op_wait_consumed(const TraceOp& op)
{
    // As Linux's __arm_smmu_cmdq_poll_until_consumed(): nothing to do when
    // the driver's copy of CONS says everything was consumed; else it
    // sleeps until the queue drained or stopped (or the timeout), then reads
    // CONS: one timed read per wake-up, not one per CONS move.
    const ClockDomain& clk = soc_.smmu_clock();
    QueueState& q = queue_state(op);
    const uint64_t start = clk.now();
    while (q.cons != q.prod) {
        const uint64_t waited = clk.now() - start;
        if (!wait_drained(op, q, op.timeout - std::min(waited, op.timeout)))
            return;
        const uint32_t cons = read_cons(op, q);
        if (q.cons == q.prod)
            return;
        if (std::string why = stuck(op, cons); !why.empty())
            return fail(op, fmt::format("queue {} {}", op.queue, why));
        if (clk.now() - start >= op.timeout)
            return fail(op, fmt::format("queue {} not consumed after {} cycles (CONS {:#x}, PROD {:#x})", op.queue,
                                        op.timeout, cons, q.prod));
    }
}

void TracePlayer::op_cmdqv_enable(const TraceOp& op)
{
    OpBus bus(*this, op);
    driver::cmdqv_enable(bus, soc_.params().cmdqv_base);
}

void TracePlayer::op_vintf_enable(const TraceOp& op)
{
    OpBus bus(*this, op);
    bus.explain = [&] {
        // Read in zero time, as vcmdq_error_state() does: the VINTF stays
        // disabled while the CMDQV is (Linux enables the CMDQV first).
        const RegisterBank& regs = soc_.cmdqv().bank();
        if (!cmdqv::config::EN.get(regs.get(cmdqv::CONFIG)))
            return fmt::format("VINTF {} stays disabled: the CMDQV is not enabled (CMDQV_CONFIG.CMDQV_EN clear; "
                               "'cmdqv enable' enables it)",
                               op.vintf);
        if (!cmdqv::status::ENABLED.get(regs.get(cmdqv::STATUS)))
            return fmt::format("VINTF {} stays disabled: the CMDQV's enable has not completed "
                               "(CMDQV_STATUS.CMDQV_ENABLED clear)",
                               op.vintf);
        return std::string();
    };
    if (!driver::vintf_enable(bus, soc_.params().cmdqv_base, op.vintf, op.hyp_own, op.vmid))
        return;  // the handshake's failure
    // A VINTF that was already enabled keeps the VMID and HYP_OWN it was
    // enabled with (the CMDQV ignores a change while EN stays set): the
    // line asked for others, so it did not do what it says. Read in zero
    // time, as a driver remembers what it wrote.
    const uint64_t cfg = soc_.cmdqv().bank().get(cmdqv::vintf(op.vintf) + cmdqv::VINTF_CONFIG);
    const uint64_t vmid = cmdqv::vintf_config::VMID.get(cfg), hyp_own = cmdqv::vintf_config::HYP_OWN.get(cfg);
    if (vmid != op.vmid || hyp_own != static_cast<uint64_t>(op.hyp_own))
        fail(op, fmt::format("VINTF {} was already enabled and keeps VMID {} and HYP_OWN {} (asked for {} and {}): "
                             "the CMDQV does not change them while the VINTF stays enabled (disable it first: "
                             "write32 cmdqv.VINTF{}_CONFIG 0)",
                             op.vintf, vmid, hyp_own, op.vmid, op.hyp_own ? 1 : 0, op.vintf));
}

void TracePlayer::op_vintf_map(const TraceOp& op)
{
    OpBus bus(*this, op);
    driver::map_lvcmdq(bus, soc_.params().cmdqv_base, op.global_q, op.vintf, op.index);
    // The CMDQV keeps a mapping it already has (another VINTF's, or this
    // VINTF's under another LVCMDQ): ALLOCATED alone would pass those.
    const uint64_t alloc = bus.read(soc_.params().cmdqv_base + cmdqv::cmdq_alloc(op.global_q), 4);
    const bool allocated = cmdqv::alloc::ALLOCATED.get(alloc) != 0;
    if (!allocated || cmdqv::alloc::VINTF.get(alloc) != op.vintf || cmdqv::alloc::LVCMDQ.get(alloc) != op.index)
        fail(op, fmt::format("the CMDQV refused to map VCMDQ {} as VINTF {} LVCMDQ {}{}", op.global_q, op.vintf,
                             op.index,
                             allocated
                                 ? fmt::format(": it is VINTF {}'s LVCMDQ {} (CMDQ_ALLOC{} reads {:#x})",
                                               cmdqv::alloc::VINTF.get(alloc), cmdqv::alloc::LVCMDQ.get(alloc),
                                               op.global_q, alloc)
                                 : std::string()));
}

void TracePlayer::op_vintf_sid(const TraceOp& op)
{
    OpBus bus(*this, op);
    driver::vintf_sid(bus, soc_.params().cmdqv_base, op.vintf, op.index, op.vsid, op.psid);
}

}  // namespace smmusim
