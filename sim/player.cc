// SPDX-License-Identifier: GPL-2.0-only
#include "player.h"

#include <fmt/format.h>

#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"

namespace smmusim {

using namespace smmuv3;

namespace {
constexpr size_t kMaxFailures = 100;  // keep the first ones; count the rest
constexpr uint64_t kQueueArena = 0x100000;  // default queue base: DRAM + 1 MiB
}  // namespace

TracePlayer::TracePlayer(Soc& soc, std::string path) : soc_(soc), path_(std::move(path)) {}

void TracePlayer::resolve(TraceOp& op) const
{
    if (!op.smmu_relative || op.reg.empty())
        return;
    for (const RegSpec& r : soc_.smmu().bank().specs())
        if (op.reg == r.name) {
            op.addr = r.offset;
            if (op.size > r.width)
                throw TraceError(fmt::format("{}: {} is a 32-bit register", op.loc.str(), op.reg));
            return;
        }
    throw TraceError(fmt::format("{}: the SMMU has no register '{}'", op.loc.str(), op.reg));
}

void TracePlayer::validate()
{
    TraceReader r(path_);
    TraceOp op;
    bool cmdq_on = false;
    while (r.next(op)) {
        resolve(op);
        if (op.kind == TraceOp::Kind::CmdqEnable)
            cmdq_on = true;
        if ((op.kind == TraceOp::Kind::Cmd || op.kind == TraceOp::Kind::Doorbell ||
             op.kind == TraceOp::Kind::WaitConsumed) && !cmdq_on)
            throw TraceError(fmt::format("{}: the command queue is used before 'cmdq enable'", op.loc.str()));
    }
}

void TracePlayer::start()
{
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(1 << 20);
    sc_core::sc_spawn([this] { run(); }, "trace_cpu", &opts);
}

void TracePlayer::fail(const TraceOp& op, const std::string& what)
{
    if (failures_.size() < kMaxFailures)
        failures_.push_back(fmt::format("{}: {}", op.loc.str(), what));
    else
        lost_failures_++;
}

uint64_t TracePlayer::mmio_addr(const TraceOp& op) const
{
    return op.smmu_relative ? soc_.params().smmu_base + op.addr : op.addr;
}

void TracePlayer::run()
{
    TraceReader r(path_);
    TraceOp op;
    // Errors were found by validate(); any here would be a file changed
    // under our feet, which TraceError reports the same way.
    while (r.next(op)) {
        resolve(op);
        const ClockDomain& clk = soc_.smmu_clock();
        if (op.when == TraceOp::When::After)
            sc_core::wait(clk.cycles(op.when_cycles));
        else if (op.when == TraceOp::When::At && clk.now() < op.when_cycles)
            sc_core::wait(clk.cycles(op.when_cycles - clk.now()));
        execute(op);
        ops_++;
    }
    if (lost_failures_)
        failures_.push_back(fmt::format("... and {} more failures", lost_failures_));
    finished_ = true;
    sc_core::sc_stop();
}

void TracePlayer::execute(const TraceOp& op)
{
    const ClockDomain& clk = soc_.smmu_clock();
    switch (op.kind) {
    case TraceOp::Kind::None: break;
    case TraceOp::Kind::Wait: sc_core::wait(clk.cycles(op.cycles)); break;
    case TraceOp::Kind::Write:
        if (!soc_.mmio_write(mmio_addr(op), op.size, op.value))
            fail(op, fmt::format("write to {:#x} got a bus error", mmio_addr(op)));
        break;
    case TraceOp::Kind::Read: {
        uint64_t v = 0;
        if (!soc_.mmio_read(mmio_addr(op), op.size, v))
            fail(op, fmt::format("read of {:#x} got a bus error", mmio_addr(op)));
        else if (op.has_expect && v != op.expect)
            fail(op, fmt::format("read {:#x}, expected {:#x}", v, op.expect));
        break;
    }
    case TraceOp::Kind::MemWrite:
        if (!soc_.memory().write(op.addr, &op.value, op.size))
            fail(op, fmt::format("{:#x} is not populated memory", op.addr));
        break;
    case TraceOp::Kind::MemRead: {
        uint64_t v = 0;
        if (!soc_.memory().read(op.addr, &v, op.size))
            fail(op, fmt::format("{:#x} is not populated memory", op.addr));
        else if (v != op.expect)
            fail(op, fmt::format("memory holds {:#x}, expected {:#x}", v, op.expect));
        break;
    }
    case TraceOp::Kind::CmdqEnable: {
        // What a driver does: base, PROD = CONS = 0, CR0.CMDQEN, wait for the ACK.
        const uint64_t smmu = soc_.params().smmu_base;
        cmdq_.base = op.has_base ? op.base : soc_.config().u64("mem.dram_base") + kQueueArena;
        cmdq_.log2size = op.log2size;
        cmdq_.prod = 0;
        cmdq_.enabled = true;
        soc_.mmio_write(smmu + CMDQ_BASE, 8, cmdq_.base | op.log2size);
        soc_.mmio_write(smmu + CMDQ_PROD, 4, 0);
        soc_.mmio_write(smmu + CMDQ_CONS, 4, 0);
        uint64_t cr0 = 0, ack = 0;
        soc_.mmio_read(smmu + CR0, 4, cr0);
        cr0 |= cr0::CMDQEN.mask();
        soc_.mmio_write(smmu + CR0, 4, cr0);
        for (uint64_t i = 0; i < 1000000 && ack != cr0; i++)
            soc_.mmio_read(smmu + CR0ACK, 4, ack);
        if (ack != cr0)
            fail(op, "CR0ACK never followed CR0");
        break;
    }
    case TraceOp::Kind::Cmd: {
        // Software writes the entry into queue memory (cacheable, zero time).
        const QueueGeometry g{cmdq_.log2size};
        uint64_t cons = 0;
        soc_.mmio_read(soc_.params().smmu_base + CMDQ_CONS, 4, cons);
        while (g.full(cmdq_.prod, static_cast<uint32_t>(cons) & g.ptr_mask())) {
            sc_core::wait(clk.cycles(1));  // queue full: wait for room, as a driver would
            soc_.mmio_read(soc_.params().smmu_base + CMDQ_CONS, 4, cons);
        }
        const uint64_t e[2] = {op.dw0, op.dw1};
        if (!soc_.memory().write(cmdq_.base + uint64_t(g.idx(cmdq_.prod)) * kCmdBytes, e, sizeof(e)))
            fail(op, fmt::format("queue base {:#x} is not populated memory", cmdq_.base));
        cmdq_.prod = g.inc(cmdq_.prod);
        break;
    }
    case TraceOp::Kind::Doorbell:
        soc_.mmio_write(soc_.params().smmu_base + CMDQ_PROD, 4, cmdq_.prod);
        break;
    case TraceOp::Kind::WaitConsumed: {
        const QueueGeometry g{cmdq_.log2size};
        const uint64_t start = clk.now();
        RegisterBank& bank = soc_.smmu().bank();
        for (;;) {
            const uint32_t cons = static_cast<uint32_t>(bank.get(CMDQ_CONS));
            if ((cons & g.ptr_mask()) == cmdq_.prod)
                break;
            if (q::CONS_ERR.get(cons) && soc_.smmu().gerror_active(gerror::CMDQ_ERR)) {
                fail(op, fmt::format("the command queue stopped with CONS.ERR = {} at index {}",
                                     q::CONS_ERR.get(cons), g.idx(cons)));
                break;
            }
            const uint64_t waited = clk.now() - start;
            if (waited >= op.timeout) {
                fail(op, fmt::format("not consumed after {} cycles (CONS {:#x}, PROD {:#x})", op.timeout, cons,
                                     cmdq_.prod));
                break;
            }
            sc_core::wait(clk.cycles(op.timeout - waited), soc_.smmu().cmdq().progress());
        }
        break;
    }
    }
}

}  // namespace smmusim
