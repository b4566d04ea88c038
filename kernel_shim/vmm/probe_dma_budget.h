// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// What arm-smmu-v3 and tegra241-cmdqv take from the kernel shim's DMA pool
// when they probe (their queues and the stream table), from the
// configuration: a layout the pool cannot hold is refused before the run
// (the probe would fail with ENOMEM after "DMA pool exhausted").
#include <cstdint>
#include <string>

#include "platform/params.h"

namespace smmusim::kshim {

// "" or why the probe's allocations do not fit in a pool of `pool_bytes`,
// naming the keys that size them and the pool's size.
std::string check_probe_dma_budget(const Config& cfg, uint64_t pool_bytes);

}  // namespace smmusim::kshim
