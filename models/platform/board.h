// SPDX-License-Identifier: GPL-2.0-only
// The board as software running on its CPU sees it: the narrow view of a
// platform that a CPU-side model (the kernel shim today, a CPU model
// tomorrow) depends on instead of the whole platform and trace library.
//
//   memory       DRAM, by physical address and as host memory
//   MMIO         a CPU's register accesses, in simulated time
//   interrupts   the controller's lines (assertion count + event)
//   SEV          the event that sets a CPU's event register (WFE)
//   clock        the SMMU's clock, to count the cycles a call took
//   firmware     the device-tree facts: where the SMMU and the CMDQV are,
//                how large, on which interrupts
//
// It lives with the platform models because it is written in their types
// (Memory, IrqController, ClockDomain), and so a platform anywhere (sim/'s
// Soc, an out-of-tree SystemC platform) can implement it without the shim
// knowing it.
#pragma once

#include <cstdint>

#include <systemc>

#include "clock.h"
#include "irq.h"
#include "memory.h"

namespace smmusim {

// What firmware (a device tree) tells the kernel about the IOMMUs.
struct BoardFirmware {
    uint64_t smmu_base = 0, smmu_size = 0;  // reg of the arm,smmu-v3 node
    unsigned smmu_irq_eventq = 0, smmu_irq_gerror = 0;
    bool smmu_coherent = false;  // "dma-coherent"
    bool has_cmdqv = false;      // an nvidia,tegra264-cmdqv node exists
    uint64_t cmdqv_base = 0, cmdqv_size = 0;
    unsigned cmdqv_irq = 0;
};

class Board {
public:
    virtual ~Board() = default;

    virtual Memory& memory() = 0;
    // MMIO from a CPU thread, in simulated time; false on a bus error.
    virtual bool mmio_read(uint64_t addr, unsigned size, uint64_t& value) = 0;
    virtual bool mmio_write(uint64_t addr, unsigned size, uint64_t value) = 0;
    // The same, issued `lead` after the current time by a CPU that ran
    // ahead of the kernel's clock (quiet.h): the access takes effect when it
    // would have had the CPU waited `lead` first, and the call returns once
    // it completed. By default that wait, then the access; a platform that
    // can annotate the lead on the transaction (TLM-2.0's delay) saves the
    // wait.
    virtual bool mmio_read_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t& value)
    {
        if (lead != sc_core::SC_ZERO_TIME)
            sc_core::wait(lead);
        return mmio_read(addr, size, value);
    }
    virtual bool mmio_write_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t value)
    {
        if (lead != sc_core::SC_ZERO_TIME)
            sc_core::wait(lead);
        return mmio_write(addr, size, value);
    }
    virtual IrqController& irqc() = 0;
    // Notified whenever a device sends SEV (the SMMU's, on CMD_SYNC).
    virtual const sc_core::sc_event& sev() = 0;
    virtual ClockDomain& smmu_clock() = 0;
    virtual BoardFirmware firmware() const = 0;
};

}  // namespace smmusim
