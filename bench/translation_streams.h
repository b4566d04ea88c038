// SPDX-License-Identifier: GPL-2.0-only
// The translation benchmarks' streams, written by hand into simulated DRAM
// through the memory backdoor (no driver; the STE and CD words of
// driver/stream_entries.h, as the Linux driver writes them): a linear stream table, a
// stage-1 stream and a nested stream over the same pages, far more of them
// than the TLB and the walk cache hold and no two consecutive ones sharing a
// table below the initial one, so that cycling through them makes every
// translation a TLB miss and a full walk (the bench prints the walks and
// reads it counted, so the claim is checked each run). The data pages are
// touched when made (the host's first touch of simulated DRAM is a page
// fault, not a cost of the translation that happens to make it). The SMMU is then
// enabled from the bench's CPU thread (STRTAB_BASE(_CFG), CR0.SMMUEN,
// keeping the command queue on). Faults are not benchmarked: no event queue.
//
// DRAM use (offsets from mem.dram_base): 0x300000 the stream table,
// 0x400000.. a 96 MiB pool of CD tables and translation tables, 0x8000000..
// the pages the DMA reaches (output PAs; IPAs of the nested stream, which
// stage 2 maps one to one).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "driver/sequences.h"
#include "platform/memory.h"
#include "smmuv3/translation/memory_tables.h"
#include "smmuv3/translation/pgtable_builder.h"

namespace smmusim::bench {

class TranslationStreams {
public:
    static constexpr uint32_t kStage1Sid = 1, kNestedSid = 2;
    static constexpr uint16_t kAsid = 7, kVmid = 9;  // not the command benchmarks' ASID 1 / VMID 5

    // `pages` (1..8176): the input addresses a miss benchmark cycles through.
    TranslationStreams(Memory& mem, uint64_t dram_base, unsigned pages);

    // From the CPU thread: points the SMMU at the stream table and sets
    // SMMUEN (keeping CR0's other bits), waiting for CR0ACK. False if the
    // SMMU never acknowledged.
    bool enable(driver::MmioBus& bus, uint64_t smmu_base) const;

    const std::vector<uint64_t>& pages() const { return pages_; }

private:
    void write_ste(uint32_t sid, const uint64_t (&ste)[8]);

    Memory& mem_;
    uint64_t strtab_;
    smmuv3::MemoryTableWriter writer_;
    std::unique_ptr<smmuv3::PgtableBuilder> s1_, s2_;
    std::vector<uint64_t> pages_;
};

}  // namespace smmusim::bench
