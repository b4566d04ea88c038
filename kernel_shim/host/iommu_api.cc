// SPDX-License-Identifier: GPL-2.0-only
#include "iommu_api.h"

#include <cerrno>

#include "host.h"
#include "smmusim/kernel.h"

namespace smmusim::kshim {

int IommuApi::domain_alloc(int ep)
{
    void* p = h_.devices.endpoint(ep);
    if (!p)
        return -EINVAL;
    int err = 0;
    void* d = h_.timed([&] { return smmusim_domain_alloc_paging(p, &err); });
    if (!d)
        return err ? err : -ENOMEM;
    domains_.push_back(d);
    return static_cast<int>(domains_.size() - 1);
}

int IommuApi::domain_attach(int dom, int ep)
{
    void* d = at_index(domains_, dom);
    void* p = h_.devices.endpoint(ep);
    if (!d || !p)
        return -EINVAL;
    return h_.timed([&] { return smmusim_domain_attach(d, p); });
}

void IommuApi::domain_detach(int dom, int ep)
{
    void* d = at_index(domains_, dom);
    void* p = h_.devices.endpoint(ep);
    if (d && p)
        h_.timed([&] {
            smmusim_domain_detach(d, p);
            return 0;
        });
}

int IommuApi::domain_map(int dom, uint64_t iova, uint64_t pa, uint64_t size, bool write)
{
    void* d = at_index(domains_, dom);
    if (!d)
        return -EINVAL;
    return h_.timed([&] { return smmusim_domain_map(d, iova, pa, size, write); });
}

uint64_t IommuApi::domain_unmap(int dom, uint64_t iova, uint64_t size)
{
    void* d = at_index(domains_, dom);
    if (!d)
        return 0;
    return h_.timed([&] { return static_cast<uint64_t>(smmusim_domain_unmap(d, iova, size)); });
}

uint64_t IommuApi::domain_iova_to_phys(int dom, uint64_t iova)
{
    void* d = at_index(domains_, dom);
    if (!d)
        return 0;
    return h_.timed([&] { return static_cast<uint64_t>(smmusim_domain_iova_to_phys(d, iova)); });
}

unsigned IommuApi::domain_asid(int dom) const
{
    void* d = at_index(domains_, dom);
    return d ? smmusim_domain_asid(d) : 0;
}

void IommuApi::domain_free(int dom)
{
    void* d = at_index(domains_, dom);
    if (!d)
        return;
    domains_[static_cast<size_t>(dom)] = nullptr;
    h_.timed([&] {
        smmusim_domain_free(d);
        return 0;
    });
}

int IommuApi::issue_cmd(uint64_t dw0, uint64_t dw1, bool sync, bool* secondary)
{
    int sec = 0;
    void* smmu = h_.devices.smmu_pdev();
    const int ret = h_.timed([&] { return smmusim_smmu_issue_cmd(smmu, dw0, dw1, sync, &sec); });
    if (secondary)
        *secondary = sec != 0;
    return ret;
}

}  // namespace smmusim::kshim
