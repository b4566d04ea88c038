// SPDX-License-Identifier: GPL-2.0-only
// Devices and drivers: boot (the initcalls register the drivers), the
// device tree built from the board's firmware facts (the SMMU node, the
// CMDQV node when there is one, endpoints with "iommus" = <&smmu sid>...),
// the platform devices whose registration probes them, removal, and
// built-in module parameters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

    // An endpoint's index, or a negative errno.
    int add_endpoint(const std::string& name, const std::vector<uint32_t>& sids);
    // Its platform device (null: no such endpoint).
    void* endpoint(int ep) const;
    bool endpoint_has_group(int ep) const;
    void* endpoint_device(int ep) const;

    void* smmu_pdev() const { return smmu_pdev_; }
    bool smmu_bound() const;
    int smmu_devres_count() const;
    int iommus_registered() const;
    uint64_t probe_cycles() const { return probe_cycles_; }

private:
    // Registers the CMDQV node and device (null: -ENOMEM).
    void* add_cmdqv(const std::string& node);
    void destroy(void*& pdev);

    Host& h_;
    bool booted_ = false;
    bool initcalls_done_ = false;
    void* smmu_pdev_ = nullptr;
    void* cmdqv_pdev_ = nullptr;
    const void* smmu_fwnode_ = nullptr;  // a key only, never dereferenced
    std::vector<void*> endpoints_;        // platform devices (null: removed)
    uint64_t probe_cycles_ = 0;
};

// The element `i` of `v`, or null when out of range.
void* at_index(const std::vector<void*>& v, int i);

}  // namespace smmusim::kshim
