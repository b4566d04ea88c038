// SPDX-License-Identifier: GPL-2.0-only
// Registers the kernel shim as the program's kernel-level operations provider
// (sim/kernel_ops_provider.h): every program that links smmusim_kernel_vmm
// (linked whole) runs kernel-level traces through the real Linux code.
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "kernel_shim.h"
#include "options.h"
#include "probe_dma_budget.h"
#include "kernel_ops_provider.h"
#include "kernel_trace_ops.h"
#include "smmuv3/translation/set_assoc.h"
#include "soc.h"
#include "vm_costs.h"

namespace smmusim::kshim {

namespace {

// A KernelShim on the run's platform and the trace operations it executes.
class ShimKernel final : public KernelInstance {
public:
    explicit ShimKernel(Soc& soc)
        : shim_(soc, shim_options(soc.config())), ops_(shim_, soc, VmCosts::load(soc.config()))
    {
    }
    KernelOps& ops() override { return ops_; }
    size_t cpu_stack_bytes() const override { return shim_.options().stack_bytes; }
    std::string failures_text() const override
    {
        return shim_.failures().empty() ? std::string() : shim_.failures_text() + shim_.dmesg();
    }

private:
    KernelShim shim_;
    KernelTraceOps ops_;
};

class ShimProvider final : public KernelOpsProvider {
public:
    // kernel.*: the CPU-side timing figures; endpoint.*: the PCI
    // functions' ATS figures (host/options.h); vm.*: the trapped path's.
    void declare_params(Config& cfg) const override
    {
        declare_kernel_params(cfg);
        VmCosts::declare(cfg);  // vm.*: a trapped VM's exits, entries and VMM dispatch (vm_costs.h)
    }
    // The kernel shim's DMA pool must lie inside DRAM and hold what the
    // drivers allocate at probe, and the endpoints' ATC geometry be whole
    // sets (checked before the shim is built, naming the key to change).
    std::string check_config(const Config& cfg) const override
    {
        const ShimOptions ko = shim_options(cfg);
        try {
            smmuv3::check_geometry("endpoint.atc", {ko.endpoint.atc_entries, ko.endpoint.atc_ways});
        } catch (const ConfigError& e) {
            return e.what();
        }
        const uint64_t need = ko.dma_offset + ko.dma_size;
        if (cfg.u64("mem.dram_size") >= need)
            return check_probe_dma_budget(cfg, ko.dma_size);
        return fmt::format("mem.dram_size = {:#x} is too small for kernel-level operations: the kernel shim's DMA "
                           "pool is [DRAM + {:#x}, +{:#x}), so DRAM needs at least {:#x} bytes",
                           cfg.u64("mem.dram_size"), ko.dma_offset, ko.dma_size, need);
    }
    // The DMA pool (host/host.h DramLayout): page tables, queues, stream tables.
    std::vector<std::pair<uint64_t, uint64_t>> kernel_memory(const Config& cfg) const override
    {
        const ShimOptions ko = shim_options(cfg);
        return {{cfg.u64("mem.dram_base") + ko.dma_offset, ko.dma_size}};
    }
    std::unique_ptr<KernelInstance> create(Soc& soc) const override { return std::make_unique<ShimKernel>(soc); }
    std::string describe() const override { return "Linux " SMMUSIM_KERNEL_VERSION " from " SMMUSIM_KERNEL_TREE; }
    std::vector<std::string> module_params() const override { return KernelShim::module_param_names(); }
    std::string check_module_param(const std::string& name, const std::string& value) const override
    {
        return KernelShim::check_module_param(name, value);
    }
};

const ShimProvider provider;
[[maybe_unused]] const bool registered = (register_kernel_ops_provider(provider), true);

}  // namespace

}  // namespace smmusim::kshim
