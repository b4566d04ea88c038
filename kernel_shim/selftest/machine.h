// SPDX-License-Identifier: GPL-2.0-only
// The machine the iommufd selftest runs on: a platform (sim/soc.h) and the
// kernel shim built with CONFIG_IOMMUFD_TEST, booted before the selftest's
// own constructors run, so its initcalls have registered /dev/iommu and the
// mock IOMMU driver (drivers/iommu/iommufd/selftest.c, iommufd_test_init).
// It does not redirect system calls (syscalls.cc does).
#pragma once

#include "kernel_shim.h"

namespace smmusim::kshim::selftest {

// The booted shim (created on first use; the program's lifetime).
KernelShim& machine();

}  // namespace smmusim::kshim::selftest
