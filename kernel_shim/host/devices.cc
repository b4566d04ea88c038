// SPDX-License-Identifier: GPL-2.0-only
#include "devices.h"

#include <cerrno>

#include <fmt/format.h>

#include "host.h"
#include "smmusim/kernel.h"

namespace smmusim::kshim {

namespace {
// The identity every simulated PCI function reports: arbitrary (no PCI
// quirks are compiled, so nothing in the kernel keys on it), with a
// network controller's class.
constexpr uint16_t kPciVendorId = 0x10de, kPciDeviceId = 0x0001;
constexpr uint32_t kPciClass = 0x020000;
}  // namespace

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
        h_.sched.charge();  // the probe's last stretch of CPU time counts
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

void Devices::destroy(Endpoint& ep)
{
    if (!ep.handle)
        return;
    void* p = ep.handle;
    ep.handle = nullptr;
    if (ep.pci)
        h_.run([p] { smmusim_pci_device_destroy(p); });
    else
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
    if (pci_host_)
        h_.run([] { smmusim_pci_host_bridge_set(nullptr); });
    destroy(pci_host_);
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

std::vector<std::string> Devices::module_param_names()
{
    std::vector<std::string> names;
    for (unsigned i = 0; const char* n = smmusim_kernel_param_name(i); ++i)
        names.emplace_back(n);
    return names;
}

std::string Devices::check_module_param(const std::string& name, const std::string& value)
{
    const char* type = nullptr;
    const int ret = smmusim_kernel_param_check(name.c_str(), value.c_str(), &type);
    if (ret == -ENOENT)
        return fmt::format("no module parameter '{}'", name);
    if (ret == 0)
        return "";
    // param_set_bool() -> kstrtobool() (lib/kstrtox.c).
    return fmt::format("{} is a {}: expected 1, y, Y, t, T or on (true), 0, n, N, f, F or off (false), as the "
                       "kernel's kstrtobool() reads it; got '{}'",
                       name, type ? type : "parameter", value);
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
    endpoints_.push_back(Endpoint{ep, false, nullptr, 0});
    return static_cast<int>(endpoints_.size() - 1);
}

bool Devices::add_pci_host()
{
    if (pci_host_)
        return true;
    const std::string node = "/pcie@0";
    smmusim_pci_host_desc d{};
    d.smmu = smmu_pdev_;
    d.rid_base = 0;
    d.sid_base = 0;
    d.length = 0x100;  // bus 0
    d.ats_supported = h_.opts.pci_ats_supported;
    d.node_name = node.c_str();
    h_.run([&] {
        pci_host_ = smmusim_pci_host_bridge_create(&d);
        if (!pci_host_)
            return;
        smmusim_platform_device_add(pci_host_);
        smmusim_pci_host_bridge_set(pci_host_);
    });
    return pci_host_ != nullptr;
}

int Devices::add_pci_endpoint(const std::string& name, uint32_t rid, bool ats)
{
    (void)name;  // the kernel names the function by its address (0000:00:DD.F)
    if (!smmu_pdev_)
        return -ENODEV;
    if (rid > 0xff)
        return -EINVAL;
    for (const Endpoint& e : endpoints_)  // one function per RID
        if (e.pci && e.handle && e.rid == rid)
            return -EEXIST;
    if (!add_pci_host())
        return -ENOMEM;
    auto cfg = std::make_unique<endpoint::PciConfigSpace>(
        endpoint::PciConfigSpace::Identity{kPciVendorId, kPciDeviceId, kPciClass}, ats, h_.opts.endpoint);
    void* fn = nullptr;
    h_.timed([&] {
        fn = smmusim_pci_device_create(rid, cfg.get());
        if (fn)
            smmusim_pci_device_add(fn);
        return 0;
    });
    if (!fn)
        return -ENOMEM;
    endpoints_.push_back(Endpoint{fn, true, std::move(cfg), rid});
    return static_cast<int>(endpoints_.size() - 1);
}

int Devices::remove_endpoint(int ep)
{
    if (ep < 0 || static_cast<size_t>(ep) >= endpoints_.size() || !endpoints_[ep].handle)
        return -EINVAL;
    destroy(endpoints_[static_cast<size_t>(ep)]);
    return 0;
}

void* Devices::endpoint(int ep) const
{
    if (ep < 0 || static_cast<size_t>(ep) >= endpoints_.size() || !endpoints_[ep].handle)
        return nullptr;
    const Endpoint& e = endpoints_[static_cast<size_t>(ep)];
    return e.pci ? smmusim_pci_device_of(e.handle) : smmusim_device_of(e.handle);
}

uint64_t Devices::smmu_stream_ids() const { return smmusim_smmu_stream_ids(smmu_pdev_); }

bool Devices::endpoint_has_group(int ep) const
{
    void* dev = endpoint(ep);
    return dev && smmusim_device_iommu_group(dev);
}

endpoint::PciConfigSpace* Devices::pci_config(int ep) const
{
    if (ep < 0 || static_cast<size_t>(ep) >= endpoints_.size())
        return nullptr;
    return endpoints_[static_cast<size_t>(ep)].cfg.get();
}

bool Devices::smmu_bound() const { return smmu_pdev_ && smmusim_platform_device_bound(smmu_pdev_); }

int Devices::smmu_devres_count() const
{
    return smmu_pdev_ ? smmusim_platform_device_devres_count(smmu_pdev_) : 0;
}

int Devices::iommus_registered() const { return smmusim_iommu_registered_for(smmu_fwnode_) ? 1 : 0; }

}  // namespace smmusim::kshim
