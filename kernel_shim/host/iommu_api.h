// SPDX-License-Identifier: GPL-2.0-only
// The in-kernel iommu API, as a driver using it would call it: paging
// domains for endpoints (alloc, attach, map, unmap, iova_to_phys, detach,
// free; src/iommu_client.c) and one raw command through the SMMUv3 driver's queue
// routing. Each call runs on the simulated CPU and its SMMU cycles are
// recorded (Host::last_cycles).
#pragma once

#include <cstdint>
#include <vector>

namespace smmusim::kshim {

struct Host;

class IommuApi {
public:
    explicit IommuApi(Host& h) : h_(h) {}

    int domain_alloc(int ep);
    int domain_attach(int dom, int ep);
    void domain_detach(int dom, int ep);
    int domain_map(int dom, uint64_t iova, uint64_t pa, uint64_t size, bool write);
    uint64_t domain_unmap(int dom, uint64_t iova, uint64_t size);
    uint64_t domain_iova_to_phys(int dom, uint64_t iova);
    unsigned domain_asid(int dom) const;
    void domain_free(int dom);
    int issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary);

private:
    Host& h_;
    std::vector<void*> domains_;  // iommu_domain (null: freed)
};

}  // namespace smmusim::kshim
