// SPDX-License-Identifier: GPL-2.0-only
// A trapped guest's emulated SMMU command queue and the VMM's handling of
// its traps (trapped_cmdq.h).
#include "trapped_cmdq.h"

#include <cerrno>

#include "driver/sequences.h"
#include "smmuv3/commands.h"
#include "smmuv3/smmuv3_regs.h"

namespace smmusim::kshim {

namespace {
// What a trapped-path spin is charged to when the watchdog names it.
void vm_transition() {}
}  // namespace

// CPU time outside the kernel code (the exit, the VMM, the entry): the CPU is
// busy, as in a udelay().
bool TrappedCmdq::spend(uint64_t ns, Counter& cycles)
{
    const uint64_t t0 = clock_.now();
    if (ns)
        ks_.run([&] { ks_.spin_from(sc_core::sc_time(static_cast<double>(ns), sc_core::SC_NS),
                                    reinterpret_cast<const void*>(&vm_transition)); });
    cycles += clock_.now() - t0;
    return !ks_.time_ran_out();
}

template <class Handle> bool TrappedCmdq::trap(Handle handle)
{
    stats_.traps++;
    if (!spend(costs_.exit_ns, stats_.exit_cycles) || !spend(costs_.dispatch_ns, stats_.dispatch_cycles))
        return false;
    handle();
    return !ks_.time_ran_out() && spend(costs_.entry_ns, stats_.entry_cycles);
}

uint32_t TrappedCmdq::cons() const { return cons_ | static_cast<uint32_t>(smmuv3::q::CONS_ERR.put(cons_err_)); }

int TrappedCmdq::enable(uint64_t gpa, unsigned log2size)
{
    const uint64_t bytes = uint64_t{smmuv3::kCmdBytes} << log2size;
    uint8_t probe = 0;
    if (!vm_.guest_read(gpa, &probe, 1) || !vm_.guest_read(gpa + bytes - 1, &probe, 1))
        return -EFAULT;
    // SMMU_CMDQ_BASE, then CR0.CMDQEN (IHI 0070 6.3.9, 6.3.26): the VMM
    // records the queue and acknowledges in CR0ACK.
    const bool ok = trap([&] {
        base_ = gpa;
        geom_ = smmuv3::QueueGeometry{log2size};
    }) && trap([&] {
        enabled_ = true;
        prod_ = prod_reg_ = cons_ = 0;
        cons_err_ = 0;
    });
    return ok ? 0 : -ETIME;
}

int TrappedCmdq::put(uint64_t dw0, uint64_t dw1)
{
    if (!enabled_)
        return -ENOENT;
    if (geom_.full(prod_, cons_))
        return -ENOSPC;
    GuestBus bus = vm_.guest_bus();
    bool in_ram = false;
    const uint32_t prod = driver::write_commands(bus, base_, geom_.log2size, prod_, {{dw0, dw1}}, &in_ram);
    if (!in_ram)
        return -EFAULT;
    prod_ = prod;
    return 0;
}

int TrappedCmdq::doorbell()
{
    if (!enabled_)
        return -ENOENT;
    const uint64_t t0 = clock_.now();
    const bool ok = trap([&] {
        prod_reg_ = prod_;
        consume();
    });
    if (!ok)
        return -ETIME;
    stats_.latency.add(clock_.now() - t0);
    return 0;
}

int TrappedCmdq::wait_consumed(uint64_t timeout_ns)
{
    if (!enabled_)
        return -ENOENT;
    if (error())
        return -EIO;
    if (geom_.empty(prod_, cons_))
        return 0;
    if (!ks_.idle(sc_core::sc_time(static_cast<double>(timeout_ns), sc_core::SC_NS)))
        return -ETIME;
    return -ETIMEDOUT;
}

int TrappedCmdq::skip_error()
{
    if (!enabled_)
        return -ENOENT;
    if (!error())
        return 0;
    GuestBus bus = vm_.guest_bus();
    driver::write_commands(bus, base_, geom_.log2size, cons_,
                           {{smmuv3::cmdf::OPCODE.put(smmuv3::OP_CMD_SYNC), 0}});  // CS = NONE
    // GERRORN: the VMM takes the acknowledgement and resumes the queue at
    // CONS, as the SMMU does once the error is acknowledged (IHI 0070 7.1).
    const bool ok = trap([&] {
        gerrorn_ = gerror_;
        cons_err_ = smmuv3::CERROR_NONE;
        consume();
    });
    return ok ? 1 : -ETIME;
}

// ---- the VMM --------------------------------------------------------------

void TrappedCmdq::command_error(uint8_t cerror)
{
    cons_err_ = cerror;
    gerror_ ^= static_cast<uint32_t>(smmuv3::gerror::CMDQ_ERR.mask());
    stats_.cerrors++;
}

void TrappedCmdq::complete_sync(const std::array<uint64_t, 2>& cmd)
{
    namespace f = smmuv3::cmdf;
    const uint64_t msiaddr = cmd[1] & f::SYNC_MSIADDR.mask();
    if (f::SYNC_CS.get(cmd[0]) != f::CS_IRQ || !msiaddr)
        return;
    const auto data = static_cast<uint32_t>(f::SYNC_MSIDATA.get(cmd[0]));
    GuestBus bus = vm_.guest_bus();
    if (bus.store(msiaddr, &data, sizeof(data)))
        return;
    // An address outside guest RAM: the write aborts and is dropped; the
    // CMD_SYNC still completes and the emulated SMMU activates
    // GERROR.MSI_CMDQ_ABT_ERR (unless it is active), as the host SMMU does
    // (IHI 0070 6.3.19 SMMU_GERROR).
    const auto abt = static_cast<uint32_t>(smmuv3::gerror::MSI_CMDQ_ABT_ERR.mask());
    if (((gerror_ ^ gerrorn_) & abt) == 0)
        gerror_ ^= abt;
    stats_.msi_aborts++;
}

bool TrappedCmdq::flush(std::vector<std::array<uint64_t, 2>>& batch)
{
    if (batch.empty())
        return true;
    stats_.ioctls++;
    const uint64_t t0 = clock_.now();
    uint32_t done = 0;
    const int r = vm_.invalidate(batch, &done);
    stats_.ioctl_cycles += clock_.now() - t0;
    last_ = Invalidation{r, static_cast<uint32_t>(batch.size()), done};
    stats_.forwarded += done;
    cons_ = geom_.inc(cons_, done);
    batch.clear();
    if (r == 0)
        return true;
    stats_.ioctl_errors++;
    command_error(smmuv3::CERROR_ILL);
    return false;
}

void TrappedCmdq::consume()
{
    if (error())
        return;  // stopped at an error until GERRORN acknowledges it
    std::vector<std::array<uint64_t, 2>> batch;
    for (uint32_t p = cons_; !geom_.empty(prod_reg_, p); p = geom_.inc(p)) {
        std::array<uint64_t, 2> cmd{};
        spend(costs_.per_cmd_ns, stats_.dispatch_cycles);
        if (!vm_.guest_read(base_ + uint64_t{geom_.idx(p)} * smmuv3::kCmdBytes, cmd.data(), sizeof(cmd))) {
            flush(batch);  // the queue left guest RAM: a fetch abort for the guest
            command_error(smmuv3::CERROR_ABT);
            return;
        }
        const auto op = smmuv3::cmdf::OPCODE.get(cmd[0]);
        const bool vmm_own = op == smmuv3::OP_CMD_SYNC || op == smmuv3::OP_CFGI_STE || op == smmuv3::OP_CFGI_STE_RANGE ||
                             op == smmuv3::OP_PREFETCH_CONFIG || op == smmuv3::OP_PREFETCH_ADDR;
        if (!vmm_own) {
            batch.push_back(cmd);
            continue;
        }
        if (!flush(batch))
            return;
        if (op == smmuv3::OP_CMD_SYNC)
            complete_sync(cmd);
        stats_.handled++;
        cons_ = geom_.inc(cons_);
    }
    flush(batch);
}

}  // namespace smmusim::kshim
