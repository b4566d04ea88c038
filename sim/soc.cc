// SPDX-License-Identifier: GPL-2.0-only
#include "soc.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "player_params.h"

namespace smmusim {

void declare_all_params(Config& cfg)
{
    PlatformParams::declare(cfg);
    MemoryParams::declare(cfg);
    BusParams::declare(cfg);
    Smmuv3Params::declare(cfg);
    CmdqvParams::declare(cfg);
    retire_cmdqv_params(cfg);
    PlayerParams::declare(cfg);
}

namespace {

// One address range of the memory map, named by the key of its base.
struct Window {
    const char* key;
    uint64_t base, size, align;
    std::string str() const { return fmt::format("{} [{:#x}, +{:#x})", key, base, size); }
};

// Every window inside the PA space, aligned, and no two overlapping (the
// router would refuse it during elaboration, which SystemC cannot undo).
void check_memory_map(const Config& cfg)
{
    const PlatformParams pp = PlatformParams::load(cfg);
    const MemoryParams mp = MemoryParams::load(cfg);
    const CmdqvParams cp = CmdqvParams::load(cfg);
    std::vector<Window> w = {
        {"platform.smmu_base", pp.smmu_base, smmuv3::kRegSpaceSize, 0x10000},  // 64 KiB register pages
        {"platform.msi_base", pp.msi_base, kMsiWindowSize, 0x10000},
        {"mem.dram_base", mp.dram_base, mp.dram_size, 0x1000},  // the kernel's pages
    };
    if (cp.present)
        w.push_back({"platform.cmdqv_base", pp.cmdqv_base, cmdqv::space_size(1u << cp.vintfs_log2), 0x10000});
    const uint64_t pa_end = 1ull << mp.pa_bits;
    for (const Window& a : w) {
        if (a.base % a.align || (a.key == std::string("mem.dram_base") && mp.dram_size % a.align))
            throw ConfigError(fmt::format("{} is not {} KiB-aligned{}", a.str(), a.align >> 10,
                                          a.key == std::string("mem.dram_base") ? " (mem.dram_base, mem.dram_size)"
                                                                                : ""));
        if (a.base >= pa_end || pa_end - a.base < a.size)
            throw ConfigError(fmt::format("{} leaves the {}-bit PA space (mem.pa_bits)", a.str(), mp.pa_bits));
    }
    for (size_t i = 0; i < w.size(); i++)
        for (size_t j = i + 1; j < w.size(); j++)
            if (w[i].base < w[j].base + w[j].size && w[j].base < w[i].base + w[i].size)
                throw ConfigError(fmt::format("{} overlaps {}", w[i].str(), w[j].str()));
}

// Interrupt numbers: the SMMU's wired lines and the CMDQV's are distinct.
void check_irqs(const Config& cfg)
{
    const PlatformParams pp = PlatformParams::load(cfg);
    const uint64_t first = pp.smmu_irq_base, last = first + Soc::kSmmuIrqLines - 1;
    if (CmdqvParams::load(cfg).present && pp.cmdqv_irq >= first && pp.cmdqv_irq <= last)
        throw ConfigError(fmt::format("platform.cmdqv_irq = {} is one of the SMMU's interrupts {}..{} "
                                      "(platform.smmu_irq_base = {})",
                                      pp.cmdqv_irq, first, last, first));
}

}  // namespace

void validate_config(const Config& cfg)
{
    const Smmuv3Params sp = Smmuv3Params::load(cfg);
    const MemoryParams mp = MemoryParams::load(cfg);
    if (mp.pa_bits > sp.oas_bits)
        throw ConfigError(fmt::format("mem.pa_bits = {} exceeds smmu.idr.oas_bits = {}", mp.pa_bits, sp.oas_bits));
    Smmuv3::validate(sp);
    Cmdqv::validate(CmdqvParams::load(cfg));
    check_memory_map(cfg);
    check_irqs(cfg);
}

Soc::Soc(sc_core::sc_module_name name, const Config& cfg)
    : sc_module(name), cpu_bus("cpu_bus"), cfg_(cfg), pp_(PlatformParams::load(cfg))
{
    validate_config(cfg);
    const Smmuv3Params sp = Smmuv3Params::load(cfg);
    MemoryParams mp = MemoryParams::load(cfg);

    smmu_clk_ = std::make_unique<ClockDomain>("smmu", sp.clock_mhz);
    fabric_clk_ = std::make_unique<ClockDomain>("fabric", pp_.fabric_mhz);
    mem_ = std::make_unique<Memory>("dram", *fabric_clk_, mp);
    mem_->add_region(mp.dram_base, mp.dram_size);
    bus_ = std::make_unique<Router>("bus", *fabric_clk_, BusParams::load(cfg));
    irqc_ = std::make_unique<IrqController>("irqc");
    smmu_ = std::make_unique<Smmuv3>("smmu", *smmu_clk_, sp);

    dma_ = std::make_unique<DmaRequester>("dma", *smmu_clk_);

    cpu_bus.bind(bus_->in);
    smmu_->dma.bind(bus_->in);
    dma_->socket.bind(smmu_->upstream);
    bus_->map("dram", mp.dram_base, mp.dram_size, false).bind(mem_->socket);
    bus_->map("smmu", pp_.smmu_base, smmuv3::kRegSpaceSize).bind(smmu_->regs);
    bus_->map("msi", pp_.msi_base, kMsiWindowSize).bind(irqc_->msi);

    static const char* names[] = {"smmu-eventq", "smmu-priq", "smmu-gerror", "smmu-cmdq-sync", "smmu-combined"};
    Smmuv3::Irqs irqs;
    IrqLine* lines[] = {&irqs.eventq, &irqs.priq, &irqs.gerror, &irqs.cmdq_sync, &irqs.combined};
    for (unsigned i = 0; i < kSmmuIrqLines; i++) {
        irqc_->configure(smmu_irq(static_cast<SmmuIrq>(i)), IrqController::Trigger::Edge, names[i]);
        *lines[i] = IrqLine(irqc_.get(), smmu_irq(static_cast<SmmuIrq>(i)));
    }
    smmu_->connect_irqs(irqs);

    const CmdqvParams cp = CmdqvParams::load(cfg);
    // The longest a CPU's MMIO access takes: the interconnect, then the
    // slowest target (register latency, or DRAM's latency and one beat),
    // each rounded up to its clock's edge.
    const BusParams bp = BusParams::load(cfg);
    const uint64_t reg = std::max(sp.reg_cycles, cp.reg_cycles) + 1;
    mmio_bound_ = fabric_clk_->cycles(bp.latency_cycles + 1) +
                  std::max(smmu_clk_->cycles(reg), fabric_clk_->cycles(mp.latency_cycles + 2));
    if (cp.present) {
        cmdqv_ = std::make_unique<Cmdqv>("cmdqv", *smmu_clk_, cp, *smmu_);
        cmdqv_->dma.bind(bus_->in);
        bus_->map("cmdqv", pp_.cmdqv_base, cmdqv_->size()).bind(cmdqv_->regs);
        irqc_->configure(static_cast<unsigned>(pp_.cmdqv_irq), IrqController::Trigger::Edge, "cmdqv");
        cmdqv_->connect_irq(IrqLine(irqc_.get(), static_cast<unsigned>(pp_.cmdqv_irq)));
    }
}

Soc::~Soc() = default;

bool Soc::timed_access(bool write, uint64_t addr, unsigned size, uint64_t* value, sc_core::sc_time lead)
{
    // The targets wait out an access's latency inside the transport; past
    // the end of simulated time that wait cannot advance (SystemC's 64-bit
    // time), so a CPU would poll on in frozen time. An access is started
    // only while the longest one fits; otherwise the run ends here, as
    // FORMAT.md says of simulated time at its end. An access issued `lead`
    // ahead starts then: it is judged as a CPU that waited first finds it.
    if (max_time() - time_stamp() < mmio_bound_ + lead) {
        if (lead != sc_core::SC_ZERO_TIME)
            sc_core::wait(lead);
        const sc_core::sc_time now = time_stamp();
        const sc_core::sc_time left = max_time() - now;
        time_ended_ = fmt::format("the MMIO {} of {:#x} at SMMU cycle {} cannot complete: {} ps of simulated time "
                                  "are left (it ends at 2^64 - 1 ps), and an access may take {} ps",
                                  write ? "write" : "read", addr, smmu_clk_->to_cycles(now), left.value(),
                                  mmio_bound_.value());
        sc_core::sc_stop();
        sc_core::wait(never_);  // this CPU stops here for good
    }
    sc_core::sc_time delay = lead;  // the targets wait it with their latency
    const bool ok = bus_access_timed(cpu_bus, pool_, write, addr, value, size, delay);
    if (delay != sc_core::SC_ZERO_TIME)
        sc_core::wait(delay);
    return ok;
}

BoardFirmware Soc::firmware() const
{
    BoardFirmware fw;
    fw.smmu_base = pp_.smmu_base;
    fw.smmu_size = smmuv3::kRegSpaceSize;
    fw.smmu_irq_eventq = smmu_irq(IRQ_EVENTQ);
    fw.smmu_irq_gerror = smmu_irq(IRQ_GERROR);
    fw.smmu_coherent = smmu_->params().coherent;
    fw.has_cmdqv = has_cmdqv();
    if (fw.has_cmdqv) {
        fw.cmdqv_base = pp_.cmdqv_base;
        fw.cmdqv_size = cmdqv_->size();
        fw.cmdqv_irq = static_cast<unsigned>(pp_.cmdqv_irq);
    }
    return fw;
}

bool Soc::mmio_read(uint64_t addr, unsigned size, uint64_t& value)
{
    value = 0;
    return timed_access(false, addr, size, &value);
}

bool Soc::mmio_write(uint64_t addr, unsigned size, uint64_t value)
{
    return timed_access(true, addr, size, &value);
}

bool Soc::mmio_read_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t& value)
{
    value = 0;
    return timed_access(false, addr, size, &value, lead);
}

bool Soc::mmio_write_after(sc_core::sc_time lead, uint64_t addr, unsigned size, uint64_t value)
{
    return timed_access(true, addr, size, &value, lead);
}

}  // namespace smmusim
