// SPDX-License-Identifier: GPL-2.0-only
// The trapped invalidation path of a VM whose vIOMMU is of type ARM_SMMUV3
// (arm_vsmmu_init: no VINTF, no HW queue): the guest's SMMU is the VMM's
// emulation, and its command queue lives in guest RAM. The guest stores
// commands there (no exit) and writes PROD, an MMIO access the VMM traps:
// VM exit -> the VMM reads the commands from guest RAM -> IOMMU_HWPT_INVALIDATE
// on the vIOMMU (the real iommufd core and arm_vsmmu_cache_invalidate, which
// checks each command, puts the VM's VMID and the physical SID in, and
// issues them on the host SMMU CMDQ with a CMD_SYNC) -> the VMM updates the
// emulated CONS -> VM entry. The transitions cost what vm_costs.h says; the
// kernel's part is the real code on the simulated CPU, costing its MMIO and
// waits and what the CPU cost model (cpu.*) charges for its instructions.
//
// What the VMM forwards (the kernel decides the rest): every command but
// CMD_SYNC, CFGI_STE, CFGI_STE_RANGE (CFGI_ALL) and PREFETCH_*, which the
// VMM completes itself: a CMD_SYNC is done once everything before it is
// (each IOMMU_HWPT_INVALIDATE returns after its own CMD_SYNC completed on
// the host), and one with CS = SIG_IRQ and an MSI address gets its MSI
// write of MSIData into guest RAM (the completion Linux's guest driver
// polls, ARM_SMMU_OPT_MSIPOLL; outside guest RAM the write aborts: dropped,
// GERROR.MSI_CMDQ_ABT_ERR, the CMD_SYNC still complete); the guest's STEs reach the kernel as a
// nested HWPT (`guest VM stage1`), so the VMM has nothing to re-read on a
// CFGI_STE; PREFETCH_* are hints. The commands between two of those go in
// one ioctl, in order.
//
// A command the kernel refuses (-EIO: an opcode or field it does not take,
// a vSID the vIOMMU has no vDEVICE for) makes the ioctl return its errno
// with entry_num = the entries before it; the VMM advances CONS by that
// many and reports CERROR_ILL to the guest as an SMMU would (IHI 0070 7.1:
// CONS indexes the bad command, CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR
// toggled; the queue stops until GERRORN acknowledges). Linux 7.3's
// arm_vsmmu_cache_invalidate counts in entry_num the commands it converted
// before the bad one, though the ones of that batch were never issued:
// the host executes none of them (tests/kernel_shim/trapped_test.cc).
//
// Not modelled: the emulated SMMU's other registers (only CMDQ_BASE, CR0's
// CMDQEN, PROD and GERRORN are written, each a trap), its event queue,
// a guest reading CONS (Linux's guest polls its CMD_SYNC's MSI word, which
// costs no exit), several vCPUs.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "platform/clock.h"
#include "trap_stats.h"
#include "vm_costs.h"
#include "vmm.h"

namespace smmusim::kshim {

class TrappedCmdq {
public:
    TrappedCmdq(KernelShim& ks, Vm& vm, const VmCosts& costs, TrapStats& stats, const ClockDomain& smmu_clock)
        : ks_(ks), vm_(vm), costs_(costs), stats_(stats), clock_(smmu_clock)
    {
    }

    // The emulated SMMU's IDR1.CMDQS (the largest queue, IHI 0070 6.3.2).
    static constexpr unsigned kMaxLog2Size = 19;
    // The guest's driver writes SMMU_CMDQ_BASE (`gpa`, `log2size`) and sets
    // CR0.CMDQEN: two traps. -EFAULT when the queue is not in guest RAM,
    // -ETIME when simulated time ran out.
    int enable(uint64_t gpa, unsigned log2size);
    // The guest stores one command at its PROD in guest RAM (no trap).
    // -ENOENT before enable(); -ENOSPC when the queue is full (it drains
    // only when PROD is written, so a full one has nothing rung left).
    int put(uint64_t dw0, uint64_t dw1);
    // The guest writes PROD: the trap and the VMM's handling, until the
    // guest runs again. 0 (a refused command is the guest's CONS.ERR, not
    // a failure), -ENOENT before enable(), -ETIME when time ran out.
    int doorbell();
    // The guest waits for its commands: 0 once CONS = PROD, -EIO at a
    // command error; else the guest polls for `timeout_ns` in vain
    // (nothing more happens before it writes PROD): -ETIMEDOUT.
    int wait_consumed(uint64_t timeout_ns);
    // The guest's recovery (arm_smmu_cmdq_skip_err): the command at CONS
    // becomes a CMD_SYNC, then GERRORN acknowledges (a trap), and the VMM
    // resumes the queue. 1 if there was an error, 0 if not, -errno.
    int skip_error();

    bool enabled() const { return enabled_; }
    // GERROR.CMDQ_ERR != GERRORN.CMDQ_ERR.
    bool error() const { return ((gerror_ ^ gerrorn_) & 1) != 0; }
    // The emulated SMMU_CMDQ_CONS: the pointer with CONS.ERR (bits 30:24).
    uint32_t cons() const;
    // CONS.ERR alone (a CERROR_* code; 0 after enable() though error()
    // may still hold: GERROR.CMDQ_ERR waits for GERRORN).
    uint8_t cons_err() const { return cons_err_; }
    uint32_t prod() const { return prod_; }

    // The last IOMMU_HWPT_INVALIDATE: its result, the entries sent and the
    // entry_num the kernel returned.
    struct Invalidation {
        int result = 0;
        uint32_t sent = 0, done = 0;
    };
    const Invalidation& last_invalidation() const { return last_; }

private:
    // A guest access to the emulated SMMU: exit, the VMM's dispatch,
    // `handle`, entry. False when simulated time ran out.
    template <class Handle> bool trap(Handle handle);
    bool spend(uint64_t ns, Counter& cycles);
    // The VMM consumes [CONS, PROD) as above; stops at a refused command.
    void consume();
    // IOMMU_HWPT_INVALIDATE of `batch`, which starts at CONS; false when
    // the kernel refused a command (the error is then the guest's).
    bool flush(std::vector<std::array<uint64_t, 2>>& batch);
    void complete_sync(const std::array<uint64_t, 2>& cmd);
    // The queue stops at CONS with CONS.ERR = `cerror`, GERROR.CMDQ_ERR toggled.
    void command_error(uint8_t cerror);

    KernelShim& ks_;
    Vm& vm_;
    const VmCosts costs_;  // a copy: the caller's may be a temporary
    TrapStats& stats_;
    const ClockDomain& clock_;
    bool enabled_ = false;
    uint64_t base_ = 0;
    smmuv3::QueueGeometry geom_{0};
    uint32_t prod_ = 0;      // the guest's software PROD (index | wrap)
    uint32_t prod_reg_ = 0;  // the emulated SMMU_CMDQ_PROD: what the guest last wrote
    uint32_t cons_ = 0;      // the emulated SMMU_CMDQ_CONS's pointer
    uint8_t cons_err_ = 0;   // its ERR field
    uint32_t gerror_ = 0, gerrorn_ = 0;
    Invalidation last_;
};

}  // namespace smmusim::kshim
