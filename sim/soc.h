// SPDX-License-Identifier: GPL-2.0-only
// The simulated platform: clocks, DRAM, the interconnect, the interrupt
// controller and the SMMU, wired as one memory map. Tests, the trace player
// and the kernel shim all build this one object from a Config.
//
// Memory map (all bases are parameters):
//   platform.msi_base    64 KiB   MSI doorbell (IrqController)
//   platform.smmu_base  128 KiB   SMMUv3 page 0 + page 1
//   platform.cmdqv_base           Tegra241 CMDQV (if cmdqv.present)
//   mem.dram_base       mem.dram_size  DRAM
// Bus masters: the CPU port (`cpu_bus`, for MMIO) and the SMMU's DMA port
// share one router, so a CPU can reach DRAM and a device can reach the MSI
// doorbell. Endpoints' DMA (`dma`, a DmaRequester) enters the SMMU's
// upstream port and reaches the router only as the SMMU's translated
// accesses.
#pragma once

#include <memory>
#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "cmdqv/cmdqv.h"
#include "platform/board.h"
#include "platform/bus_access.h"
#include "platform/clock.h"
#include "platform/dma_requester.h"
#include "platform/irq.h"
#include "platform/memory.h"
#include "platform/params.h"
#include "platform/router.h"
#include "smmuv3/smmuv3.h"

namespace smmusim {

#define SMMUSIM_PLATFORM_PARAMS(X)                                                                          \
    X(uint64_t, smmu_base, "platform.smmu_base", 0x10000000ull, 0, (1ull << 48) - 1, "address",             \
      "MMIO base of the SMMUv3 (128 KiB)", "platform choice")                                               \
    X(uint64_t, cmdqv_base, "platform.cmdqv_base", 0x20000000ull, 0, (1ull << 48) - 1, "address",          \
      "MMIO base of the CMDQV (192 KiB + 128 KiB per VINTF)", "platform choice")                            \
    X(uint64_t, cmdqv_irq, "platform.cmdqv_irq", 110, 0, 100000, "irq", "the CMDQV's error interrupt (edge)", \
      "platform choice")                                                                                    \
    X(uint64_t, msi_base, "platform.msi_base", 0x08000000ull, 0, (1ull << 48) - 1, "address",               \
      "MSI doorbell window (64 KiB); a 32-bit write raises the interrupt its data names", "platform choice") \
    X(uint64_t, smmu_irq_base, "platform.smmu_irq_base", 100, 0, 100000, "irq",                             \
      "first of the SMMU's wired lines: eventq, priq, gerror, cmdq-sync, combined", "platform choice")       \
    X(uint64_t, fabric_mhz, "platform.fabric_mhz", 1000, 1, 10000, "MHz",                                    \
      "interconnect and DRAM controller clock",                                                                \
      "assumed: 1 GHz, as smmu.clock_mhz, so bus and SMMU cycles coincide")

SMMUSIM_PARAM_STRUCT(PlatformParams, SMMUSIM_PLATFORM_PARAMS);

constexpr uint64_t kMsiWindowSize = 0x10000;  // platform.msi_base

// Declares every parameter of every model in `cfg`.
void declare_all_params(Config& cfg);
// Checks cross-parameter rules (the memory map: every window inside the PA
// space, aligned and overlapping no other; distinct interrupt numbers; the
// models' own rules); throws ConfigError naming the keys. Call it before
// building a Soc: a SystemC module whose constructor throws leaves the
// simulation kernel in a state it cannot recover from.
void validate_config(const Config& cfg);

// The Board (models/platform/board.h) the kernel shim runs on.
class Soc : public sc_core::sc_module, public Board {
public:
    explicit Soc(sc_core::sc_module_name name, const Config& cfg);
    ~Soc() override;

    // A CPU-side initiator bound to the router (MMIO and memory). One CPU:
    // the trace player and the kernel shim share this socket and its payload
    // pool. Several CPUs will need one initiator per CPU (a socket and pool
    // each, or a CPU id in the payload) and mmio_read/mmio_write told which.
    tlm_utils::simple_initiator_socket<Soc> cpu_bus;

    const Config& config() const { return cfg_; }
    const PlatformParams& params() const { return pp_; }
    ClockDomain& smmu_clock() override { return *smmu_clk_; }
    ClockDomain& fabric_clock() { return *fabric_clk_; }
    Memory& memory() override { return *mem_; }
    Router& bus() { return *bus_; }
    IrqController& irqc() override { return *irqc_; }
    Smmuv3& smmu() { return *smmu_; }
    bool has_cmdqv() const { return cmdqv_ != nullptr; }
    Cmdqv& cmdqv() { return *cmdqv_; }
    // The endpoints' DMA engine, bound to the SMMU's upstream port: the
    // trace's `dma` lines (and tests) issue DMA through it, from a thread.
    DmaRequester& dma_requester() { return *dma_; }

    enum SmmuIrq { IRQ_EVENTQ = 0, IRQ_PRIQ, IRQ_GERROR, IRQ_CMDQ_SYNC, IRQ_COMBINED };
    static constexpr unsigned kSmmuIrqLines = 5;  // from platform.smmu_irq_base on
    unsigned smmu_irq(SmmuIrq which) const { return static_cast<unsigned>(pp_.smmu_irq_base) + which; }

    // MMIO from a CPU thread, in simulated time. Returns false on a bus error.
    // An access that might take the CPU past the end of simulated time
    // (2^64 - 1 ps) is not started: the simulation stops (sc_stop), the
    // calling thread never returns, and time_ended() says why. So no CPU
    // (the trace player, kernel code) polls on in frozen time.
    bool mmio_read(uint64_t addr, unsigned size, uint64_t& value) override;
    bool mmio_write(uint64_t addr, unsigned size, uint64_t value) override;
    // `lead` is the transaction's annotated delay (the targets wait it with
    // their own latency: one wait).
    bool mmio_read_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t& value) override;
    bool mmio_write_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t value) override;
    const sc_core::sc_event& sev() override { return smmu_->sev(); }
    BoardFirmware firmware() const override;
    // "" or why the run stopped at the end of simulated time.
    const std::string& time_ended() const { return time_ended_; }

private:
    const Config& cfg_;
    PlatformParams pp_;
    std::unique_ptr<ClockDomain> smmu_clk_, fabric_clk_;
    std::unique_ptr<Memory> mem_;
    std::unique_ptr<Router> bus_;
    std::unique_ptr<IrqController> irqc_;
    std::unique_ptr<Smmuv3> smmu_;
    std::unique_ptr<Cmdqv> cmdqv_;
    std::unique_ptr<DmaRequester> dma_;
    PayloadPool pool_;
    std::string time_ended_;
    sc_core::sc_time mmio_bound_;  // the longest a CPU's MMIO access takes
    sc_core::sc_event never_;  // what a CPU out of simulated time waits for

    bool timed_access(bool write, uint64_t addr, unsigned size, uint64_t* value,
                      sc_core::sc_time lead = sc_core::SC_ZERO_TIME);
};

}  // namespace smmusim
