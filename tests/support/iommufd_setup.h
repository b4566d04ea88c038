// SPDX-License-Identifier: GPL-2.0-only
// The set-up the kernel shim's iommufd tests share (tests/kernel_shim/):
// the SMMU driver probed, /dev/iommu open with one IOAS, and an endpoint
// bound to it through the VFIO-style bind (not attached: a test attaches
// when it wants the IOAS's pages pinned). Each step asserts, so call it
// through ASSERT_NO_FATAL_FAILURE. Header-only: only tests that link the
// kernel shim include it (the test-support library does not).
#pragma once

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include SMMUSIM_UAPI_IOMMUFD_H

#include "kernel_shim.h"

namespace smmusim::test {

struct IommufdBound {
    int fd = -1;        // the /dev/iommu descriptor
    uint32_t ioas = 0;  // its IOAS
    int ep = -1;        // the endpoint (KernelShim's index)
    uint32_t dev = 0;   // the endpoint's iommufd device ID
};

// Probes the SMMU, adds endpoint `name` on stream ID `sid`, opens
// /dev/iommu, allocates an IOAS and binds the endpoint: into `b`.
inline void open_iommufd_bound(kshim::KernelShim& ks, IommufdBound& b, const std::string& name = "dma0",
                               uint32_t sid = 0x10)
{
    ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
    b.ep = ks.add_endpoint(name, {sid});
    ASSERT_GE(b.ep, 0) << ks.dmesg();
    b.fd = ks.sys_open("iommu");
    ASSERT_GE(b.fd, 0);
    iommu_ioas_alloc alloc{};
    alloc.size = sizeof(alloc);
    ASSERT_EQ(ks.sys_ioctl(b.fd, IOMMU_IOAS_ALLOC, &alloc), 0);
    b.ioas = alloc.out_ioas_id;
    ASSERT_EQ(ks.vfio_bind(b.fd, b.ep, &b.dev), 0) << ks.dmesg() << ks.failures_text();
}

}  // namespace smmusim::test
