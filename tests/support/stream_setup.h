// SPDX-License-Identifier: GPL-2.0-only
// Streams made by hand for the translation tests: a linear stream table,
// STEs and CDs with the fields the Linux driver writes (arm_smmu_make_
// cdtable_ste, arm_smmu_make_s2_domain_ste, arm_smmu_make_cd, the bypass and
// abort STEs), page tables with the walk part's PgtableBuilder, all written
// into simulated DRAM through the backdoor; then the SMMU's event queue and
// SMMUEN brought up from the CPU thread as the driver does. What a test
// reads back of the driver's own tables is in stream_table.h.
//
// DRAM use (offsets from mem.dram_base): 0x100000 the command queue
// (TestBench::enable_cmdq), 0x200000 the event queue, 0x300000 the stream
// table, 0x400000.. tables (CD tables, translation tables: a 12 MiB pool).
#pragma once

#include <cstdint>
#include <memory>

#include "smmuv3/evtq.h"
#include "smmuv3/translation/translation_unit.h"
#include "smmuv3/translation/memory_tables.h"
#include "smmuv3/translation/pgtable_builder.h"
#include "support/testbench.h"

namespace smmusim::test {

// A statistic of the SMMU's translation unit (soc.smmu.xlat.NAME).
inline uint64_t xlat(TestBench& b, const char* name) { return b.smmu().translation().stats().value(name); }

class StreamSetup {
public:
    static constexpr uint64_t kEvtq = 0x200000, kStrtab = 0x300000, kPool = 0x400000, kPoolSize = 12 << 20;
    static constexpr unsigned kEvtqLog2 = 6;

    // A linear stream table of 2^log2_sids STEs (all zero: V = 0).
    explicit StreamSetup(TestBench& b, unsigned log2_sids = 8);

    smmuv3::MemoryTableWriter& writer() { return writer_; }
    uint64_t strtab() const { return strtab_; }
    uint64_t evtq() const { return evtq_; }

    // STEs (backdoor). Stage 1: `cd_table` (PA; an IPA when nested) with
    // 2^cdmax CDs (cdmax 0: one CD).
    void ste_abort(uint32_t sid);
    void ste_bypass(uint32_t sid);
    void ste_s1(uint32_t sid, uint64_t cd_table, unsigned cdmax = 0, uint64_t s1dss = 0);
    void ste_s2(uint32_t sid, const smmuv3::StageConfig& s2, uint16_t vmid);
    void ste_nested(uint32_t sid, uint64_t cd_table_ipa, const smmuv3::StageConfig& s2, uint16_t vmid);
    void write_ste(uint32_t sid, const uint64_t (&ste)[8]);
    void read_ste(uint32_t sid, uint64_t (&ste)[8]);

    // A linear CD table of 2^log2_cds CDs (zero: V = 0) from the pool: its PA.
    uint64_t cd_table(unsigned log2_cds = 0);
    // The CD at `cd_pa` for stage-1 tables `s1` (its ttb, granule, ia_bits).
    void cd(uint64_t cd_pa, const smmuv3::StageConfig& s1, uint16_t asid);

    // Geometry of a stage as Linux's io-pgtable sets it up (48-bit IA and
    // OA, 4K unless told); builders of it allocate from the pool.
    static smmuv3::StageConfig stage(smmuv3::Granule g = smmuv3::Granule::k4K, unsigned ia_bits = 48);
    std::unique_ptr<smmuv3::PgtableBuilder> tables(const smmuv3::StageConfig& cfg, smmuv3::Stage stage);
    // Leaf attributes as io-pgtable-arm writes them for a read/write
    // mapping: stage 1 non-global (nG = 1) with AttrIndx 1 (WBWA); stage 2
    // Normal write-back memory (MemAttr 0xf), which STE.S2PTW lets stage-1
    // walks use.
    static smmuv3::MapAttrs s1_attrs();
    static smmuv3::MapAttrs s2_attrs();

    // From the CPU thread: STRTAB_BASE(_CFG) (`strtab`: another base than
    // the table's, for fetch-abort tests), CR2 (RECINVSID | PTM, as Linux
    // sets it), the event queue with its interrupt, then CR0.SMMUEN |
    // EVTQEN (keeping CMDQEN), as arm_smmu_device_reset does.
    void enable(uint64_t strtab = 0);
    // Event records written so far (EVTQ_PROD's index), and the n-th one.
    unsigned events();
    EventRecord event(unsigned n);

private:
    TestBench& b_;
    unsigned log2_sids_;
    uint64_t strtab_, evtq_;
    smmuv3::MemoryTableWriter writer_;
};

}  // namespace smmusim::test
