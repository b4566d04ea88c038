// SPDX-License-Identifier: GPL-2.0-only
// What a trapped invalidation costs the CPU outside the real kernel code:
// the VM exit and entry, and the VMM's dispatch of the trap (exit decode,
// reading the guest's commands from guest RAM, building the ioctl). The
// host kernel's own work (IOMMU_HWPT_INVALIDATE through iommufd and
// arm_vsmmu_cache_invalidate, the SMMU CMDQ) is the real code and costs
// what it costs there (its MMIO, its waits, and the cpu.* cost model's
// charge for its instructions); these figures are only the transitions
// around it, which run no kernel code of ours.
// `vm.*` parameters, declared once here (range, unit, source), so a Config
// (TOML [vm], `--set vm.exit_ns=...`) sets them and `smmusim params` lists them.
// Not here: the guest's own driver work before its PROD write (its stores
// into guest RAM take no simulated time, as on the accelerated path).
#pragma once

#include <cstdint>

#include "platform/params.h"

namespace smmusim::kshim {

// X(type, field, "key", default, min, max, "unit", "description", "source")
#define SMMUSIM_VM_PARAMS(X)                                                                                   \
    X(uint64_t, exit_ns, "vm.exit_ns", 1354, 0, 1000000000ull, "ns",                                           \
      "a VM exit: the guest's trapped MMIO access (a stage-2 data abort) until the host kernel runs",          \
      "Dall et al., 'ARM Virtualization: Performance and Architectural Implications', ISCA 2016, Table II: a " \
      "KVM/ARM hypercall round trip is 6,500 cycles on the 2.4 GHz X-Gene (2708 ns); half of it is the exit "  \
      "(the split is assumed)")                                                                                \
    X(uint64_t, entry_ns, "vm.entry_ns", 1354, 0, 1000000000ull, "ns",                                         \
      "a VM entry: from the VMM's return to KVM_RUN until the guest runs again",                               \
      "Dall et al., ISCA 2016, Table II (KVM/ARM hypercall, 6,500 cycles at 2.4 GHz): the other half of the "  \
      "round trip (the split is assumed)")                                                                     \
    X(uint64_t, dispatch_ns, "vm.dispatch_ns", 1000, 0, 1000000000ull, "ns",                                   \
      "the VMM's dispatch of one trap: KVM_RUN returning to the user-space VMM (KVM_EXIT_MMIO), decoding "     \
      "the access, and calling back into KVM_RUN",                                                             \
      "assumed: two user/kernel transitions and an MMIO decode in the VMM, about a microsecond on a GHz core")  \
    X(uint64_t, per_cmd_ns, "vm.per_cmd_ns", 20, 0, 1000000000ull, "ns",                                       \
      "the VMM reading one 16-byte command from guest RAM and placing it in the IOMMU_HWPT_INVALIDATE array",  \
      "assumed: two cached 64-bit loads, an opcode check and two stores, a few tens of cycles")

SMMUSIM_PARAM_STRUCT(VmCosts, SMMUSIM_VM_PARAMS);

}  // namespace smmusim::kshim
