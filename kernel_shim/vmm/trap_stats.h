// SPDX-License-Identifier: GPL-2.0-only
// The statistics of one VM whose vIOMMU traps (type ARM_SMMUV3), as group
// `vmm.NAME`: its traps, the commands the VMM forwarded to the kernel or
// completed itself, its IOMMU_HWPT_INVALIDATE calls, the time each phase of
// a trap took and the trapped-invalidation latency. Owned by the trace
// operations, not by the VM, so a VM destroyed before the end of the run
// still reports them (and a VM made again under the same name adds to them).
// Not here: the host SMMU CMDQ's own figures (soc.smmu.cmdq.*).
#pragma once

#include <string>

#include "platform/stats.h"

namespace smmusim::kshim {

struct TrapStats {
    explicit TrapStats(const std::string& vm_name)
        : group("vmm." + vm_name),
          traps(group.counter("traps", "guest accesses to the emulated SMMU that exited to the VMM")),
          forwarded(group.counter("forwarded", "commands the kernel processed in IOMMU_HWPT_INVALIDATE (its entry_num)")),
          handled(group.counter("handled", "commands the VMM completed itself (CMD_SYNC, CFGI_STE*, PREFETCH_*)")),
          ioctls(group.counter("ioctls", "IOMMU_HWPT_INVALIDATE calls on the vIOMMU")),
          ioctl_errors(group.counter("ioctl_errors", "IOMMU_HWPT_INVALIDATE calls that failed")),
          cerrors(group.counter("cerrors", "command errors the emulated CMDQ reported to the guest (CONS.ERR)")),
          msi_aborts(group.counter("msi_aborts", "guest CMD_SYNC MSIs outside guest RAM, dropped (the emulated "
                                                 "GERROR.MSI_CMDQ_ABT_ERR)")),
          exit_cycles(group.counter("exit_cycles", "SMMU cycles spent in VM exits")),
          entry_cycles(group.counter("entry_cycles", "SMMU cycles spent in VM entries")),
          dispatch_cycles(group.counter("dispatch_cycles", "SMMU cycles of the VMM's dispatch (decode, reading commands)")),
          ioctl_cycles(group.counter("ioctl_cycles", "SMMU cycles inside IOMMU_HWPT_INVALIDATE (the real kernel code)")),
          latency(group.histogram("invalidation_latency_cycles",
                                  "a PROD write that trapped until the guest runs again with CONS updated, in SMMU cycles"))
    {
    }

    StatGroup group;
    Counter &traps, &forwarded, &handled, &ioctls, &ioctl_errors, &cerrors, &msi_aborts;
    Counter &exit_cycles, &entry_cycles, &dispatch_cycles, &ioctl_cycles;
    Histogram& latency;
};

}  // namespace smmusim::kshim
