// SPDX-License-Identifier: GPL-2.0-only
#include "player.h"

#include <fmt/format.h>

#include "cmdqv/cmdqv.h"
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
    if (op.block == TraceOp::Block::Cmdqv && !soc_.has_cmdqv())
        throw TraceError(fmt::format("{}: this platform has no CMDQV (cmdqv.present = false)", op.loc.str()));
    const bool uses_cmdqv = op.vcmdq || op.kind == TraceOp::Kind::CmdqvEnable || op.kind == TraceOp::Kind::VintfEnable ||
                            op.kind == TraceOp::Kind::VintfMap || op.kind == TraceOp::Kind::VintfSid;
    if (uses_cmdqv) {
        if (!soc_.has_cmdqv())
            throw TraceError(fmt::format("{}: this platform has no CMDQV (cmdqv.present = false)", op.loc.str()));
        Cmdqv& c = soc_.cmdqv();
        if (op.vintf >= c.num_vintfs())
            throw TraceError(fmt::format("{}: VINTF {} does not exist (the CMDQV has {})", op.loc.str(), op.vintf,
                                         c.num_vintfs()));
        const unsigned lidx = op.kind == TraceOp::Kind::VintfMap ? op.index : op.lidx;
        if ((op.vcmdq || op.kind == TraceOp::Kind::VintfMap) && lidx >= c.lvcmdqs_per_vintf())
            throw TraceError(fmt::format("{}: LVCMDQ {} does not exist ({} per VINTF)", op.loc.str(), lidx,
                                         c.lvcmdqs_per_vintf()));
        if (op.kind == TraceOp::Kind::VintfMap && op.global_q >= c.num_vcmdqs())
            throw TraceError(fmt::format("{}: VCMDQ {} does not exist (the CMDQV has {})", op.loc.str(), op.global_q,
                                         c.num_vcmdqs()));
        if (op.kind == TraceOp::Kind::VintfSid && op.index >= c.sids_per_vintf())
            throw TraceError(fmt::format("{}: SID pair {} does not exist ({} per VINTF)", op.loc.str(), op.index,
                                         c.sids_per_vintf()));
    }
    if (op.block == TraceOp::Block::Absolute || op.reg.empty())
        return;
    const RegisterBank& bank = op.block == TraceOp::Block::Smmu ? soc_.smmu().bank() : soc_.cmdqv().bank();
    for (const RegSpec& r : bank.specs())
        if (op.reg == r.name) {
            op.addr = r.offset;
            if (op.size > r.width)
                throw TraceError(fmt::format("{}: {} is a 32-bit register", op.loc.str(), op.reg));
            return;
        }
    throw TraceError(fmt::format("{}: the {} has no register '{}'", op.loc.str(),
                                 op.block == TraceOp::Block::Smmu ? "SMMU" : "CMDQV", op.reg));
}

void TracePlayer::validate()
{
    TraceReader r(path_);
    TraceOp op;
    std::map<std::string, bool> enabled;
    while (r.next(op)) {
        resolve(op);
        note_vcmdqs(op);
        uses_cmd_expect_ |= op.kind == TraceOp::Kind::ExpectCmd;
        if (op.kind == TraceOp::Kind::QueueEnable)
            enabled[op.queue] = true;
        if ((op.kind == TraceOp::Kind::Cmd || op.kind == TraceOp::Kind::Doorbell ||
             op.kind == TraceOp::Kind::WaitConsumed) && !enabled[op.queue])
            throw TraceError(fmt::format("{}: queue {} is used before '{} enable'", op.loc.str(), op.queue, op.queue));
    }
    uses_kernel_ = r.uses_kernel();
}

void TracePlayer::note_vcmdqs(const TraceOp& op)
{
    if (!soc_.has_cmdqv())
        return;
    const Cmdqv& c = soc_.cmdqv();
    if (op.kind == TraceOp::Kind::VintfMap) {
        vcmdqs_used_.insert(op.global_q);
        return;
    }
    if (op.kind != TraceOp::Kind::Write && op.kind != TraceOp::Kind::Read)
        return;
    uint64_t off = op.addr;
    if (op.block == TraceOp::Block::Absolute) {
        if (op.addr < soc_.params().cmdqv_base || op.addr - soc_.params().cmdqv_base >= c.size())
            return;
        off = op.addr - soc_.params().cmdqv_base;
    } else if (op.block != TraceOp::Block::Cmdqv) {
        return;
    }
    uint64_t q = c.num_vcmdqs();
    if (off >= cmdqv::kVcmdqPage0 && off < cmdqv::kVintfPages)
        q = (off % cmdqv::kPageSize) / cmdqv::kVcmdqStride;
    else if (off >= cmdqv::CMDQ_ALLOC0 && off < cmdqv::cmdq_alloc(c.num_vcmdqs()))
        q = (off - cmdqv::CMDQ_ALLOC0) / 4;
    if (q < c.num_vcmdqs())
        vcmdqs_used_.insert(static_cast<unsigned>(q));
}

void TracePlayer::start()
{
    sc_core::sc_spawn_options opts;
    opts.set_stack_size(static_cast<int>(stack_bytes_));
    if (uses_cmd_expect_)
        cmdlog_.attach(soc_.smmu().engine());
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
    switch (op.block) {
    case TraceOp::Block::Smmu: return soc_.params().smmu_base + op.addr;
    case TraceOp::Block::Cmdqv: return soc_.params().cmdqv_base + op.addr;
    default: return op.addr;
    }
}

uint64_t TracePlayer::queue_page0(const TraceOp& op) const
{
    return soc_.params().cmdqv_base + cmdqv::kVintfPages + uint64_t(cmdqv::kVintfPagesSize) * op.vintf +
           cmdqv::kVcmdqStride * op.lidx;
}

uint64_t TracePlayer::prod_reg(const TraceOp& op) const
{
    return op.vcmdq ? queue_page0(op) + cmdqv::VCMDQ_PROD : soc_.params().smmu_base + CMDQ_PROD;
}

uint64_t TracePlayer::cons_reg(const TraceOp& op) const
{
    return op.vcmdq ? queue_page0(op) + cmdqv::VCMDQ_CONS : soc_.params().smmu_base + CMDQ_CONS;
}

CommandQueueConsumer* TracePlayer::consumer(const TraceOp& op)
{
    if (!op.vcmdq)
        return &soc_.smmu().cmdq();
    const int q = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    return q < 0 ? nullptr : &soc_.cmdqv().vcmdq(static_cast<unsigned>(q));
}

bool TracePlayer::queue_halted(const TraceOp& op)
{
    if (!op.vcmdq)
        return soc_.smmu().gerror_active(gerror::CMDQ_ERR);
    const int q = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    return q >= 0 && soc_.cmdqv().vcmdq(static_cast<unsigned>(q)).error_active(cmdqv::vcmdq_gerror::CMDQ_ERR);
}

void TracePlayer::poll(const TraceOp& op, uint64_t addr, uint64_t mask, uint64_t want)
{
    // As a driver does: read until the bits follow, for at most 10^6 reads.
    uint64_t v = 0;
    for (int i = 0; i < 1000000; i++) {
        soc_.mmio_read(addr, 4, v);
        if ((v & mask) == want)
            return;
    }
    fail(op, fmt::format("register {:#x} never reached {:#x} (reads {:#x})", addr, want, v & mask));
}

void TracePlayer::run()
{
    TraceReader r(path_);
    TraceOp op;
    // Errors were found by validate(); any here would be a file changed
    // under our feet, which TraceError reports the same way.
    while (r.next(op)) {
        resolve(op);
        cmdlog_.before(op);
        const ClockDomain& clk = soc_.smmu_clock();
        if (op.when == TraceOp::When::After)
            sc_core::wait(clk.cycles(op.when_cycles));
        else if (op.when == TraceOp::When::At && clk.now() < op.when_cycles)
            sc_core::wait(clk.cycles(op.when_cycles - clk.now()));
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        execute(op);
        if (op.kind == TraceOp::Kind::ExpectCmd)
            continue;  // a check of what ran before: no time, not counted as an operation
        if (op_observer_)
            op_observer_(op, op_name(op), t0, sc_core::sc_time_stamp());
        if ((++ops_ & 4095) == 0 && progress_)
            progress_(ops_);
    }
    if (kernel_)
        kernel_->finish();
    if (lost_failures_)
        failures_.push_back(fmt::format("... and {} more failures", lost_failures_));
    finished_ = true;
    sc_core::sc_stop();
}

std::string TracePlayer::op_name(const TraceOp& op)
{
    using K = TraceOp::Kind;
    switch (op.kind) {
    case K::None: return "none";
    case K::Write: return op.size == 8 ? "write64" : "write32";
    case K::Read: return op.size == 8 ? "read64" : "read32";
    case K::MemWrite: return "mem write";
    case K::MemRead: return "mem read";
    case K::QueueEnable: return op.queue + " enable";
    case K::Cmd: return std::string("cmd ") + smmuv3::opcode_name(op.opcode);
    case K::Doorbell: return "doorbell " + op.queue;
    case K::Wait: return "wait";
    case K::WaitConsumed: return "wait consumed " + op.queue;
    case K::CmdqvEnable: return "cmdqv enable";
    case K::VintfEnable: return "vintf enable";
    case K::VintfMap: return "vintf map";
    case K::VintfSid: return "vintf sid";
    case K::ExpectCmd: return "expect executed";
    case K::Kernel: break;
    }
    using V = KernelOp::Verb;
    const KernelOp& k = op.kop;
    switch (k.verb) {
    case V::Boot: return "kernel boot";
    case V::Param: return "kernel param " + k.param;
    case V::Endpoint: return "endpoint " + k.name;
    case V::Domain: return "domain " + k.name;
    case V::Map: return "map " + k.name;
    case V::Unmap: return "unmap " + k.name;
    case V::Vm: return "vm " + k.name;
    case V::VmDestroy: return "vm " + k.name + " destroy";
    case V::HwQueue: return fmt::format("hwqueue {} {}", k.name, k.index);
    case V::HwQueueDestroy: return fmt::format("hwqueue {} {} destroy", k.name, k.index);
    case V::Veventq: return "veventq " + k.name;
    case V::VeventqRead: return "veventq " + k.name + " read";
    case V::GuestCmd: return fmt::format("guest {} cmd {}", k.name, smmuv3::opcode_name(static_cast<uint8_t>(k.dw0 & 0xff)));
    case V::GuestEnable: return fmt::format("guest {} enable {}", k.name, k.index);
    case V::GuestDoorbell: return fmt::format("guest {} doorbell {}", k.name, k.index);
    case V::GuestSkip: return fmt::format("guest {} skip {}", k.name, k.index);
    case V::GuestWait: return fmt::format("guest {} wait {}", k.name, k.index);
    }
    return "?";
}

void TracePlayer::execute(const TraceOp& op)
{
    const ClockDomain& clk = soc_.smmu_clock();
    switch (op.kind) {
    case TraceOp::Kind::None: break;
    case TraceOp::Kind::Wait: sc_core::wait(clk.cycles(op.cycles)); break;
    case TraceOp::Kind::ExpectCmd:
        if (std::string e = cmdlog_.check(op.cexp); !e.empty())
            fail(op, e);
        break;
    case TraceOp::Kind::Kernel:
        if (!kernel_) {
            fail(op, "kernel-level operation without a kernel (this build has no kernel shim)");
            break;
        }
        if (std::string e = kernel_->execute(op.kop); !e.empty())
            fail(op, e);
        break;
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
    case TraceOp::Kind::QueueEnable: {
        // What a driver does: base, PROD = CONS = 0, the enable, wait for the ACK.
        QueueState& q = queues_[op.queue];
        if (!next_queue_base_)
            next_queue_base_ = soc_.config().u64("mem.dram_base") + kQueueArena;
        q.base = op.has_base ? op.base : next_queue_base_;
        if (!op.has_base)
            next_queue_base_ += std::max<uint64_t>(kCmdBytes << op.log2size, 0x1000);
        q.log2size = op.log2size;
        q.prod = 0;
        if (!op.vcmdq) {
            const uint64_t smmu = soc_.params().smmu_base;
            soc_.mmio_write(smmu + CMDQ_BASE, 8, q.base | op.log2size);
            soc_.mmio_write(smmu + CMDQ_PROD, 4, 0);
            soc_.mmio_write(smmu + CMDQ_CONS, 4, 0);
            uint64_t cr0 = 0;
            soc_.mmio_read(smmu + CR0, 4, cr0);
            soc_.mmio_write(smmu + CR0, 4, cr0 | cr0::CMDQEN.mask());
            poll(op, smmu + CR0ACK, cr0::CMDQEN.mask(), cr0::CMDQEN.mask());
        } else {
            const uint64_t p0 = queue_page0(op);
            soc_.mmio_write(p0 + cmdqv::VCMDQ_PROD, 4, 0);
            soc_.mmio_write(p0 + cmdqv::VCMDQ_CONS, 4, 0);
            soc_.mmio_write(p0 + cmdqv::kPageSize + cmdqv::VCMDQ_BASE, 8, q.base | op.log2size);
            soc_.mmio_write(p0 + cmdqv::VCMDQ_CONFIG, 4, 1);
            poll(op, p0 + cmdqv::VCMDQ_STATUS, 1, 1);
        }
        break;
    }
    case TraceOp::Kind::Cmd: {
        // Software writes the entry into queue memory (cacheable, zero time),
        // waiting for room when the queue is full.
        QueueState& q = queues_[op.queue];
        const QueueGeometry g{q.log2size};
        uint64_t cons = 0;
        soc_.mmio_read(cons_reg(op), 4, cons);
        while (g.full(q.prod, static_cast<uint32_t>(cons) & g.ptr_mask())) {
            CommandQueueConsumer* c = consumer(op);
            if (c)
                sc_core::wait(clk.cycles(1000), c->progress());
            else
                sc_core::wait(clk.cycles(1000));
            soc_.mmio_read(cons_reg(op), 4, cons);
        }
        const uint64_t e[2] = {op.dw0, op.dw1};
        if (!soc_.memory().write(q.base + uint64_t(g.idx(q.prod)) * kCmdBytes, e, sizeof(e)))
            fail(op, fmt::format("queue base {:#x} is not populated memory", q.base));
        q.prod = g.inc(q.prod);
        break;
    }
    case TraceOp::Kind::Doorbell:
        soc_.mmio_write(prod_reg(op), 4, queues_[op.queue].prod);
        break;
    case TraceOp::Kind::WaitConsumed: {
        QueueState& q = queues_[op.queue];
        const QueueGeometry g{q.log2size};
        const uint64_t start = clk.now();
        for (;;) {
            uint64_t cons = 0;
            soc_.mmio_read(cons_reg(op), 4, cons);
            if ((cons & g.ptr_mask()) == q.prod)
                break;
            if (queue_halted(op)) {
                fail(op, fmt::format("queue {} stopped with CONS.ERR = {} at index {}", op.queue,
                                     q::CONS_ERR.get(cons), g.idx(static_cast<uint32_t>(cons))));
                break;
            }
            const uint64_t waited = clk.now() - start;
            if (waited >= op.timeout) {
                fail(op, fmt::format("queue {} not consumed after {} cycles (CONS {:#x}, PROD {:#x})", op.queue,
                                     op.timeout, cons, q.prod));
                break;
            }
            CommandQueueConsumer* c = consumer(op);
            if (c)
                sc_core::wait(clk.cycles(op.timeout - waited), c->progress());
            else
                sc_core::wait(clk.cycles(op.timeout - waited));
        }
        break;
    }
    case TraceOp::Kind::CmdqvEnable: {
        const uint64_t c = soc_.params().cmdqv_base;
        soc_.mmio_write(c + cmdqv::CONFIG, 4, 1);
        poll(op, c + cmdqv::STATUS, 1, 1);
        break;
    }
    case TraceOp::Kind::VintfEnable: {
        const uint64_t r = soc_.params().cmdqv_base + cmdqv::vintf(op.vintf);
        const uint64_t cfg = cmdqv::vintf_config::HYP_OWN.put(op.hyp_own) | cmdqv::vintf_config::VMID.put(op.vmid);
        soc_.mmio_write(r + cmdqv::VINTF_CONFIG, 4, cfg);
        soc_.mmio_write(r + cmdqv::VINTF_CONFIG, 4, cfg | 1);
        poll(op, r + cmdqv::VINTF_STATUS, 1, 1);
        break;
    }
    case TraceOp::Kind::VintfMap: {
        const uint64_t r = soc_.params().cmdqv_base + cmdqv::cmdq_alloc(op.global_q);
        soc_.mmio_write(r, 4,
                        cmdqv::alloc::VINTF.put(op.vintf) | cmdqv::alloc::LVCMDQ.put(op.index) |
                            cmdqv::alloc::ALLOCATED.mask());
        uint64_t v = 0;
        soc_.mmio_read(r, 4, v);
        if (!(v & 1))
            fail(op, fmt::format("the CMDQV refused to map VCMDQ {} as VINTF {} LVCMDQ {}", op.global_q, op.vintf,
                                 op.index));
        break;
    }
    case TraceOp::Kind::VintfSid: {
        const uint64_t r = soc_.params().cmdqv_base + cmdqv::vintf(op.vintf);
        soc_.mmio_write(r + cmdqv::vintf_sid_replace(op.index), 4, op.psid);
        soc_.mmio_write(r + cmdqv::vintf_sid_match(op.index), 4,
                        cmdqv::sid_match::VIRT_SID.put(op.vsid) | cmdqv::sid_match::ENABLE.mask());
        break;
    }
    }
}

}  // namespace smmusim
