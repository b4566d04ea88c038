// SPDX-License-Identifier: GPL-2.0-only
#include "devices.h"

#include <cerrno>

#include <fmt/format.h>

#include "host.h"
#include "smmusim/kernel.h"

namespace smmusim::kshim {

void* at_index(const std::vector<void*>& v, int i)
{
    return i >= 0 && static_cast<size_t>(i) < v.size() ? v[static_cast<size_t>(i)] : nullptr;
}

void Devices::boot()
{
    if (booted_)
        return;
    booted_ = true;
    // What built-in code allocates while it initialises lives as long as
    // the kernel (kobjects, bus notifiers, caches): not counted as live.
    h_.kmem.set_booting(!initcalls_done_);
    h_.run([this] {
        if (!initcalls_done_)
            smmusim_kernel_early_init();
        smmusim_run_initcalls(initcalls_done_);
    });
    h_.kmem.set_booting(false);
    initcalls_done_ = true;
}

void Devices::shutdown_drivers()
{
    if (!booted_)
        return;
    booted_ = false;
    h_.run([] { smmusim_run_exitcalls(); });
}

// No driver binds to it: the SMMU driver finds it by phandle.
void* Devices::add_cmdqv(const std::string& node)
{
    const BoardFirmware fw = h_.board.firmware();
    smmusim_cmdqv_desc cd{};
    cd.base = fw.cmdqv_base;
    cd.size = fw.cmdqv_size;
    cd.irq = fw.cmdqv_irq;
    cd.node_name = node.c_str();
    cmdqv_pdev_ = smmusim_cmdqv_device_create(&cd);
    if (cmdqv_pdev_)
        smmusim_platform_device_add(cmdqv_pdev_);
    return cmdqv_pdev_;
}

int Devices::probe_smmu()
{
    boot();
    const BoardFirmware fw = h_.board.firmware();
    smmusim_smmu_desc d{};
    d.base = fw.smmu_base;
    d.size = fw.smmu_size;
    d.irq_eventq = fw.smmu_irq_eventq;
    d.irq_gerror = fw.smmu_irq_gerror;
    d.dma_coherent = fw.smmu_coherent;
    const std::string node = fmt::format("/iommu@{:x}", fw.smmu_base);
    d.node_name = node.c_str();
    const std::string cnode = fmt::format("/cmdqv@{:x}", fw.cmdqv_base);
    const bool with_cmdqv = h_.opts.cmdqv_node && fw.has_cmdqv;
    int ret = 1;
    h_.run([&] {
        if (with_cmdqv && !(d.cmdqv = add_cmdqv(cnode))) {
            ret = -ENOMEM;
            return;
        }
        smmu_pdev_ = smmusim_smmu_device_create(&d);
        if (!smmu_pdev_) {
            ret = -ENOMEM;
            return;
        }
        smmu_fwnode_ = smmusim_device_fwnode(smmu_pdev_);
        const uint64_t t0 = h_.board.smmu_clock().now();
        ret = smmusim_platform_device_add(smmu_pdev_);
        probe_cycles_ = h_.board.smmu_clock().now() - t0;
    });
    return ret;
}

void Devices::destroy(void*& pdev)
{
    if (!pdev)
        return;
    void* p = pdev;
    pdev = nullptr;
    h_.run([p] { smmusim_platform_device_destroy(p); });
}

// Endpoints first (device_del: the iommu core releases them from their
// groups), then as platform_device_unregister(): unbind (the driver's
// remove, then its devres), then the device goes; then the driver is
// unregistered. Domains still allocated are the caller's leak.
void Devices::remove_smmu()
{
    for (auto& ep : endpoints_)
        destroy(ep);
    destroy(smmu_pdev_);
    destroy(cmdqv_pdev_);
    shutdown_drivers();
}

int Devices::set_module_param(const std::string& name, const std::string& value)
{
    int ret = -ENOENT;
    h_.run([&] { ret = smmusim_kernel_param_set(name.c_str(), value.c_str()); });
    return ret;
}

int Devices::add_endpoint(const std::string& name, const std::vector<uint32_t>& sids)
{
    if (!smmu_pdev_)
        return -ENODEV;
    if (sids.empty() || sids.size() > SMMUSIM_MAX_ENDPOINT_SIDS)
        return -EINVAL;
    smmusim_endpoint_desc d{};
    d.name = name.c_str();
    d.smmu = smmu_pdev_;
    for (size_t i = 0; i < sids.size(); i++)
        d.sids[i] = sids[i];
    d.nr_sids = static_cast<unsigned>(sids.size());
    void* ep = nullptr;
    h_.timed([&] {
        ep = smmusim_endpoint_device_create(&d);
        if (ep)
            smmusim_platform_device_add(ep);
        return 0;
    });
    if (!ep)
        return -ENOMEM;
    endpoints_.push_back(ep);
    return static_cast<int>(endpoints_.size() - 1);
}

void* Devices::endpoint(int ep) const { return at_index(endpoints_, ep); }

bool Devices::endpoint_has_group(int ep) const
{
    void* p = endpoint(ep);
    return p && smmusim_device_iommu_group(p);
}

void* Devices::endpoint_device(int ep) const
{
    void* p = endpoint(ep);
    return p ? smmusim_device_of(p) : nullptr;
}

bool Devices::smmu_bound() const { return smmu_pdev_ && smmusim_platform_device_bound(smmu_pdev_); }

int Devices::smmu_devres_count() const
{
    return smmu_pdev_ ? smmusim_platform_device_devres_count(smmu_pdev_) : 0;
}

int Devices::iommus_registered() const { return smmusim_iommu_registered_for(smmu_fwnode_) ? 1 : 0; }

}  // namespace smmusim::kshim
