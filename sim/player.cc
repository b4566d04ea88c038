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

TracePlayer::TracePlayer(Soc& soc, TraceInput input)
    : soc_(soc), path_(input.path()), input_(std::make_unique<TraceInput>(std::move(input)))
{
}

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
    if (op.kind == TraceOp::Kind::QueueEnable)
        check_queue_size(op);
    if (op.block == TraceOp::Block::Absolute)
        return;
    if (op.reg.empty()) {
        // BLOCK+OFFSET stays inside that block (it would reach another one).
        const bool smmu = op.block == TraceOp::Block::Smmu;
        const uint64_t size = smmu ? smmuv3::kRegSpaceSize : soc_.cmdqv().size();
        if (op.addr >= size || size - op.addr < op.size)
            throw TraceError(fmt::format("{}:{}:{}: {}+{:#x} is outside the {}'s {:#x} bytes of registers",
                                         *op.loc.file, op.loc.line, op.place_col, smmu ? "smmu" : "cmdqv", op.addr,
                                         smmu ? "SMMU" : "CMDQV", size));
        return;
    }
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

void TracePlayer::check_queue_size(const TraceOp& op) const
{
    // The hardware caps LOG2SIZE at IDR1.CMDQS (IHI 0070 6.3.26
    // SMMU_CMDQ_BASE), and the CMDQV refuses a VCMDQ above its SMMU's limit
    // with CMDQ_INIT_ERR: the trace's driver would write entries the
    // hardware never reads.
    const unsigned limit = static_cast<unsigned>(soc_.smmu().params().cmdqs);
    if (op.log2size <= limit)
        return;
    const std::string what = op.vcmdq ? fmt::format("the CMDQV's VCMDQs take at most log2size={} (its SMMU's "
                                                    "IDR1.CMDQS, smmu.idr.cmdqs; above it CMDQ_INIT_ERR)",
                                                    limit)
                                      : fmt::format("the SMMU's command queue takes at most log2size={} "
                                                    "(IDR1.CMDQS, smmu.idr.cmdqs)",
                                                    limit);
    throw TraceError(fmt::format("{}:{}:{}: log2size={} is too large: {}", *op.loc.file, op.loc.line,
                                 op.log2size_col, op.log2size, what));
}

void TracePlayer::check_times(const TraceOp& op) const
{
    // n cycles must be a time SystemC can count (64-bit picoseconds), or the
    // conversion would wrap to a short or zero wait.
    const ClockDomain& clk = soc_.smmu_clock();
    auto check = [&](uint64_t n, unsigned col) {
        if (n > clk.max_cycles())
            throw TraceError(fmt::format("{}:{}:{}: {} cycles of {} ps pass the end of simulated time "
                                         "(2^64 - 1 ps: at most {} cycles)",
                                         *op.loc.file, op.loc.line, col, n, clk.period_ps(), clk.max_cycles()));
    };
    if (op.when != TraceOp::When::Asap)
        check(op.when_cycles, op.when_col);
    if (op.kind == TraceOp::Kind::Wait)
        check(op.cycles, op.cycles_col);
    if (op.kind == TraceOp::Kind::WaitConsumed)
        check(op.timeout, op.cycles_col);
}

void TracePlayer::validate()
{
    if (!input_)
        input_ = std::make_unique<TraceInput>(path_);
    TraceReader r(*input_);
    TraceOp op;
    std::map<std::string, bool> enabled;
    uint64_t count = 0;
    while (r.next(op)) {
        count++;
        resolve(op);
        check_times(op);
        note_vcmdqs(op);
        uses_cmd_expect_ |= op.kind == TraceOp::Kind::ExpectCmd;
        if (op.kind == TraceOp::Kind::QueueEnable)
            enabled[op.queue] = true;
        if ((op.kind == TraceOp::Kind::Cmd || op.kind == TraceOp::Kind::Doorbell ||
             op.kind == TraceOp::Kind::WaitConsumed) && !enabled[op.queue])
            throw TraceError(fmt::format("{}: queue {} is used before '{} enable'", op.loc.str(), op.queue, op.queue));
    }
    checked_ops_ = count;
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

std::string TracePlayer::stuck(const TraceOp& op, uint32_t cons)
{
    // What the hardware shows (in zero time: a driver would have read these
    // registers, or remembers what it wrote to them).
    const QueueGeometry g{queues_[op.queue].log2size};
    if (queue_halted(op))
        return fmt::format("stopped with CONS.ERR = {} at index {}", q::CONS_ERR.get(cons), g.idx(cons));
    uint64_t hw_prod = 0;
    bool enabled = false;
    if (!op.vcmdq) {
        hw_prod = soc_.smmu().bank().get(CMDQ_PROD);
        enabled = soc_.smmu().cmdq_enabled();
    } else {
        const int q = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
        if (q < 0)
            return fmt::format("is not mapped (no VCMDQ is VINTF {}'s LVCMDQ {})", op.vintf, op.lidx);
        const Vcmdq& v = soc_.cmdqv().vcmdq(static_cast<unsigned>(q));
        hw_prod = v.reg(0, cmdqv::VCMDQ_PROD);
        enabled = v.hw_enabled();
    }
    if (!enabled)
        return "is not enabled";
    if ((hw_prod & g.ptr_mask()) == (cons & g.ptr_mask()))
        return fmt::format("has nothing left to consume: PROD was written up to {:#x}, the entries up to {:#x} "
                           "were never rung ('doorbell {}')",
                           hw_prod & g.ptr_mask(), queues_[op.queue].prod, op.queue);
    return "";
}

void TracePlayer::poll(const TraceOp& op, uint64_t addr, uint64_t mask, uint64_t want,
                       const std::function<std::string()>& explain)
{
    // As a driver does: read until the bits follow, for at most 10^6 reads.
    uint64_t v = 0;
    for (int i = 0; i < 1000000; i++) {
        soc_.mmio_read(addr, 4, v);
        if ((v & mask) == want)
            return;
    }
    const std::string why = explain ? explain() : std::string();
    fail(op, fmt::format("register {:#x} never reached {:#x} (reads {:#x}){}{}", addr, want, v & mask,
                         why.empty() ? "" : ": ", why));
}

std::string TracePlayer::vcmdq_error_state(const TraceOp& op)
{
    const int q = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    if (q < 0)
        return fmt::format("no VCMDQ is VINTF {}'s LVCMDQ {}", op.vintf, op.lidx);
    const Vcmdq& v = soc_.cmdqv().vcmdq(static_cast<unsigned>(q));
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
    if (CommandQueueConsumer* c = consumer(op))
        sc_core::wait(t, c->progress());
    else
        sc_core::wait(t);
    return true;
}

void TracePlayer::play()
{
    // The run's own pass over the trace (a regular file is read again).
    // validate() found every error of the trace as it was then; one found
    // now means the file changed meanwhile, and TraceError stops the run.
    TraceReader r(*input_);
    TraceOp op;
    while (!stop_ && r.next(op)) {
        cur_line_ = op.loc.line;
        cur_col_ = op.loc.col;
        resolve(op);
        check_times(op);
        cmdlog_.before(op);
        const ClockDomain& clk = soc_.smmu_clock();
        if (op.when == TraceOp::When::After && !wait_cycles(op, op.when_cycles))
            break;
        if (op.when == TraceOp::When::At && clk.now() < op.when_cycles && !wait_cycles(op, op.when_cycles - clk.now()))
            break;
        const sc_core::sc_time t0 = sc_core::sc_time_stamp();
        try {
            execute(op);
        } catch (const TraceError&) {
            throw;
        } catch (const std::exception& e) {
            throw TraceError(fmt::format("{}: {} stopped the run: {}", op.loc.str(), op_name(op), e.what()));
        }
        if (op.kind == TraceOp::Kind::ExpectCmd)
            continue;  // a check of what ran before: no time, not counted as an operation
        if (op_observer_)
            op_observer_(op, op_name(op), t0, sc_core::sc_time_stamp());
        if ((++ops_ & 4095) == 0 && progress_)
            progress_(ops_);
    }
    if (kernel_)
        kernel_->finish();
}

std::string TracePlayer::where() const
{
    return cur_line_ ? fmt::format("{}:{}:{}", path_, cur_line_, cur_col_) : "";
}

void TracePlayer::run()
{
    // Whatever goes wrong now ends the run with a message and statistics
    // marked incomplete, never an exception out of the simulation.
    try {
        if (!input_)
            throw TraceError(fmt::format("{}: the trace was not checked (validate() first)", path_));
        play();
    } catch (const TraceError& e) {
        error_ = e.what();
    } catch (const std::exception& e) {
        error_ = fmt::format("{}: {}", path_, e.what());
    }
    if (lost_failures_)
        failures_.push_back(fmt::format("... and {} more failures", lost_failures_));
    finished_ = error_.empty() && !stop_;
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
    case TraceOp::Kind::Wait: wait_cycles(op, op.cycles); break;
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
    case TraceOp::Kind::QueueEnable: enable_queue(op); break;
    case TraceOp::Kind::Cmd: {
        // Software writes the entry into queue memory (cacheable, zero time),
        // waiting for room when the queue is full.
        QueueState& q = queues_[op.queue];
        const QueueGeometry g{q.log2size};
        if (!wait_for_room(op, q))
            break;
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
            if (std::string why = stuck(op, static_cast<uint32_t>(cons)); !why.empty()) {
                fail(op, fmt::format("queue {} {}", op.queue, why));
                break;
            }
            const uint64_t waited = clk.now() - start;
            if (waited >= op.timeout) {
                fail(op, fmt::format("queue {} not consumed after {} cycles (CONS {:#x}, PROD {:#x})", op.queue,
                                     op.timeout, cons, q.prod));
                break;
            }
            if (!wait_progress(op, op.timeout - waited))
                break;
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

bool TracePlayer::wait_for_room(const TraceOp& op, const QueueState& q)
{
    // Bounded: a queue that stopped, is disabled or holds nothing the
    // hardware was told of never drains, and fails at once; anything else
    // fails after the default timeout.
    const ClockDomain& clk = soc_.smmu_clock();
    const QueueGeometry g{q.log2size};
    const uint64_t start = clk.now();
    uint64_t cons = 0;
    soc_.mmio_read(cons_reg(op), 4, cons);
    while (g.full(q.prod, static_cast<uint32_t>(cons) & g.ptr_mask())) {
        if (std::string why = stuck(op, static_cast<uint32_t>(cons)); !why.empty()) {
            fail(op, fmt::format("queue {} is full and {}; the command is not written", op.queue, why));
            return false;
        }
        const uint64_t waited = clk.now() - start;
        if (waited >= TraceOp::kDefaultTimeout) {
            fail(op, fmt::format("queue {} still full after {} cycles (CONS {:#x}, PROD {:#x}); the command is not "
                                 "written",
                                 op.queue, waited, cons, q.prod));
            return false;
        }
        if (!wait_progress(op, std::min<uint64_t>(1000, TraceOp::kDefaultTimeout - waited)))
            return false;
        soc_.mmio_read(cons_reg(op), 4, cons);
    }
    return true;
}

void TracePlayer::enable_queue(const TraceOp& op)
{
    // What a driver does: base, PROD = CONS = 0, the enable, wait for the
    // ACK. A queue that is enabled already is first disabled, as a driver
    // does before it reprograms one: while CMDQEN is set, writes to
    // SMMU_CMDQ_BASE/CONS are ignored (IHI 0070, SMMU_CMDQ_BASE; the model's
    // Decisions), and a PROD of 0 would look like a wrap to the hardware.
    QueueState& q = queues_[op.queue];
    if (!next_queue_base_)
        next_queue_base_ = soc_.config().u64("mem.dram_base") + kQueueArena;
    q.base = op.base;  // given, or placed below
    if (!op.has_base) {
        // Each default queue aligned to its size, as the SMMU aligns the
        // base it uses (IHI 0070 6.3.26): a smaller queue placed before a
        // larger one must not leave the larger one misaligned.
        const uint64_t bytes = std::max<uint64_t>(kCmdBytes << op.log2size, 0x1000);
        q.base = (next_queue_base_ + bytes - 1) / bytes * bytes;
        next_queue_base_ = q.base + bytes;
    }
    q.log2size = op.log2size;
    q.prod = 0;
    if (!op.vcmdq) {
        const uint64_t smmu = soc_.params().smmu_base;
        if (cr0::CMDQEN.get(soc_.smmu().bank().get(CR0))) {
            soc_.mmio_write(smmu + CR0, 4, soc_.smmu().bank().get(CR0) & ~cr0::CMDQEN.mask());
            poll(op, smmu + CR0ACK, cr0::CMDQEN.mask(), 0);
        }
        soc_.mmio_write(smmu + CMDQ_BASE, 8, q.base | op.log2size);
        soc_.mmio_write(smmu + CMDQ_PROD, 4, 0);
        soc_.mmio_write(smmu + CMDQ_CONS, 4, 0);
        uint64_t cr0 = 0;
        soc_.mmio_read(smmu + CR0, 4, cr0);
        soc_.mmio_write(smmu + CR0, 4, cr0 | cr0::CMDQEN.mask());
        poll(op, smmu + CR0ACK, cr0::CMDQEN.mask(), cr0::CMDQEN.mask());
        return;
    }
    const uint64_t p0 = queue_page0(op);
    const int mapped = soc_.cmdqv().lvcmdq(op.vintf, op.lidx);
    if (mapped >= 0 && (soc_.cmdqv().vcmdq(static_cast<unsigned>(mapped)).reg(0, cmdqv::VCMDQ_CONFIG) & 1)) {
        soc_.mmio_write(p0 + cmdqv::VCMDQ_CONFIG, 4, 0);
        poll(op, p0 + cmdqv::VCMDQ_STATUS, 1, 0);
    }
    soc_.mmio_write(p0 + cmdqv::VCMDQ_PROD, 4, 0);
    soc_.mmio_write(p0 + cmdqv::VCMDQ_CONS, 4, 0);
    soc_.mmio_write(p0 + cmdqv::kPageSize + cmdqv::VCMDQ_BASE, 8, q.base | op.log2size);
    soc_.mmio_write(p0 + cmdqv::VCMDQ_CONFIG, 4, 1);
    poll(op, p0 + cmdqv::VCMDQ_STATUS, 1, 1, [&] { return vcmdq_error_state(op); });
}

}  // namespace smmusim
