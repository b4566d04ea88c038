// SPDX-License-Identifier: GPL-2.0-only
#include "options.h"

namespace smmusim::kshim {

void declare_kernel_params(Config& cfg)
{
    KernelParams::declare(cfg);
    CpuParams::declare(cfg);       // the CPU cost model's (cpu_cost.h)
    EndpointParams::declare(cfg);  // the PCI endpoints' (models/endpoint/endpoint_params.h)
}

ShimOptions shim_options(const Config& cfg)
{
    const KernelParams p = KernelParams::load(cfg);
    ShimOptions o;
    o.cpu_relax_ns = p.cpu_relax_ns;
    o.wfe_timeout_ns = p.wfe_timeout_ns;
    o.endpoint = EndpointParams::load(cfg);
    o.cpu = CpuParams::load(cfg);
    return o;
}

}  // namespace smmusim::kshim
