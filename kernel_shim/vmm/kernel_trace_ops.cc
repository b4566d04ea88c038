// SPDX-License-Identifier: GPL-2.0-only
// The kernel-level trace operations executed through the kernel shim: each
// operation, the kernel's complaints it is judged by, and who each VINTF served.
#include "kernel_trace_ops.h"

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "soc.h"
#include "cmdqv/cmdqv_regs.h"
#include "smmuv3/evtq.h"

namespace smmusim::kshim {

std::string errno_text(int r) { return r ? fmt::format("{} ({})", errno_name(-r), r) : "success"; }

// A VINTF the drivers enabled during an operation on a VM (`vm`, `hwqueue`,
// ...) serves that VM; one enabled during any other (the boot) the host kernel.
void KernelTraceOps::note_vintf_owners(uint64_t enabled, const std::string& who)
{
    for (; enabled; enabled &= enabled - 1) {
        const auto v = static_cast<unsigned>(__builtin_ctzll(enabled));
        vintf_owners_[v] += (vintf_owners_[v].empty() ? "" : ",") + who;
    }
}

KernelTraceOps::~KernelTraceOps() = default;

std::string KernelTraceOps::finish()
{
    trapped_.clear();
    for (auto& [name, vm] : vms_)
        vm->destroy();
    vms_.clear();
    std::string k = judge_complaints(complaints_since(judged_fail_, judged_log_), "");
    judged_fail_ = ks_.failures().size();
    judged_log_ = ks_.log().size();
    taken_log_.clear();
    if (ks_.time_ran_out())
        k += (k.empty() ? "" : "; ") + ks_.time_out_message();
    return k;
}

std::string KernelTraceOps::version() const { return SMMUSIM_KERNEL_VERSION; }

// The kernel's own complaints during an op: its failures (WARN, BUG, traps,
// soft lockups) and every message at KERN_ERR or more severe, each once.
std::vector<std::string> KernelTraceOps::complaints_since(size_t nfail, size_t nlog) const
{
    std::vector<std::string> c;
    for (size_t i = nfail; i < ks_.failures().size(); i++)
        c.push_back(fmt::format("kernel {}: {}", ks_.failures()[i].kind, ks_.failures()[i].message));
    for (size_t i = nlog; i < ks_.log().size(); i++) {
        const LogRecord& r = ks_.log()[i];
        if (r.level > kLogLevelErr || taken_log_.count(i))
            continue;
        bool told = false;  // a failure that also logged its message
        for (size_t f = nfail; f < ks_.failures().size(); f++)
            told |= r.text.find(ks_.failures()[f].message) != std::string::npos;
        if (!told)
            c.push_back(fmt::format("kernel error: {}", r.text));
    }
    return c;
}

// Complaints fail the op unless `expect_log` matches them; an expect-log
// that matched none fails it too. A complaint repeated (the driver's "EVTQ
// overflow detected" once per overflow, thousands in one DMA) is named once
// with its count.
std::string KernelTraceOps::judge_complaints(const std::vector<std::string>& complaints,
                                             const std::string& expect_log,
                                             const std::vector<std::string>& taken) const
{
    std::vector<std::pair<std::string, size_t>> unexpected;  // in order of first occurrence, with counts
    std::unordered_map<std::string, size_t> index;           // a complaint's place in `unexpected`
    bool matched = false;
    for (const std::string& c : complaints) {
        if (!expect_log.empty() && log_regex_search(expect_log, c)) {
            matched = true;
            continue;
        }
        const auto [at, fresh] = index.emplace(c, unexpected.size());
        if (fresh)
            unexpected.emplace_back(c, 0);
        unexpected[at->second].second++;
    }
    std::string s;
    for (const auto& [c, n] : unexpected)
        s += (s.empty() ? "" : "; ") + c + (n > 1 ? fmt::format(" ({} times)", n) : "");
    // What it would match was taken by the operation itself (a dma's event
    // lines, which expect=fault judges): said so, not "it logged none".
    const auto taken_match = std::find_if(taken.begin(), taken.end(),
                                          [&](const std::string& t) { return log_regex_search(expect_log, t); });
    if (!expect_log.empty() && !matched && taken_match != taken.end())
        s += fmt::format("{}expect-log '{}' matches only the driver's event lines ('{}'), which this dma takes as "
                         "its own (expect=fault checks the event): leave expect-log out, or match what else the "
                         "kernel logs",
                         s.empty() ? "" : "; ", expect_log, *taken_match);
    else if (!expect_log.empty() && !matched)
        s += fmt::format("{}expected the kernel to log an error or WARN matching '{}', it logged none",
                         s.empty() ? "" : "; ", expect_log);
    return s;
}

namespace {
using V = KernelOp::Verb;

bool on_vm(V v)
{
    return v == V::VmDestroy || v == V::HwQueue || v == V::HwQueueDestroy || v == V::Veventq ||
           v == V::VeventqRead || v == V::GuestCmd || v == V::GuestEnable || v == V::GuestDoorbell ||
           v == V::GuestSkip || v == V::GuestWait || v == V::GuestStage1 || v == V::GuestMap || v == V::GuestUnmap;
}

// The guest's queue operations: on a trapped VM, its emulated command queue.
bool is_guest_queue_op(V v)
{
    return v == V::GuestCmd || v == V::GuestEnable || v == V::GuestDoorbell || v == V::GuestSkip || v == V::GuestWait;
}

std::string missing(const char* kind, const std::string& n)
{
    return fmt::format("{} '{}' does not exist (the line creating it failed)", kind, n);
}

// "" when `r` is the errno the line expects (0: success).
std::string expect_result(int r, int want, const char* what)
{
    return r == -want ? "" : fmt::format("{}: {}, expected {}", what, errno_text(r), errno_text(-want));
}
}  // namespace

// A name the parser accepted may still be missing here when the line that
// should have created it failed: that is this operation's failure too.
std::string KernelTraceOps::resolve(const KernelOp& op, Refs& r) const
{
    if (on_vm(op.verb)) {
        auto it = vms_.find(op.name);
        if (it == vms_.end())
            return missing("VM", op.name);
        r.vm = it->second.get();
    }
    if (op.verb == V::Domain || op.verb == V::Vm) {
        auto it = endpoints_.find(op.target);
        if (it == endpoints_.end())
            return missing("endpoint", op.target);
        r.ep = it->second;
    }
    if (op.verb == V::Dma && !op.name.empty() && !endpoints_.count(op.name))
        return missing("endpoint", op.name);
    if (op.verb == V::Map || op.verb == V::Unmap) {
        auto it = domains_.find(op.name);
        if (it == domains_.end())
            return missing("domain", op.name);
        r.dom = it->second;
    }
    return "";
}

std::string KernelTraceOps::execute(const KernelOp& op)
{
    const size_t nfail = judged_fail_, nlog = judged_log_;
    const uint64_t vintfs_before = vintfs_.enabled();
    Refs refs;
    if (std::string e = resolve(op, refs); !e.empty())
        return e;
    std::string err = refs.vm ? vm_op(op, *refs.vm) : host_op(op, refs);
    // The end of simulated time: nothing more can run, the run stops here.
    if (ks_.time_ran_out())
        throw std::runtime_error(ks_.time_out_message());
    std::vector<std::string> taken;
    for (const size_t i : taken_log_)
        if (i >= nlog && i < ks_.log().size())
            taken.push_back(ks_.log()[i].text);
    const std::string k = judge_complaints(complaints_since(nfail, nlog), op.expect_log, taken);
    judged_fail_ = ks_.failures().size();
    judged_log_ = ks_.log().size();
    taken_log_.clear();
    if (!k.empty())
        err += (err.empty() ? "" : "; ") + k;
    if (const uint64_t enabled = vintfs_.enabled() & ~vintfs_before)
        note_vintf_owners(enabled, on_vm(op.verb) || op.verb == V::Vm ? op.name : "host");
    return err;
}

// ---- the host kernel's operations -------------------------------------------

std::string KernelTraceOps::host_op(const KernelOp& op, const Refs& r)
{
    switch (op.verb) {
    case V::Boot:
        return boot();
    case V::Param:
        return param(op);
    case V::Endpoint:
        return endpoint(op);
    case V::Domain:
        return domain(op, r.ep);
    case V::Map:
        if (int e = ks_.domain_map(r.dom, op.iova, op.pa, op.size, !op.readonly))
            return fmt::format("iommu_map: {}", errno_text(e));
        return "";
    case V::Unmap:
        if (const uint64_t n = ks_.domain_unmap(r.dom, op.iova, op.size); n != op.size)
            return fmt::format("iommu_unmap unmapped {:#x} bytes of {:#x}", n, op.size);
        return "";
    case V::Vm:
        return vm_create(op, r.ep);
    case V::Dma:
        return dma(op);
    default:
        return "";  // the VM's own operations: vm_op()
    }
}

std::string KernelTraceOps::boot()
{
    if (booted_)
        return "the kernel is already booted";
    const int r = ks_.probe_smmu();
    booted_ = true;
    if (r > 0)  // the failure recorded says why (e.g. the soft lockup)
        return "arm_smmu_device_probe did not return (its CPU context was stopped)";
    return r ? fmt::format("arm_smmu_device_probe failed: {}", errno_text(r)) : "";
}

std::string KernelTraceOps::param(const KernelOp& op)
{
    if (op.param == "watchdog_thresh") {  // a boot parameter, in seconds; the parser checked it
        ks_.set_softlockup_ns(2 * std::stoull(op.value) * 1000000000ull);
        return "";
    }
    if (int r = ks_.set_module_param(op.param, op.value))
        return fmt::format("module parameter {}: {}", op.param, errno_text(r));
    return "";
}

// Why the driver refused an endpoint, when the shim can tell: a stream ID
// beyond the driver's stream table (arm_smmu_sid_in_range(): the probe's
// ERANGE, which the iommu core's bus notifier drops). The table reaches
// 2^IDR1.SIDSIZE stream IDs, or fewer with a 2-level table's capped L1.
std::string KernelTraceOps::refusal(const KernelOp& op) const
{
    // No SMMU driver bound (its probe failed, which `kernel boot` reported):
    // no IOMMU is there to take the device, whatever its stream ID.
    if (!ks_.smmu_bound())
        return ": the SMMU did not probe (see the 'kernel boot' line's failure), so no IOMMU takes a device";
    const uint64_t reach = ks_.smmu_stream_ids();
    const std::vector<uint32_t> sids = op.sids.empty() ? std::vector<uint32_t>{static_cast<uint32_t>(op.sid)} : op.sids;
    for (uint32_t sid : sids)
        if (sid >= reach)
            return fmt::format(": stream ID {:#x} is beyond the driver's stream table, which reaches stream IDs "
                               "below {:#x} (IDR1.SIDSIZE = {} bits: smmu.idr.sidsize), so arm_smmu_probe_device() "
                               "failed with ERANGE",
                               sid, reach, soc_.smmu().params().sidsize);
    return "";
}

std::string KernelTraceOps::endpoint(const KernelOp& op)
{
    const int ep = op.pci ? ks_.add_pci_endpoint(op.name, static_cast<uint32_t>(op.rid), op.ats)
                          : ks_.add_endpoint(op.name, op.sids.empty()
                                                          ? std::vector<uint32_t>{static_cast<uint32_t>(op.sid)}
                                                          : op.sids);
    if (ep < 0)
        return fmt::format("endpoint {}: {}", op.name, errno_text(ep));
    if (!ks_.endpoint_has_group(ep))
        return fmt::format("endpoint {}: the IOMMU did not take it (no iommu_group){}", op.name, refusal(op));
    endpoints_[op.name] = ep;
    endpoint_sid_[op.name] = op.sids.empty() ? static_cast<uint32_t>(op.sid) : op.sids.front();
    if (op.pci && op.ats)  // its ATC: statistics soc.NAME and soc.NAME.atc
        ats_endpoints_[op.name] = std::make_unique<endpoint::AtsEndpoint>(
            fmt::format("soc.{}", op.name), soc_.smmu().clock(), ks_.options().endpoint,
            *ks_.endpoint_pci_config(ep), &soc_.smmu().engine());
    return "";
}

std::string KernelTraceOps::domain(const KernelOp& op, int ep)
{
    const int d = ks_.domain_alloc(ep);
    if (d < 0)
        return fmt::format("iommu_paging_domain_alloc: {}", errno_text(d));
    if (int r = ks_.domain_attach(d, ep)) {
        ks_.domain_free(d);
        return fmt::format("iommu_attach_device: {}", errno_text(r));
    }
    domains_[op.name] = d;
    domain_endpoint_[op.name] = ep;
    return "";
}

std::string KernelTraceOps::vm_create(const KernelOp& op, int ep)
{
    auto v = std::make_unique<Vm>(ks_);
    Vm::Config c;
    c.endpoint = ep;
    c.ram_bytes = op.ram;
    c.gpa = op.gpa;
    c.layout = op.scattered ? UserMemory::Layout::Scattered : UserMemory::Layout::Contiguous;
    c.vsid = static_cast<uint32_t>(op.vsid);
    c.viommu = op.trapped ? Vm::Config::Viommu::ArmSmmuv3 : Vm::Config::Viommu::Tegra241Cmdqv;
    if (int r = v->create(c)) {
        std::string err;
        if (r != -op.expect_errno)
            err = fmt::format("vm {}: {} failed: {}{}", op.name, v->failed_step(), errno_text(r),
                              op.expect_errno ? ", expected " + errno_text(-op.expect_errno) : "");
        v->destroy();
        return err;
    }
    std::string err;
    if (op.expect_errno)
        err = fmt::format("vm {}: created, expected {}", op.name, errno_text(-op.expect_errno));
    if (v->trapped())
        add_trapped(op.name, *v);
    vms_[op.name] = std::move(v);
    return err;
}

// ---- a VM's operations (the VMM's ioctls, its guest's queues) ---------------

std::string KernelTraceOps::vm_op(const KernelOp& op, Vm& vm)
{
    if (vm.trapped() && is_guest_queue_op(op.verb))
        return trapped_op(op, vm);
    switch (op.verb) {
    case V::VmDestroy:
        trapped_.erase(op.name);
        vm.destroy();
        vms_.erase(op.name);
        return "";
    case V::HwQueue:
        return expect_result(vm.hw_queue_alloc(op.index, op.gpa, op.size), op.expect_errno, "IOMMU_HW_QUEUE_ALLOC");
    case V::HwQueueDestroy:
        return expect_result(vm.hw_queue_destroy(op.index), op.expect_errno, "IOMMU_DESTROY of the HW queue");
    case V::Veventq:
        if (int r = vm.veventq_alloc(op.depth, op.veventq_type))
            return fmt::format("IOMMU_VEVENTQ_ALLOC: {}", errno_text(r));
        return "";
    case V::VeventqRead:
        return op.veventq_type == Vm::kVeventqArmSmmuv3 ? vevent_smmu_read(op, vm) : veventq_read(op, vm);
    case V::GuestStage1:
        return guest_stage1(op, vm);
    case V::GuestMap:
    case V::GuestUnmap:
        return guest_map(op, vm);
    case V::GuestCmd:
        return guest_cmd(op, vm);
    case V::GuestEnable:
        if (int r = vm.guest_enable(op.index))
            return fmt::format("guest LVCMDQ{} enable: {}", op.index, errno_text(r));
        return "";
    case V::GuestDoorbell:
        if (int r = vm.guest_doorbell(op.index))
            return fmt::format("guest LVCMDQ{} doorbell: {}", op.index, errno_text(r));
        return "";
    case V::GuestSkip:
        if (int r = vm.guest_skip_error(op.index); r < 0)
            return fmt::format("guest LVCMDQ{} skip: {}", op.index, errno_text(r));
        else if (r != 1)
            return fmt::format("guest LVCMDQ{} has no error to skip", op.index);
        return "";
    case V::GuestWait:
        return guest_wait(op, vm);
    default:
        return "";  // the host kernel's operations: host_op()
    }
}

std::string KernelTraceOps::veventq_read(const KernelOp& op, Vm& vm)
{
    std::array<uint64_t, 2> map{};
    bool lost = false;
    // "expect empty" looks once (a non-blocking read); otherwise the read
    // waits for an event as a blocking read() would, bounded.
    const int r = op.expect_empty ? vm.veventq_read(map, nullptr, &lost)
                                  : vm.veventq_read_wait(map, op.read_timeout_ns, &lost);
    auto what = [&] {
        return lost ? std::string("the lost-events mark")
                    : fmt::format("an event (lvcmdq_err_map {:#x}:{:#x})", map[1], map[0]);
    };
    if (op.expect_empty) {
        if (r != -EAGAIN)
            return r ? fmt::format("vEVENTQ read: {}", errno_text(r))
                     : fmt::format("vEVENTQ read {}, expected none", what());
        return "";
    }
    if (r)
        return fmt::format("vEVENTQ read: {}",
                           r == -EAGAIN ? fmt::format("empty after {} ns", op.read_timeout_ns) : errno_text(r));
    if (op.expect_lost != lost)
        return fmt::format("vEVENTQ read {}, expected {}", what(),
                           op.expect_lost
                               ? "the lost-events mark"
                               : fmt::format("lvcmdq_err_map {:#x}:{:#x}", op.expect_map[1], op.expect_map[0]));
    if (!lost && (map[0] != op.expect_map[0] || map[1] != op.expect_map[1]))
        return fmt::format("vEVENTQ lvcmdq_err_map {:#x}:{:#x}, expected {:#x}:{:#x}", map[1], map[0],
                           op.expect_map[1], op.expect_map[0]);
    return "";
}

namespace {
std::string event_text(uint64_t type)
{
    const char* name = smmuv3::evt::name(static_cast<uint8_t>(type));
    return name ? name : fmt::format("event {:#x}", type);
}
}  // namespace

// An ARM_SMMUV3 vEVENT: an event record with the vSID in its StreamID
// field (IHI 0070 7.3: type [7:0], StreamID [63:32], input address dword 2).
std::string KernelTraceOps::vevent_smmu_read(const KernelOp& op, Vm& vm)
{
    std::array<uint64_t, 4> evt{};
    bool lost = false;
    const int r = op.expect_empty ? vm.veventq_read_smmu(evt, nullptr, &lost)
                                  : vm.veventq_read_smmu_wait(evt, op.read_timeout_ns, &lost);
    const uint64_t type = evt[0] & 0xff, vsid = evt[0] >> 32;
    auto what = [&] {
        return lost ? std::string("the lost-events mark")
                    : fmt::format("{} vsid={:#x} iova={:#x}", event_text(type), vsid, evt[2]);
    };
    if (op.expect_empty)
        return r == -EAGAIN ? ""
               : r         ? fmt::format("vEVENTQ read: {}", errno_text(r))
                           : fmt::format("vEVENTQ read {}, expected none", what());
    if (r)
        return fmt::format("vEVENTQ read: {}",
                           r == -EAGAIN ? fmt::format("empty after {} ns", op.read_timeout_ns) : errno_text(r));
    if (op.expect_lost != lost || (!lost && (type != static_cast<uint64_t>(op.expect_event) ||
                                             vsid != op.expect_vsid ||
                                             (op.expect_has_iova && evt[2] != op.expect_iova))))
        return fmt::format("vEVENTQ read {}, expected {}", what(),
                           op.expect_lost ? std::string("the lost-events mark")
                                          : fmt::format("{} vsid={:#x}{}", event_text(op.expect_event), op.expect_vsid,
                                                        op.expect_has_iova ? fmt::format(" iova={:#x}", op.expect_iova)
                                                                           : ""));
    return "";
}

// The guest writes its tables (once), then the VMM passes its vSTE on:
// IOMMU_HWPT_ALLOC of a nested HWPT and the device attached to it.
std::string KernelTraceOps::guest_stage1(const KernelOp& op, Vm& vm)
{
    const KernelOp::Stage1& s = op.stage1;
    GuestStage1::Config c;
    c.ssids = s.ssids;
    c.asid = s.asid;
    c.granule = s.granule_shift == 16 ? smmuv3::Granule::k64K
                : s.granule_shift == 14 ? smmuv3::Granule::k16K
                                        : smmuv3::Granule::k4K;
    c.ias = s.ias;
    if (s.tables_given)
        c.tables = s.tables;
    if (!vm.stage1()) {
        std::string why;
        if (int r = vm.guest_stage1(c, &why))
            return fmt::format("the guest's CD table and stage-1 tables: {}{}", errno_text(r),
                               why.empty() ? "" : ": " + why);
    } else {
        const GuestStage1::Config& had = vm.stage1()->config();
        if (had.ssids != c.ssids || had.asid != c.asid || had.granule != c.granule || had.ias != c.ias ||
            (c.tables && had.tables != c.tables))
            return "the guest's tables are already built with other parameters (a VM's stage1 lines after the first "
                   "give a new vSTE only)";
    }
    GuestStage1& g = *vm.stage1();
    const std::array<uint64_t, 2> vste =
        s.raw_vste ? std::array<uint64_t, 2>{s.vste[0], s.vste[1]}
                   : guest::make_vste(g.cd_table(), g.s1cdmax(), s.s1dss, s.eats);
    return expect_result(vm.nest(vste), op.expect_errno, "IOMMU_HWPT_ALLOC (nested) and attach");
}

std::string KernelTraceOps::guest_map(const KernelOp& op, Vm& vm)
{
    GuestStage1* g = vm.stage1();
    if (!g)
        return "the guest has no stage 1 yet ('guest VM stage1' first)";
    const bool map = op.verb == V::GuestMap;
    const int r = map ? g->map(op.ssid, op.iova, op.gpa, op.size, !op.readonly) : g->unmap(op.ssid, op.iova, op.size);
    if (!r)
        return "";
    // The table builder's reason when it gave one (an unmap over a hole is
    // no errno: iommu_unmap() returns the bytes it unmapped).
    std::string why = r == -ENOENT && !g->error().empty() ? g->error() : errno_text(r);
    if (r != -ENOENT && !g->error().empty())
        why += ": " + g->error();
    return fmt::format("the guest's {} of SSID {} [{:#x}, {:#x}): {}", map ? "map" : "unmap", op.ssid, op.iova,
                       op.iova + op.size, why);
}

std::string KernelTraceOps::guest_cmd(const KernelOp& op, Vm& vm)
{
    const int r = vm.guest_put(op.index, op.dw0, op.dw1);
    if (!r)
        return "";
    return fmt::format("guest queue {}: {}", op.index,
                       r != -ENOSPC                ? errno_text(r)
                       : vm.guest_error(op.index) ? "full, and stopped at a command error"
                                                  : "full (nothing rung is left to consume, or no room within 1 ms)");
}

namespace {
// Why a guest wait found the queue stopped: a command error (CONS.ERR says
// which) or a GERRORN written with no error to acknowledge.
std::string vcmdq_stopped_text(const Vm& vm, uint32_t index)
{
    const uint64_t err = cmdqv::vcmdq_cons::ERR.get(vm.guest_stopped_cons(index));
    if (err)
        return "stopped at a command error";
    return "stopped: GERROR.CMDQ_ERR and GERRORN.CMDQ_ERR differ but no command failed (CONS.ERR = 0): GERRORN "
           "was written with no error to acknowledge";
}
}  // namespace

std::string KernelTraceOps::guest_wait(const KernelOp& op, Vm& vm)
{
    const int r = vm.guest_wait_consumed(op.index, op.timeout_ns);
    const char* unrung = "timed out (PROD was not written since the commands: no 'doorbell')";
    if (op.expect_error && r != -EIO)
        return fmt::format("guest LVCMDQ{}: {}, expected it to stop at an error", op.index,
                           r == -ENODATA ? unrung : r ? errno_text(r) : "all consumed");
    if (!op.expect_error && r)
        return fmt::format("guest LVCMDQ{}: {}", op.index,
                           r == -EIO         ? vcmdq_stopped_text(vm, op.index)
                           : r == -ENODATA   ? unrung
                           : r == -ETIMEDOUT ? "timed out"
                                             : errno_text(r));
    return "";
}

}  // namespace smmusim::kshim
