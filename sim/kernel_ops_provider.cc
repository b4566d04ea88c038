// SPDX-License-Identifier: GPL-2.0-only
// The program's one kernel-level operations provider (kernel_ops_provider.h).
#include "kernel_ops_provider.h"

#include <stdexcept>

namespace smmusim {

namespace {
// A function-local slot: providers register from static initialisers of
// other objects, whose order against this file's is unspecified.
const KernelOpsProvider*& slot()
{
    static const KernelOpsProvider* provider = nullptr;
    return provider;
}
}  // namespace

const KernelOpsProvider* kernel_ops_provider() { return slot(); }

void register_kernel_ops_provider(const KernelOpsProvider& p)
{
    if (slot() && slot() != &p)
        throw std::logic_error("a second kernel-level operations provider was registered");
    slot() = &p;
}

}  // namespace smmusim
