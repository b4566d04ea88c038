// SPDX-License-Identifier: GPL-2.0-only
#include "translation_streams.h"

#include <stdexcept>

#include "driver/stream_entries.h"
#include "smmuv3/smmuv3_regs.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"

namespace smmusim::bench {

using namespace smmuv3;

namespace {

constexpr uint64_t kStrtab = 0x300000, kPool = 0x400000, kPoolSize = 96 << 20, kData = 0x8000000;
constexpr unsigned kLog2Sids = 4;

// 4K granule, 48-bit input and output, as io-pgtable-arm sets a domain up.
StageConfig stage_4k(Stage st)
{
    StageConfig c;
    c.enabled = true;
    c.granule = Granule::k4K;
    c.ia_bits = 48;
    c.oa_bits = 48;
    c.start_level = st == Stage::S1 ? vmsa::s1_start_level(48, Granule::k4K) : 0;
    return c;
}

}  // namespace

TranslationStreams::TranslationStreams(Memory& mem, uint64_t dram_base, unsigned pages)
    : mem_(mem), strtab_(dram_base + kStrtab), writer_(mem, dram_base + kPool, kPoolSize)
{
    if (pages == 0 || pages > 511 * 16)
        throw std::runtime_error("bench: 1 to 8176 pages");
    const std::vector<uint8_t> zero(64u << kLog2Sids, 0);
    if (!mem_.write(strtab_, zero.data(), zero.size()))
        throw std::runtime_error("bench: no DRAM for the stream table");

    // One stage-1 table tree, shared by both streams (its IPAs are PAs under
    // the identity stage 2), onto the data pages: page i under level-0
    // entry 1 + i % 511 and level-1 entry i / 511, so it has level-2 and
    // level-3 tables of its own and consecutive pages share no table below
    // level 0.
    MapAttrs s1;
    s1.global = false;  // nG, as io-pgtable-arm writes for an ASID-tagged domain
    s1_ = std::make_unique<PgtableBuilder>(stage_4k(Stage::S1), Stage::S1, writer_);
    for (unsigned i = 0; i < pages; i++) {
        pages_.push_back(uint64_t(1 + i % 511) << 39 | uint64_t(i / 511) << 30);
        const uint64_t pa = dram_base + kData + uint64_t(i) * 0x1000;
        s1_->map(pages_.back(), pa, 0x1000, s1);
        // Touched now, so that the host's first touch of the page (a page
        // fault of the DRAM's memory file, microseconds of system time) is
        // not counted in a measured translation (memory.h: populated on
        // first touch).
        const uint64_t first = i;
        if (!mem_.write(pa, &first, sizeof first))
            throw std::runtime_error("bench: no DRAM for the data pages");
    }

    // Stage 2: DRAM from its base to the data pages' end, one to one
    // in 2 MiB blocks (Normal write-back: stage-1 walks may read through it).
    MapAttrs s2;
    s2.attr = 0xf;
    s2_ = std::make_unique<PgtableBuilder>(stage_4k(Stage::S2), Stage::S2, writer_);
    const uint64_t lo = dram_base, hi = dram_base + kData + uint64_t(pages + 511) / 512 * 0x200000;
    s2_->map(lo, lo, hi - lo, s2);

    const uint64_t cd = writer_.alloc_table(64);
    uint64_t c[8];
    driver::make_cd(c, s1_->config(), kAsid);
    if (!mem_.write(cd, c, 64))
        throw std::runtime_error("bench: cannot write a CD");

    // Stage 1; nested: the same CD (its PA is its IPA) and stage 2 under kVmid.
    uint64_t e[8];
    driver::make_s1_ste(e, cd);
    write_ste(kStage1Sid, e);
    driver::make_nested_ste(e, cd, s2_->config(), kVmid);
    write_ste(kNestedSid, e);
}

void TranslationStreams::write_ste(uint32_t sid, const uint64_t (&ste)[8])
{
    if (!mem_.write(strtab_ + uint64_t(sid) * 64, ste, 64))
        throw std::runtime_error("bench: cannot write an STE");
}

bool TranslationStreams::enable(driver::MmioBus& bus, uint64_t smmu_base) const
{
    bus.write(smmu_base + STRTAB_BASE, 8, strtab_);
    bus.write(smmu_base + STRTAB_BASE_CFG, 4, strtab::LOG2SIZE.put(kLog2Sids) | strtab::FMT.put(strtab::FMT_LINEAR));
    const uint64_t want = bus.read(smmu_base + CR0, 4) | cr0::SMMUEN.mask();
    bus.write(smmu_base + CR0, 4, want);
    return bus.poll(smmu_base + CR0ACK, ~0u, want);
}

}  // namespace smmusim::bench
