// SPDX-License-Identifier: GPL-2.0-only
// The guest queue operations of a VM whose vIOMMU traps (viommu=arm-smmuv3):
// `guest VM cmd|enable|doorbell|skip|wait` on its one emulated command
// queue (trapped_cmdq.h), and its statistics (trap_stats.h). The
// accelerated VM's are in kernel_trace_ops.cc.
#include <cerrno>

#include <fmt/format.h>

#include "kernel_trace_ops.h"

namespace smmusim::kshim {

void KernelTraceOps::add_trapped(const std::string& name, Vm& vm)
{
    std::unique_ptr<TrapStats>& stats = trap_stats_[name];
    if (!stats)  // a VM made again under a destroyed one's name adds to its figures
        stats = std::make_unique<TrapStats>(name);
    trapped_[name] = std::make_unique<TrappedCmdq>(ks_, vm, costs_, *stats, soc_.smmu().clock());
}

namespace {

// Why the queue does not run: its CONS.ERR, or (after the guest enabled the
// queue again, which clears CONS.ERR) an earlier error's GERROR.CMDQ_ERR
// that GERRORN has not acknowledged: the queue stays stopped until it is
// (IHI 0070 7.1).
std::string stopped_text(const TrappedCmdq& q)
{
    if (q.cons_err())
        return fmt::format("guest's emulated CMDQ: stopped at a command error (CONS {:#x}: CONS.ERR {})", q.cons(),
                           q.cons_err());
    return fmt::format("guest's emulated CMDQ: stopped: GERROR.CMDQ_ERR of an earlier command error is still not "
                       "acknowledged in GERRORN (enabling the queue again cleared CONS.ERR, CONS {:#x}, not the "
                       "error; 'guest VM skip' acknowledges it, IHI 0070 7.1)", q.cons());
}

}  // namespace

std::string KernelTraceOps::trapped_op(const KernelOp& op, Vm& vm)
{
    using V = KernelOp::Verb;
    TrappedCmdq& q = *trapped_.at(op.name);
    auto failed = [](const char* what, int r) {
        return r ? fmt::format("guest's emulated CMDQ {}: {}", what,
                               r == -ENOENT ? "not enabled ('guest VM enable' first)" : errno_text(r))
                 : std::string();
    };
    switch (op.verb) {
    case V::GuestEnable:
        return failed("enable", q.enable(op.queue_gpa_given ? op.queue_gpa : vm.ram_base(), op.log2size));
    case V::GuestCmd:
        if (const int r = q.put(op.dw0, op.dw1); r == -ENOSPC)
            return q.error() ? "guest's emulated CMDQ: full, and stopped at a command error"
                             : "guest's emulated CMDQ: full (it drains only when PROD is written)";
        else
            return failed("cmd", r);
    case V::GuestDoorbell:
        return failed("doorbell", q.doorbell());
    case V::GuestSkip: {
        const int r = q.skip_error();
        return r == 0 ? "guest's emulated CMDQ has no error to skip" : r < 0 ? failed("skip", r) : "";
    }
    case V::GuestWait: {
        const int r = q.wait_consumed(op.timeout_ns);
        if (op.expect_error)
            return r == -EIO ? "" : fmt::format("guest's emulated CMDQ: {}, expected it to stop at an error",
                                                r ? errno_text(r) : "all consumed");
        return r == -EIO ? stopped_text(q)
               : r == -ETIMEDOUT ? "guest's emulated CMDQ: timed out (PROD was not written since the commands)"
                                 : failed("wait", r);
    }
    default:
        return "";
    }
}

}  // namespace smmusim::kshim
