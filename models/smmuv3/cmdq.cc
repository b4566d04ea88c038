// SPDX-License-Identifier: GPL-2.0-only
#include "cmdq.h"

#include <algorithm>

#include "smmuv3.h"

namespace smmusim {

using namespace smmuv3;

SmmuCommandQueue::SmmuCommandQueue(sc_core::sc_module_name name, Smmuv3& smmu) : CommandQueueConsumer(name, smmu) {}

QueueGeometry SmmuCommandQueue::geometry() const
{
    return QueueGeometry::capped(q::LOG2SIZE.get(smmu_.bank().get(CMDQ_BASE)), smmu_.params().cmdqs);
}

uint64_t SmmuCommandQueue::base_pa() const
{
    // The effective base is aligned to the larger of the queue's size in
    // bytes and 32 bytes: the low bits of ADDR are ignored (IHI 0070 6.3.26
    // SMMU_CMDQ_BASE), with the effective (capped) LOG2SIZE.
    const uint64_t bytes = std::max<uint64_t>(32, uint64_t(16) << geometry().log2size);
    return smmu_.bank().get(CMDQ_BASE) & q::ADDR.mask() & ~(bytes - 1);
}
bool SmmuCommandQueue::halted() const { return smmu_.gerror_active(gerror::CMDQ_ERR); }
uint32_t SmmuCommandQueue::prod() const { return static_cast<uint32_t>(smmu_.bank().get(CMDQ_PROD)); }
uint32_t SmmuCommandQueue::cons() const { return static_cast<uint32_t>(smmu_.bank().get(CMDQ_CONS)); }
void SmmuCommandQueue::set_cons(uint32_t value) { smmu_.bank().set(CMDQ_CONS, value); }
bool SmmuCommandQueue::cons_observed() const { return smmu_.bank().observed(); }
// Its CMD_SYNC's SEV (CS=SEV) is the engine's (CommandEngine::signal_sync):
// only leaving full signals here.
unsigned SmmuCommandQueue::consumes_quietly() const
{
    return kQuietPlain | kQuietSync | (smmu_.sev_watched() ? 0u : unsigned{kQuietFromFull});
}
bool SmmuCommandQueue::enabled() const { return smmu_.cmdq_enabled() && !smmu_.cmdq_stopping(); }

void SmmuCommandQueue::quiesced() { smmu_.cmdq_quiesced(); }
uint32_t SmmuCommandQueue::batch() const { return static_cast<uint32_t>(smmu_.params().cmdq_batch); }
bool SmmuCommandQueue::fetch(uint64_t pa, void* dst, size_t len, sc_core::sc_time& delay)
{
    return smmu_.dma_read(pa, dst, len, delay);
}
void SmmuCommandQueue::report_error(uint8_t) { smmu_.raise_gerror(gerror::CMDQ_ERR); }

void SmmuCommandQueue::consumed(uint32_t, bool was_full, bool)
{
    if (was_full)
        smmu_.send_sev();  // IDR0.SEV: the queue went from full to not full
}

}  // namespace smmusim
