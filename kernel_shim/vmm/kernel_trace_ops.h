// SPDX-License-Identifier: GPL-2.0-only
// The kernel shim's side of the trace player's kernel-level operations
// (sim/kernel_ops.h): boot the drivers, endpoints and paging domains through
// the iommu core, VMs through iommufd (vmm.h), guests on their
// HW queues or, for a VM whose vIOMMU traps, on its emulated command queue
// (trapped_ops.cc, trapped_cmdq.h), endpoint DMA through the SMMU (dma_op.cc).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "endpoint/ats_endpoint.h"
#include "kernel_ops.h"
#include "kernel_shim.h"
#include "oops.h"
#include "platform/dma_requester.h"
#include "soc.h"
#include "trap_stats.h"
#include "trapped_cmdq.h"
#include "vintf_watch.h"
#include "vm_costs.h"
#include "vmm.h"

namespace smmusim::kshim {

// A kernel result as the failures name it: "success" or "EINVAL (-22)".
std::string errno_text(int r);

class KernelTraceOps : public KernelOps {
public:
    // `soc`: the platform the shim runs on (the VINTFs the drivers enable
    // are watched on its CMDQV: vintf_watch.h); `costs`: what a trapped
    // VM's exits, entries and VMM dispatch cost (the vm.* parameters).
    KernelTraceOps(KernelShim& ks, Soc& soc, const VmCosts& costs = VmCosts{})
        : ks_(ks), soc_(soc), vintfs_(soc), judged_fail_(ks.failures().size()), judged_log_(ks.log().size()),
          costs_(costs)
    {
    }
    ~KernelTraceOps() override;

    std::string execute(const KernelOp& op) override;
    // The VMM process exits: its VMs are torn down (descriptors closed);
    // the kernel's complaints not judged yet, or "".
    std::string finish() override;
    // The trace position a kernel oops names (host/oops.h).
    void note_position(const std::string* path, const unsigned* line, const unsigned* col) override
    {
        OopsGuard::note_position(path, line, col);
    }
    std::string version() const override;
    unsigned warnings() const override { return ks_.warnings(); }
    std::string dmesg() const override { return ks_.dmesg(); }
    std::map<unsigned, std::string> vintf_owners() const override { return vintf_owners_; }

    // printk levels: KERN_ERR and more severe fail an op.
    static constexpr int kLogLevelErr = 3;

private:
    // The names an operation refers to, looked up before it runs.
    struct Refs {
        Vm* vm = nullptr;
        int ep = -1;
        int dom = -1;
    };
    std::string resolve(const KernelOp& op, Refs& r) const;
    // One function per operation: "" or what failed.
    std::string host_op(const KernelOp& op, const Refs& r);
    std::string boot();
    std::string param(const KernelOp& op);
    std::string endpoint(const KernelOp& op);
    std::string refusal(const KernelOp& op) const;
    std::string domain(const KernelOp& op, int ep);
    std::string vm_create(const KernelOp& op, int ep);
    std::string vm_op(const KernelOp& op, Vm& vm);
    std::string veventq_read(const KernelOp& op, Vm& vm);
    std::string vevent_smmu_read(const KernelOp& op, Vm& vm);
    std::string guest_stage1(const KernelOp& op, Vm& vm);
    std::string guest_map(const KernelOp& op, Vm& vm);
    std::string guest_cmd(const KernelOp& op, Vm& vm);
    std::string guest_wait(const KernelOp& op, Vm& vm);
    // trapped_ops.cc: a trapped VM's guest queue operations.
    std::string trapped_op(const KernelOp& op, Vm& vm);
    void add_trapped(const std::string& name, Vm& vm);
    // dma_op.cc
    std::string dma(const KernelOp& op);
    std::string wait_event_thread(uint64_t disposed_before, unsigned events);
    std::string take_event_dumps(const KernelOp& op, uint32_t sid, const DmaTransfer& r, size_t nlog);

    std::vector<std::string> complaints_since(size_t nfail, size_t nlog) const;
    // `taken`: the log lines since the operation began that it took as its
    // own (a dma's event lines), not complaints.
    std::string judge_complaints(const std::vector<std::string>& complaints, const std::string& expect_log,
                                 const std::vector<std::string>& taken = {}) const;
    // `enabled`: the VINTFs (bit v: VINTF v) the operation enabled.
    void note_vintf_owners(uint64_t enabled, const std::string& who);

    KernelShim& ks_;
    Soc& soc_;
    VintfWatch vintfs_;  // which VINTFs are enabled (note_vintf_owners)
    // The kernel's complaints up to here are judged: what an interrupt
    // thread logs between two operations is judged with the next one.
    size_t judged_fail_, judged_log_;
    bool booted_ = false;
    std::map<std::string, int> endpoints_;
    std::map<std::string, uint32_t> endpoint_sid_;  // an endpoint's first stream ID: its DMA's
    // PCI functions with ATS: their DMA goes through their ATC while the
    // driver has ATS enabled (dma_op.cc).
    std::map<std::string, std::unique_ptr<endpoint::AtsEndpoint>> ats_endpoints_;
    // Log records an operation judged itself (the driver's reports of the
    // events its DMA caused): not complaints.
    std::set<size_t> taken_log_;
    std::map<std::string, int> domains_;
    std::map<std::string, int> domain_endpoint_;
    std::map<std::string, std::unique_ptr<Vm>> vms_;
    // Trapped VMs (viommu=arm-smmuv3): their statistics, kept for the run
    // (by VM name), and their emulated command queues (while they exist).
    const VmCosts costs_;
    std::map<std::string, std::unique_ptr<TrapStats>> trap_stats_;
    std::map<std::string, std::unique_ptr<TrappedCmdq>> trapped_;
    std::map<unsigned, std::string> vintf_owners_;  // see note_vintf_owners()
};

}  // namespace smmusim::kshim
