// SPDX-License-Identifier: GPL-2.0-only
// The kernel-level trace operations executed through the kernel shim: each
// operation, the kernel's complaints it is judged by, and who each VINTF served.
#include "kernel_trace_ops.h"

#include <cerrno>
#include <stdexcept>

#include <fmt/format.h>

#include "soc.h"
#include "cmdqv/cmdqv.h"

namespace smmusim::kshim {

namespace {
std::string errno_text(int r) { return r ? fmt::format("{} ({})", errno_name(-r), r) : "success"; }

std::vector<bool> enabled_vintfs(Soc& soc)
{
    std::vector<bool> on;
    for (unsigned v = 0; soc.has_cmdqv() && v < soc.cmdqv().num_vintfs(); v++)
        on.push_back(soc.cmdqv().vintf_enabled(v));
    return on;
}
}  // namespace

// A VINTF the drivers enabled during an operation on a VM (`vm`, `hwqueue`,
// ...) serves that VM; one enabled during any other (the boot) the host kernel.
void KernelTraceOps::note_vintf_owners(const std::vector<bool>& before, const std::string& who)
{
    const std::vector<bool> now = enabled_vintfs(soc_);
    for (unsigned v = 0; v < now.size() && v < before.size(); v++)
        if (now[v] && !before[v])
            vintf_owners_[v] += (vintf_owners_[v].empty() ? "" : ",") + who;
}

KernelTraceOps::~KernelTraceOps() = default;

void KernelTraceOps::finish()
{
    for (auto& [name, vm] : vms_)
        vm->destroy();
    vms_.clear();
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
        if (r.level > kLogLevelErr)
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
// that matched none fails it too.
std::string KernelTraceOps::judge_complaints(const std::vector<std::string>& complaints,
                                             const std::string& expect_log) const
{
    std::string s;
    bool matched = false;
    for (const std::string& c : complaints) {
        if (!expect_log.empty() && log_regex_search(expect_log, c)) {
            matched = true;
            continue;
        }
        s += (s.empty() ? "" : "; ") + c;
    }
    if (!expect_log.empty() && !matched)
        s += fmt::format("{}expected the kernel to log an error or WARN matching '{}', it logged none",
                         s.empty() ? "" : "; ", expect_log);
    return s;
}

std::string KernelTraceOps::execute(const KernelOp& op)
{
    using V = KernelOp::Verb;
    const size_t nfail = judged_fail_, nlog = judged_log_;
    const std::vector<bool> vintfs_before = enabled_vintfs(soc_);
    std::string err;
    // A name the parser accepted may still be missing here when the line
    // that should have created it failed: that is this op's failure too.
    auto missing = [&](const char* kind, const std::string& n) {
        return fmt::format("{} '{}' does not exist (the line creating it failed)", kind, n);
    };
    Vm* vm = nullptr;
    const bool on_vm = op.verb == V::VmDestroy || op.verb == V::HwQueue || op.verb == V::HwQueueDestroy ||
                       op.verb == V::Veventq || op.verb == V::VeventqRead || op.verb == V::GuestCmd ||
                       op.verb == V::GuestEnable || op.verb == V::GuestDoorbell || op.verb == V::GuestSkip ||
                       op.verb == V::GuestWait;
    if (on_vm) {
        auto it = vms_.find(op.name);
        if (it == vms_.end())
            return missing("VM", op.name);
        vm = it->second.get();
    }
    int ep = -1, dom = -1;
    if (op.verb == V::Domain || op.verb == V::Vm) {
        auto it = endpoints_.find(op.target);
        if (it == endpoints_.end())
            return missing("endpoint", op.target);
        ep = it->second;
    }
    if (op.verb == V::Map || op.verb == V::Unmap) {
        auto it = domains_.find(op.name);
        if (it == domains_.end())
            return missing("domain", op.name);
        dom = it->second;
    }
    auto expect = [&](int r, int want, const char* what) {
        if (r != -want)
            err = fmt::format("{}: {}, expected {}", what, errno_text(r), errno_text(-want));
    };
    switch (op.verb) {
    case V::Boot:
        if (booted_) {
            err = "the kernel is already booted";
            break;
        }
        if (int r = ks_.probe_smmu())
            err = fmt::format("arm_smmu_device_probe failed: {}", errno_text(r));
        booted_ = true;
        break;
    case V::Param:
        if (op.param == "watchdog_thresh")  // a boot parameter, in seconds; the parser checked it
            ks_.set_softlockup_ns(2 * std::stoull(op.value) * 1000000000ull);
        else if (int r = ks_.set_module_param(op.param, op.value))
            err = fmt::format("module parameter {}: {}", op.param, errno_text(r));
        break;
    case V::Endpoint: {
        const int ep = ks_.add_endpoint(op.name, op.sids.empty() ? std::vector<uint32_t>{static_cast<uint32_t>(op.sid)}
                                                                 : op.sids);
        if (ep < 0)
            err = fmt::format("endpoint {}: {}", op.name, errno_text(ep));
        else if (!ks_.endpoint_has_group(ep))
            err = fmt::format("endpoint {}: the IOMMU did not take it (no iommu_group)", op.name);
        else
            endpoints_[op.name] = ep;
        break;
    }
    case V::Domain: {
        const int d = ks_.domain_alloc(ep);
        if (d < 0) {
            err = fmt::format("iommu_paging_domain_alloc: {}", errno_text(d));
            break;
        }
        if (int r = ks_.domain_attach(d, ep)) {
            err = fmt::format("iommu_attach_device: {}", errno_text(r));
            ks_.domain_free(d);
            break;
        }
        domains_[op.name] = d;
        domain_endpoint_[op.name] = ep;
        break;
    }
    case V::Map:
        if (int r = ks_.domain_map(dom, op.iova, op.pa, op.size, !op.readonly))
            err = fmt::format("iommu_map: {}", errno_text(r));
        break;
    case V::Unmap: {
        const uint64_t n = ks_.domain_unmap(dom, op.iova, op.size);
        if (n != op.size)
            err = fmt::format("iommu_unmap unmapped {:#x} bytes of {:#x}", n, op.size);
        break;
    }
    case V::Vm: {
        auto v = std::make_unique<Vm>(ks_);
        Vm::Config c;
        c.endpoint = ep;
        c.ram_bytes = op.ram;
        c.gpa = op.gpa;
        c.layout = op.scattered ? UserMemory::Layout::Scattered : UserMemory::Layout::Contiguous;
        c.vsid = static_cast<uint32_t>(op.vsid);
        if (int r = v->create(c)) {
            if (r != -op.expect_errno)
                err = fmt::format("vm {}: {} failed: {}{}", op.name, v->failed_step(), errno_text(r),
                                  op.expect_errno ? ", expected " + errno_text(-op.expect_errno) : "");
            v->destroy();
            break;
        }
        if (op.expect_errno)
            err = fmt::format("vm {}: created, expected {}", op.name, errno_text(-op.expect_errno));
        vms_[op.name] = std::move(v);
        break;
    }
    case V::VmDestroy:
        vm->destroy();
        vms_.erase(op.name);
        break;
    case V::HwQueue:
        expect(vm->hw_queue_alloc(op.index, op.gpa, op.size), op.expect_errno, "IOMMU_HW_QUEUE_ALLOC");
        break;
    case V::HwQueueDestroy:
        expect(vm->hw_queue_destroy(op.index), op.expect_errno, "IOMMU_DESTROY of the HW queue");
        break;
    case V::Veventq:
        if (int r = vm->veventq_alloc(op.depth))
            err = fmt::format("IOMMU_VEVENTQ_ALLOC: {}", errno_text(r));
        break;
    case V::VeventqRead: {
        std::array<uint64_t, 2> map{};
        bool lost = false;
        // "expect empty" looks once (a non-blocking read); otherwise the
        // read waits for an event as a blocking read() would, bounded.
        const int r = op.expect_empty ? vm->veventq_read(map, nullptr, &lost)
                                      : vm->veventq_read_wait(map, op.read_timeout_ns, &lost);
        auto what = [&] {
            return lost ? std::string("the lost-events mark")
                        : fmt::format("an event (lvcmdq_err_map {:#x}:{:#x})", map[1], map[0]);
        };
        if (op.expect_empty) {
            if (r != -EAGAIN)
                err = r ? fmt::format("vEVENTQ read: {}", errno_text(r))
                        : fmt::format("vEVENTQ read {}, expected none", what());
        } else if (r) {
            err = fmt::format("vEVENTQ read: {}", r == -EAGAIN ? fmt::format("empty after {} ns", op.read_timeout_ns)
                                                                : errno_text(r));
        } else if (op.expect_lost != lost) {
            err = fmt::format("vEVENTQ read {}, expected {}", what(),
                              op.expect_lost ? "the lost-events mark"
                                             : fmt::format("lvcmdq_err_map {:#x}:{:#x}", op.expect_map[1],
                                                           op.expect_map[0]));
        } else if (!lost && (map[0] != op.expect_map[0] || map[1] != op.expect_map[1])) {
            err = fmt::format("vEVENTQ lvcmdq_err_map {:#x}:{:#x}, expected {:#x}:{:#x}", map[1], map[0],
                              op.expect_map[1], op.expect_map[0]);
        }
        break;
    }
    case V::GuestCmd:
        if (int r = vm->guest_put(op.index, op.dw0, op.dw1))
            err = fmt::format("guest queue {}: {}", op.index,
                              r != -ENOSPC           ? errno_text(r)
                              : vm->guest_error(op.index) ? "full, and stopped at a command error"
                                                          : "full (nothing rung is left to consume, or no room "
                                                            "within 1 ms)");
        break;
    case V::GuestEnable:
        if (int r = vm->guest_enable(op.index))
            err = fmt::format("guest LVCMDQ{} enable: {}", op.index, errno_text(r));
        break;
    case V::GuestDoorbell:
        if (int r = vm->guest_doorbell(op.index))
            err = fmt::format("guest LVCMDQ{} doorbell: {}", op.index, errno_text(r));
        break;
    case V::GuestSkip:
        if (int r = vm->guest_skip_error(op.index); r < 0)
            err = fmt::format("guest LVCMDQ{} skip: {}", op.index, errno_text(r));
        else if (r != 1)
            err = fmt::format("guest LVCMDQ{} has no error to skip", op.index);
        break;
    case V::GuestWait: {
        const int r = vm->guest_wait_consumed(op.index, op.timeout_ns);
        if (op.expect_error && r != -EIO)
            err = fmt::format("guest LVCMDQ{}: {}, expected it to stop at an error", op.index,
                              r ? errno_text(r) : "all consumed");
        else if (!op.expect_error && r)
            err = fmt::format("guest LVCMDQ{}: {}", op.index,
                              r == -EIO ? "stopped at a command error" : r == -ETIMEDOUT ? "timed out" : errno_text(r));
        break;
    }
    }
    // The end of simulated time: nothing more can run, the run stops here.
    if (ks_.time_ran_out())
        throw std::runtime_error(ks_.time_out_message());
    const std::string k = judge_complaints(complaints_since(nfail, nlog), op.expect_log);
    judged_fail_ = ks_.failures().size();
    judged_log_ = ks_.log().size();
    if (!k.empty())
        err += (err.empty() ? "" : "; ") + k;
    note_vintf_owners(vintfs_before, on_vm || op.verb == V::Vm ? op.name : "host");
    return err;
}

}  // namespace smmusim::kshim
