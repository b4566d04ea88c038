// SPDX-License-Identifier: GPL-2.0-only
// Devices and drivers: boot (the initcalls register the drivers), the
// device tree built from the board's firmware facts (the SMMU node, the
// CMDQV node when there is one, endpoints with "iommus" = <&smmu sid>...,
// a PCI host bridge with "iommu-map" and "ats-supported" once a PCI
// function is added), the devices whose registration probes them (platform
// devices; PCI functions with their configuration space), removal, and
// built-in module parameters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "endpoint/pci_config.h"

namespace smmusim::kshim {

struct Host;

class Devices {
public:
    explicit Devices(Host& h) : h_(h) {}

    void boot();
    void shutdown_drivers();
    int probe_smmu();
    void remove_smmu();
    bool cmdqv_in_dt() const { return cmdqv_pdev_ != nullptr; }
    int set_module_param(const std::string& name, const std::string& value);
    static std::vector<std::string> module_param_names();
    static std::string check_module_param(const std::string& name, const std::string& value);

    // An endpoint's index, or a negative errno.
    int add_endpoint(const std::string& name, const std::vector<uint32_t>& sids);
    // A PCI endpoint function on the root bus: RID = devfn (0..0xff), its
    // StreamID the same (the host bridge's iommu-map is <0 &smmu 0 0x100>),
    // with an ATS Extended Capability if `ats`. The host bridge (with
    // "ats-supported") is made with the first one. Index or negative errno
    // (-EEXIST: a function has that RID).
    int add_pci_endpoint(const std::string& name, uint32_t rid, bool ats);
    // Its struct device (null: no such endpoint, or removed).
    void* endpoint(int ep) const;
    bool endpoint_has_group(int ep) const;
    void* endpoint_device(int ep) const { return endpoint(ep); }
    // A PCI endpoint's configuration space (null: not a PCI endpoint). It
    // stays readable after the endpoint is removed, for the shim's lifetime.
    endpoint::PciConfigSpace* pci_config(int ep) const;
    // Removes one endpoint (device_del: the iommu core releases it).
    int remove_endpoint(int ep);

    void* smmu_pdev() const { return smmu_pdev_; }
    bool smmu_bound() const;
    int smmu_devres_count() const;
    // How many stream IDs the bound driver's stream table reaches (0: none
    // bound): an endpoint with a stream ID beyond fails to probe (ERANGE).
    uint64_t smmu_stream_ids() const;
    int iommus_registered() const;
    uint64_t probe_cycles() const { return probe_cycles_; }

private:
    // An endpoint: its platform device or pci_dev (null: removed), and
    // for a PCI function the config space the kernel side reads.
    struct Endpoint {
        void* handle = nullptr;
        bool pci = false;
        std::unique_ptr<endpoint::PciConfigSpace> cfg;
        uint32_t rid = 0;  // PCI: the function's requester ID
    };
    // Registers the CMDQV node and device (null: -ENOMEM).
    void* add_cmdqv(const std::string& node);
    // The PCI host bridge, made once (false: -ENOMEM).
    bool add_pci_host();
    void destroy(void*& pdev);
    void destroy(Endpoint& ep);

    Host& h_;
    bool booted_ = false;
    bool initcalls_done_ = false;
    void* smmu_pdev_ = nullptr;
    void* cmdqv_pdev_ = nullptr;
    const void* smmu_fwnode_ = nullptr;  // a key only, never dereferenced
    std::vector<Endpoint> endpoints_;
    void* pci_host_ = nullptr;            // the PCI host bridge's platform device
    uint64_t probe_cycles_ = 0;
};

// The element `i` of `v`, or null when out of range.
void* at_index(const std::vector<void*>& v, int i);

}  // namespace smmusim::kshim
