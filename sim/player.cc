// SPDX-License-Identifier: GPL-2.0-only
// Reading, checking and running a trace: the two passes over it (validate,
// then play), what an operation is called, and the run's outcome.
#include "player.h"

#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cmdqv/cmdqv.h"
#include "platform/stats.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/queue.h"

namespace smmusim {

using namespace smmuv3;

namespace {
constexpr size_t kMaxFailures = 100;  // keep the first ones; count the rest
}  // namespace

TracePlayer::TracePlayer(Soc& soc, std::string path)
    : soc_(soc), pp_(PlayerParams::load(soc.config())), path_(std::move(path))
{
}

TracePlayer::TracePlayer(Soc& soc, TraceInput input)
    : soc_(soc), pp_(PlayerParams::load(soc.config())), path_(input.path()),
      input_(std::make_unique<TraceInput>(std::move(input)))
{
}

namespace {

// Why a line that needs the CMDQV cannot have it, naming where the
// configuration said so (--set, or the TOML file's line and column):
// the line names the word that needs it, this the setting at fault.
std::string no_cmdqv(const Config& cfg)
{
    const nlohmann::json all = cfg.resolved();
    const auto it = all.find("cmdqv.present");
    const std::string origin = it != all.end() ? it->value("origin", std::string()) : std::string();
    return fmt::format("this platform has no CMDQV (cmdqv.present = false{})", origin.empty() ? "" : ", from " + origin);
}

}  // namespace

void TracePlayer::resolve(TraceOp& op, const WordAtFault& w) const
{
    const auto kNoCmdqv = [&] { return no_cmdqv(soc_.config()); };
    if (op.block == TraceOp::Block::Cmdqv && !soc_.has_cmdqv())
        throw TraceError(fmt::format("{}: {}", w.at(op.place_col), kNoCmdqv()));
    using K = TraceOp::Kind;
    const bool vintf_line = op.kind == K::VintfEnable || op.kind == K::VintfMap || op.kind == K::VintfSid;
    if (op.vcmdq || vintf_line || op.kind == K::CmdqvEnable) {
        // At the queue's name (vintfN.lvcmdqL), or at the word after `vintf`,
        // `map`, `sid`, `vcmdq=`.
        if (!soc_.has_cmdqv())
            throw TraceError(fmt::format("{}: {}", w.at(op.vcmdq ? w.queue() : op.loc.col), kNoCmdqv()));
        Cmdqv& c = soc_.cmdqv();
        if (op.vintf >= c.num_vintfs())
            throw TraceError(fmt::format("{}: VINTF {} does not exist (the CMDQV has {})",
                                         w.at(op.vcmdq ? w.queue_vintf() : w.after("vintf")), op.vintf,
                                         c.num_vintfs()));
        const unsigned lidx = op.kind == K::VintfMap ? op.index : op.lidx;
        if ((op.vcmdq || op.kind == K::VintfMap) && lidx >= c.lvcmdqs_per_vintf())
            throw TraceError(fmt::format("{}: LVCMDQ {} does not exist ({} per VINTF)",
                                         w.at(op.vcmdq ? w.queue_lvcmdq() : w.after("map")), lidx,
                                         c.lvcmdqs_per_vintf()));
        if (op.kind == K::VintfMap && op.global_q >= c.num_vcmdqs())
            throw TraceError(fmt::format("{}: VCMDQ {} does not exist (the CMDQV has {})", w.at(w.value("vcmdq")),
                                         op.global_q, c.num_vcmdqs()));
        if (op.kind == K::VintfSid && op.index >= c.sids_per_vintf())
            throw TraceError(fmt::format("{}: SID pair {} does not exist ({} per VINTF)", w.at(w.after("sid")),
                                         op.index, c.sids_per_vintf()));
    }
    if (const auto q = op.kind == K::ExpectCmd ? expected_vcmdq(op.cexp) : std::nullopt) {
        // The parser named it cmdqv.vcmdqN with N below the architecture's
        // most (cmd_expect.cc); this platform's CMDQV may have fewer. At
        // queue='s value, and at N (as the parser's own error on N).
        if (!soc_.has_cmdqv())
            throw TraceError(fmt::format("{}: queue={}: {}", w.at(w.value("queue")), op.cexp.queue_text,
                                         kNoCmdqv()));
        if (*q >= soc_.cmdqv().num_vcmdqs())
            throw TraceError(fmt::format("{}: queue={}: VCMDQ {} does not exist (the CMDQV has {})",
                                         w.at(w.value("queue", kVcmdqQueuePrefix.size())), op.cexp.queue_text, *q,
                                         soc_.cmdqv().num_vcmdqs()));
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
                throw TraceError(fmt::format("{}:{}:{}: {} is a 32-bit register", *op.loc.file, op.loc.line,
                                             op.place_col, op.reg));
            return;
        }
    // At the place's column, as BLOCK+OFFSET's errors are.
    throw TraceError(fmt::format("{}:{}:{}: the {} has no register '{}'", *op.loc.file, op.loc.line, op.place_col,
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

void TracePlayer::check_stats_name(const TraceOp& op, const WordAtFault& w) const
{
    // An ATS endpoint's statistics are the groups soc.NAME and soc.NAME.atc
    // (kernel_shim/vmm/kernel_trace_ops.cc): a name the platform's groups
    // already have (smmu, dma, dram, cmdqv, ...) would stop the run when
    // the endpoint is made.
    if (op.kop.verb != KernelOp::Verb::Endpoint || !op.kop.ats)  // a kernel-level op (validate())
        return;
    const std::string g = "soc." + op.kop.name;
    const StatRegistry& r = StatRegistry::global();
    if (r.find(g) || r.find(g + ".atc"))
        throw TraceError(fmt::format("{}: an ATS endpoint cannot be called '{}': its statistics would be {}, a group "
                                     "the platform has",
                                     w.at(w.after("endpoint")), op.kop.name, g));
}

void TracePlayer::check_mem_access(const TraceOp& op) const
{
    // The memory map is whole before the run (DRAM, sim/soc.cc): a `mem`
    // line outside it could only fail when played. (validate() calls it
    // for `mem` lines only.)
    std::string dram;
    for (const Memory::Region& r : soc_.memory().regions()) {
        if (op.addr >= r.base && op.addr - r.base < r.size && op.size <= r.size - (op.addr - r.base))
            return;
        dram += fmt::format("{}[{:#x}, {:#x})", dram.empty() ? "" : ", ", r.base, r.base + r.size);
    }
    throw TraceError(fmt::format("{}:{}:{}: {:#x} (+{} bytes) is not populated memory (DRAM is {}: mem.dram_base, "
                                 "mem.dram_size)",
                                 *op.loc.file, op.loc.line, op.place_col, op.addr, op.size, dram));
}

void TracePlayer::check_endpoint_sids(const TraceOp& op, const WordAtFault& w) const
{
    // A linear stream table has 2^IDR1.SIDSIZE entries (IHI 0070 6.3.24
    // SMMU_STRTAB_BASE_CFG), and the driver refuses a stream ID past it
    // (arm_smmu_sid_in_range(): the probe's ERANGE): certain before the
    // run. With a 2-level table the driver's reach depends on its L1 cap, so
    // the refusal is left to the run (kernel_shim/vmm/kernel_trace_ops.cc).
    if (op.kop.verb != KernelOp::Verb::Endpoint)  // a kernel-level op (validate())
        return;
    const Smmuv3Params& p = soc_.smmu().params();
    if (p.st_2lvl)
        return;
    const uint64_t reach = 1ull << p.sidsize;
    for (size_t i = 0; i < op.kop.sids.size(); i++)
        if (const uint32_t sid = op.kop.sids[i]; sid >= reach)
            throw TraceError(fmt::format(
                "{}: endpoint {}: {} {:#x} is beyond the linear stream table, which reaches stream IDs below "
                "{:#x} (IDR1.SIDSIZE = {} bits: smmu.idr.sidsize; smmu.idr.st_2lvl = false): the driver would "
                "refuse it (arm_smmu_sid_in_range(), ERANGE)",
                w.at(op.kop.pci ? w.value("rid") : w.item("sid", i)), op.kop.name,
                op.kop.pci ? "requester ID" : "stream ID", sid, reach, p.sidsize));
}

void TracePlayer::check_map_range(const TraceOp& op, const WordAtFault& w) const
{
    using V = KernelOp::Verb;
    if (op.kop.verb != V::Map && op.kop.verb != V::Unmap)  // a kernel-level op (validate())
        return;
    // No domain can map past 2^52 (KernelOpParser::kMaxInputAddress):
    // certain before the run.
    constexpr uint64_t kMaxInput = KernelOpParser::kMaxInputAddress;
    // At iova= if it is past 2^52 itself, else at size=.
    if (op.kop.verb == V::Map && (op.kop.iova >= kMaxInput || op.kop.size > kMaxInput - op.kop.iova))
        throw TraceError(fmt::format("{}: map {}: iova {:#x} + size {:#x} passes 2^52 ({:#x}), the largest input "
                                     "address any SMMU stage translates (IDR5.VAX: 52 bits): no domain can map it",
                                     w.at(w.value(op.kop.iova >= kMaxInput ? "iova" : "size")), op.kop.name,
                                     op.kop.iova, op.kop.size, kMaxInput));
    // io-pgtable-arm's __arm_lpae_map() and __arm_lpae_unmap() take the page
    // count iommu_pgsize() gives them into an int (min_t(int, pgcount,
    // max_entries)): a count of 2^31 or more is truncated, and 2^32 pages
    // (2^44 bytes of 4 KiB pages) map nothing per step, so __iommu_map()
    // loops for ever. Counted in 4 KiB pages, the smallest the driver's
    // domains have, this is the most pages any step can be given.
    constexpr uint64_t kMinPage = 4096;
    constexpr uint64_t kMaxPages = 0x7fffffff;  // INT_MAX
    if (op.kop.size / kMinPage > kMaxPages)
        throw TraceError(fmt::format("{}: {} {}: size {:#x} is {} pages of 4 KiB, more than the kernel counts in an "
                                     "int (INT_MAX, {}: io-pgtable-arm's min_t(int, pgcount, ...)); at most {:#x} "
                                     "bytes a line",
                                     w.at(w.value("size")), op.kop.verb == V::Map ? "map" : "unmap", op.kop.name,
                                     op.kop.size, op.kop.size / kMinPage, kMaxPages, kMaxPages * kMinPage));
    // A device given the kernel's own memory could overwrite its page
    // tables, queues and stream tables, and kernel code would then follow
    // what the device wrote (a host fault: the run would end in an oops).
    // Linux hands a device only buffers it allocated for it; the trace's
    // `pa=` is taken as such a buffer, so it must lie outside. (After the
    // checks above: a size refused there is the line's first error.)
    if (op.kop.verb == V::Map)
        for (const auto& [base, size] : kernel_memory_)
            if (op.kop.pa < base + size && (base <= op.kop.pa || base - op.kop.pa < op.kop.size))
                throw TraceError(fmt::format(
                    "{}: map {}: pa [{:#x}, {:#x}) overlaps the kernel's own memory [{:#x}, {:#x}) (the kernel "
                    "shim's DMA pool: its page tables, queues and stream tables), which a device must not be "
                    "given",
                    w.at(w.value("pa")), op.kop.name, op.kop.pa, op.kop.pa + op.kop.size, base, base + size));
}

void TracePlayer::validate()
{
    if (!input_)
        input_ = std::make_unique<TraceInput>(path_);
    TraceReader r(*input_);
    TraceOp op;
    QueueTable<bool> enabled;  // each queue's, once its 'enable' is read
    uint64_t count = 0;
    std::optional<TraceLoc> param_line;  // the first `kernel param`, for a trace with no `kernel boot`
    if (keep_ops_)
        spool_ = std::make_unique<TraceSpool>();
    while (r.next(op)) {
        count++;
        const WordAtFault w(op, r.words());
        resolve(op, w);
        check_times(op);
        // The checks of one kind of operation, each called for its kind only
        // (the commonest, `cmd`, has none of them): the kind is tested here,
        // not again inside them.
        using K = TraceOp::Kind;
        if (op.kind == K::Kernel) {
            if (op.kop.verb == KernelOp::Verb::Param && !param_line)
                param_line = op.loc;
            check_stats_name(op, w);
            check_endpoint_sids(op, w);
            check_map_range(op, w);
        } else if (op.kind == K::MemWrite || op.kind == K::MemRead) {
            check_mem_access(op);
        }
        if (spool_)
            spool_->put(op);
        if (op.kind == K::VintfMap || op.kind == K::Write || op.kind == K::Read)
            note_vcmdqs(op);
        uses_cmd_expect_ |= op.kind == TraceOp::Kind::ExpectCmd;
        acts_ |= op.kind != K::ExpectCmd && op.kind != K::RoiBegin && op.kind != K::RoiEnd;
        if (op.kind == TraceOp::Kind::QueueEnable)
            enabled[op] = true;
        if ((op.kind == TraceOp::Kind::Cmd || op.kind == TraceOp::Kind::Doorbell ||
             op.kind == TraceOp::Kind::WaitConsumed) &&
            !enabled[op])
            throw TraceError(fmt::format("{}: queue {} is used before '{} enable'", op.loc.str(), op.queue, op.queue));
    }
    checked_ops_ = count;
    uses_kernel_ = r.uses_kernel();
    // A module parameter is set on the kernel `kernel boot` starts: with no
    // boot there is no kernel to set it on, and the run would ignore it.
    if (param_line && !uses_kernel_)
        throw TraceError(fmt::format("{}: 'kernel param' without 'kernel boot': the parameter would reach no kernel "
                                     "(add 'kernel boot' after it)",
                                     param_line->str()));
    if (spool_ && !spool_->rewind())
        spool_.reset();
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
    uint64_t off = op.addr;  // a register write or read (validate())
    if (op.block == TraceOp::Block::Absolute) {
        if (op.addr < soc_.params().cmdqv_base || op.addr - soc_.params().cmdqv_base >= c.size())
            return;
        off = op.addr - soc_.params().cmdqv_base;
    } else if (op.block != TraceOp::Block::Cmdqv) {
        return;
    }
    uint64_t q = c.num_vcmdqs();
    if (off >= cmdqv::kVcmdqPage0 && off < cmdqv::kVintfPages)
        q = cmdqv::vcmdq_place(static_cast<uint32_t>(off)).index;
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

void TracePlayer::fail_after_last_line(const std::string& what)
{
    if (failures_.size() < kMaxFailures)
        failures_.push_back(fmt::format("{}: after the last line: {}", path_, what));
    else
        lost_failures_++;
}

void TracePlayer::play()
{
    TraceOp op;
    if (spool_) {
        // What validate() checked and resolved, as it was then.
        while (!stop_ && spool_->get(op, &path_) && play_op(op)) {
        }
    } else {
        // The run's own pass over the trace (a regular file is read again).
        // validate() found every error of the trace as it was then; one
        // found now means the file changed meanwhile, and TraceError stops
        // the run.
        // A file cut short or grown meanwhile (its operations no longer
        // the ones checked) stops the run the same way, at the first
        // operation past the checked count or at the end that came early.
        TraceReader r(*input_);
        uint64_t read = 0;
        bool more = false;
        while (!stop_ && (more = r.next(op))) {
            if (++read > checked_ops_)
                throw TraceError(fmt::format("{}: the trace has more operations than the {} it had when it was "
                                             "checked (it changed during the run)",
                                             op.loc.str(), checked_ops_));
            cur_line_ = op.loc.line;
            cur_col_ = op.loc.col;
            resolve(op, WordAtFault(op, r.words()));
            check_times(op);
            if (!play_op(op))
                break;
        }
        if (!stop_ && !more && read < checked_ops_)
            throw TraceError(fmt::format("{}: the trace ended after {} of the {} operations it had when it was "
                                         "checked (it changed during the run)",
                                         where().empty() ? path_ : where(), read, checked_ops_));
    }
    // The end-of-run teardown (VMs left alive destroyed): what the kernel
    // complains of there fails the run as a line's complaints do.
    if (kernel_)
        if (const std::string k = kernel_->finish(); !k.empty() && !stop_)
            fail_after_last_line("the end-of-run teardown (the VMs still alive destroyed): " + k);
}

bool TracePlayer::play_op(const TraceOp& op)
{
    cur_line_ = op.loc.line;
    cur_col_ = op.loc.col;
    cmdlog_.before(op);
    const ClockDomain& clk = soc_.smmu_clock();
    if (op.when == TraceOp::When::After && !wait_cycles(op, op.when_cycles))
        return false;
    if (op.when == TraceOp::When::At && clk.now() < op.when_cycles && !wait_cycles(op, op.when_cycles - clk.now()))
        return false;
    const sc_core::sc_time t0 = sc_core::sc_time_stamp();
    try {
        execute(op);
    } catch (const TraceError&) {
        throw;
    } catch (const std::exception& e) {
        throw TraceError(fmt::format("{}: {} stopped the run: {}", op.loc.str(), op_name(op), e.what()));
    }
    // A check of what ran before, or a region's edge: no time, not counted
    // as an operation (a trace with `roi` lines plays as the one without).
    if (op.kind == TraceOp::Kind::ExpectCmd || op.kind == TraceOp::Kind::RoiBegin ||
        op.kind == TraceOp::Kind::RoiEnd)
        return true;
    if (op_observer_)
        op_observer_(op, op_name(op), t0, sc_core::sc_time_stamp());
    if ((++ops_ & 4095) == 0 && progress_)
        progress_(ops_);
    return true;
}

const RegionOfInterest& TracePlayer::roi_after_run()
{
    if (roi_.open())
        roi_.end(soc_.smmu_clock().now(), ops_, false);
    return roi_;
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
    case K::RoiBegin: return "roi begin";
    case K::RoiEnd: return "roi end";
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
    case V::GuestStage1: return fmt::format("guest {} stage1", k.name);
    case V::GuestMap: return fmt::format("guest {} map {}", k.name, k.ssid);
    case V::GuestUnmap: return fmt::format("guest {} unmap {}", k.name, k.ssid);
    case V::Dma:
        return fmt::format("dma {} {}", k.name.empty() ? fmt::format("sid={:#x}", k.sid) : k.name,
                           k.write ? "write" : "read");
    }
    return "?";
}

}  // namespace smmusim
