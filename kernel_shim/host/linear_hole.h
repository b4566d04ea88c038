// SPDX-License-Identifier: GPL-2.0-only
// The hole of the kernel's linear map. On arm64 the linear map holds RAM
// and nothing else: a physical address outside it has no kernel virtual
// address, and kernel code that dereferences one takes a translation fault.
// The shim's phys_to_virt() (kernel_shim/src/memmap.c) sends such an
// address here: a PROT_NONE host range, so the access faults and the oops
// handler (oops.h) reports it, instead of reaching whatever host memory lies
// at DRAM's host mapping + PA.
#pragma once

#include <cstdint>

namespace smmusim::kshim {

// Bytes of the hole: a PA lands at its offset modulo this, so that a table
// of up to 64 KiB (the largest io-pgtable granule) starting there stays
// inside it.
constexpr uint64_t kLinearHoleWindow = 2u << 20;

// The PA the kernel dereferenced at host address `addr`, when `addr` lies in
// the hole and the most recent address sent there explains it (the fault
// follows its phys_to_virt()); false otherwise.
bool linear_hole_pa(uintptr_t addr, uint64_t* pa);

}  // namespace smmusim::kshim
