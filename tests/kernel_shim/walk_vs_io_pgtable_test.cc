// SPDX-License-Identifier: GPL-2.0-only
// The walk oracle: tables built by the real io-pgtable-arm (compiled
// unmodified in the shim) in simulated DRAM, walked by the model's walker
// (models/smmuv3/translation/walk.h). For 4K, 16K and 64K granules, stage 1
// and stage 2 (with the concatenated initial tables io-pgtable builds for
// 40- and 42-bit stage 2), block and page mappings: every mapping's PA,
// page size and permissions, and every address io-pgtable says is unmapped
// faults. And a paging domain of the real driver: the tables found from the
// CD the driver wrote, decoded with the kernel's own CTXDESC_* fields.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel_shim.h"
#include "shim_setup.h"
#include "smmusim/kernel.h"
#include "smmuv3/evtq.h"
#include "smmuv3/translation/memory_tables.h"
#include "smmuv3/translation/vmsa_params.h"
#include "smmuv3/translation/walk.h"
#include "support/stream_table.h"
#include "support/testbench.h"

namespace smmusim::kshim {
namespace {

using smmusim::test::TestBench;
using namespace smmusim::smmuv3;

const std::vector<std::string> kSmmuOnly = {"cmdqv.present=false"};

// TCR/VTCR encodings as io-pgtable writes them: vmsa_params.h's decoding
// (a reserved TG is a test failure: value() throws).
Granule granule_of_tg0(uint64_t tg) { return vmsa::tg0_granule(tg).value(); }

// What a walk needs, from the registers io-pgtable computed.
StageConfig stage_from(const smmusim_pgtable_info& info, Stage stage)
{
    StageConfig c;
    c.enabled = true;
    c.granule = granule_of_tg0(info.tg);
    c.ia_bits = 64 - info.tsz;
    c.oa_bits = vmsa::ps_bits(info.ps);
    c.ttb = info.ttb;
    // A reserved or PA-size-invalid S2SL0 leaves no start level: 4 makes
    // initial_tables() 0 and the walk F_TRANSLATION.
    c.start_level = stage == Stage::S2 ? vmsa::s2_start_level(info.sl, c.granule, c.oa_bits).value_or(4)
                                       : vmsa::s1_start_level(c.ia_bits, c.granule);
    c.concat = initial_tables(c, stage);
    return c;
}

struct Mapping {
    uint64_t iova, pa, size;
    unsigned flags;      // SMMUSIM_PGT_*
    uint64_t leaf_size;  // the page or block size io-pgtable must have used
};

struct Format {
    const char* name;
    Stage stage;
    uint64_t pgsizes;
    unsigned ias, oas;
    unsigned concat;  // the initial tables expected
};

class WalkVsIoPgtable : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(ks.probe_smmu(), 0) << ks.dmesg() << ks.failures_text();
        ep = ks.add_endpoint("dma0", {0x10});
        ASSERT_GE(ep, 0);
    }
    void TearDown() override { EXPECT_TRUE(ks.failures().empty()) << ks.failures_text() << ks.dmesg(); }

    void* alloc(const Format& f, smmusim_pgtable_info& info)
    {
        void* ops = nullptr;
        ks.run([&] { ops = smmusim_pgtable_alloc(ks.endpoint_device(ep), f.stage == Stage::S2, f.pgsizes, f.ias,
                                                 f.oas, &info); });
        return ops;
    }
    int map(void* ops, const Mapping& m)
    {
        int ret = 0;
        ks.run([&] { ret = smmusim_pgtable_map(ops, m.iova, m.pa, m.size, m.flags); });
        return ret;
    }
    uint64_t unmap(void* ops, uint64_t iova, uint64_t size)
    {
        uint64_t n = 0;
        ks.run([&] { n = smmusim_pgtable_unmap(ops, iova, size); });
        return n;
    }
    void check_format(const Format& f);
    void check_mapping(const StageConfig& cfg, Stage stage, const Mapping& m);
    void check_against_iova_to_phys(void* ops, const StageConfig& cfg, Stage stage, uint64_t lo, uint64_t hi);

    TestBench bench{kSmmuOnly};
    KernelShim ks{bench.soc()};
    MemoryTableReader mem{bench.mem()};
    int ep = -1;
};

// Unprivileged (PnU = 0) and privileged data reads and writes, and an
// unprivileged instruction fetch.
const Access kRead{}, kPrivRead{false, false, true}, kPrivWrite{true, false, true}, kExec{false, true, false};

void WalkVsIoPgtable::check_mapping(const StageConfig& cfg, Stage stage, const Mapping& m)
{
    for (const uint64_t off : {uint64_t(0), m.size / 2 + 8, m.size - 8}) {
        const auto o = walk(cfg, stage, m.iova + off, kPrivRead, mem);
        ASSERT_TRUE(o.ok()) << std::hex << m.iova + off << " fault " << int(o.fault.type) << " level "
                            << int(o.fault.level);
        EXPECT_EQ(o.result.oa, m.pa + off) << std::hex << m.iova + off;
        EXPECT_EQ(o.result.page_size, m.leaf_size) << std::hex << m.iova + off;
        EXPECT_EQ(o.result.global, stage == Stage::S2);  // io-pgtable sets nG at stage 1
    }
    // io-pgtable: IOMMU_WRITE clear → AP[2] set (stage 1) / S2AP[1] clear;
    // IOMMU_NOEXEC → XN; IOMMU_PRIV clear → AP[1] set (unprivileged access).
    const bool writable = m.flags & SMMUSIM_PGT_WRITE, exec = !(m.flags & SMMUSIM_PGT_NOEXEC);
    const bool unpriv = stage == Stage::S2 || !(m.flags & SMMUSIM_PGT_PRIV);
    EXPECT_EQ(walk(cfg, stage, m.iova, kPrivWrite, mem).ok(), writable) << std::hex << m.iova;
    EXPECT_EQ(walk(cfg, stage, m.iova, kExec, mem).ok(), exec) << std::hex << m.iova;
    EXPECT_EQ(walk(cfg, stage, m.iova, kRead, mem).ok(), unpriv) << std::hex << m.iova;
}

// Every granule-sized step of [lo, hi): the walk agrees with io-pgtable's
// own iova_to_phys, a translation where it has one, F_TRANSLATION where not.
void WalkVsIoPgtable::check_against_iova_to_phys(void* ops, const StageConfig& cfg, Stage stage, uint64_t lo,
                                                 uint64_t hi)
{
    const uint64_t step = 1ull << granule_shift(cfg.granule);
    std::vector<uint64_t> pas;
    ks.run([&] {
        for (uint64_t va = lo; va < hi; va += step)
            pas.push_back(smmusim_pgtable_iova_to_phys(ops, va + 0x10));
    });
    size_t i = 0, mapped = 0;
    for (uint64_t va = lo; va < hi; va += step, ++i) {
        const auto o = walk(cfg, stage, va + 0x10, kPrivRead, mem);
        if (pas[i] == 0) {
            EXPECT_EQ(o.fault.type, evt::F_TRANSLATION) << std::hex << va;
        } else {
            ++mapped;
            ASSERT_TRUE(o.ok()) << std::hex << va;
            EXPECT_EQ(o.result.oa, pas[i]) << std::hex << va;
        }
    }
    EXPECT_GT(mapped, 0u);
}

void WalkVsIoPgtable::check_format(const Format& f)
{
    SCOPED_TRACE(f.name);
    smmusim_pgtable_info info{};
    void* ops = alloc(f, info);
    ASSERT_NE(ops, nullptr);
    const StageConfig cfg = stage_from(info, f.stage);
    ASSERT_EQ(cfg.concat, f.concat) << "start level " << cfg.start_level;
    const uint64_t g = info.pgsize_bitmap & -info.pgsize_bitmap;    // the granule
    const uint64_t blk = (info.pgsize_bitmap & ~g) & -(info.pgsize_bitmap & ~g);  // its smallest block
    const uint64_t big = uint64_t(1) << (63 - __builtin_clzll(info.pgsize_bitmap));  // its largest block
    const uint64_t top = 1ull << f.ias;
    const unsigned rw = SMMUSIM_PGT_READ | SMMUSIM_PGT_WRITE;
    const std::vector<Mapping> maps = {
        {g, 0x8000'0000 + g, 3 * g, rw, g},                                        // pages
        {blk, 0x4000'0000 & ~(blk - 1), blk, rw | SMMUSIM_PGT_NOEXEC, blk},       // one block
        {4 * blk + g, 0x9000'0000, g, SMMUSIM_PGT_READ, g},                        // read-only page
        {6 * blk, 0x20'0000'0000 % (1ull << f.oas), g, rw | SMMUSIM_PGT_PRIV, g},  // privileged only
        {top - g, 0x8800'0000, g, rw, g},                                          // the last page of the IA
        {2 * big, 2 * big, big, rw, big},                                          // the largest block
    };
    for (const Mapping& m : maps)
        ASSERT_EQ(map(ops, m), 0) << std::hex << m.iova;
    for (const Mapping& m : maps)
        check_mapping(cfg, f.stage, m);
    check_against_iova_to_phys(ops, cfg, f.stage, 0, 8 * blk);
    check_against_iova_to_phys(ops, cfg, f.stage, top - 4 * g, top);
    // Outside the IA size: a translation fault (IHI 0070 3.4), not a walk.
    EXPECT_EQ(walk(cfg, f.stage, top, kRead, mem).fault.type, evt::F_TRANSLATION);
    // Unmap part of the pages and the middle of the block (io-pgtable splits it).
    EXPECT_EQ(unmap(ops, 2 * g, g), g);
    EXPECT_EQ(walk(cfg, f.stage, 2 * g, kRead, mem).fault.type, evt::F_TRANSLATION);
    EXPECT_EQ(unmap(ops, top - g, g), g);
    EXPECT_EQ(walk(cfg, f.stage, top - g, kRead, mem).fault.type, evt::F_TRANSLATION);
    check_against_iova_to_phys(ops, cfg, f.stage, 0, 8 * blk);
    ks.run([&] { smmusim_pgtable_free(ops); });
}

constexpr uint64_t k4K = 0x1000 | (1ull << 21) | (1ull << 30);
constexpr uint64_t k16K = 0x4000 | (1ull << 25);
constexpr uint64_t k64K = 0x10000 | (1ull << 29);

TEST_F(WalkVsIoPgtable, Stage1EveryGranule)
{
    for (const Format& f : {Format{"S1 4K 48/48", Stage::S1, k4K, 48, 48, 1},
                            Format{"S1 4K 39/40", Stage::S1, k4K, 39, 40, 1},
                            Format{"S1 16K 48/48", Stage::S1, k16K, 48, 48, 1},
                            Format{"S1 16K 36/48", Stage::S1, k16K, 36, 48, 1},
                            Format{"S1 64K 48/48", Stage::S1, k64K, 48, 48, 1},
                            Format{"S1 64K 42/44", Stage::S1, k64K, 42, 44, 1}})
        check_format(f);
}

TEST_F(WalkVsIoPgtable, Stage2EveryGranuleWithConcatenation)
{
    // io-pgtable concatenates where DDI0487 requires it (arm_lpae_concat_mandatory):
    // 4K 40-bit (2 tables), 4K 42-bit (8), 16K 40-bit (16), 16K 48-bit (2).
    for (const Format& f : {Format{"S2 4K 48/48", Stage::S2, k4K, 48, 48, 1},
                            Format{"S2 4K 40/40", Stage::S2, k4K, 40, 40, 2},
                            Format{"S2 4K 42/42", Stage::S2, k4K, 42, 42, 8},
                            Format{"S2 16K 40/40", Stage::S2, k16K, 40, 40, 16},
                            Format{"S2 16K 48/48", Stage::S2, k16K, 48, 48, 2},
                            Format{"S2 64K 48/48", Stage::S2, k64K, 48, 48, 1}})
        check_format(f);
}

// A paging domain of the real arm-smmu-v3 driver: the stage-1 tables found
// from STE.S1ContextPtr → CD.TTB0, decoded with the CD fields the driver
// wrote (arm-smmu-v3.h CTXDESC_CD_0_TCR_T0SZ/TG0/IPS, CTXDESC_CD_1_TTB0).
TEST_F(WalkVsIoPgtable, TheDriversPagingDomain)
{
    int dom = ks.domain_alloc(ep);
    ASSERT_GE(dom, 0);
    ASSERT_EQ(ks.domain_attach(dom, ep), 0) << ks.dmesg();
    const uint64_t pa = bench.dram(0x20'0000);
    ASSERT_EQ(ks.domain_map(dom, 0x4000'0000, pa, 0x20'0000), 0);       // a 2 MiB block
    ASSERT_EQ(ks.domain_map(dom, 0x1'0000, pa, 0x3000, false), 0);      // read-only pages
    const uint64_t ste0 = test::ste_word(bench, 0x10, 0);
    ASSERT_EQ((ste0 >> 4) & 3, 0u) << "a linear CD table";
    const uint64_t cd_pa = ste0 & genmask(51, 6);
    uint64_t cd[2] = {};
    ASSERT_TRUE(bench.mem().read(cd_pa, cd, sizeof cd));
    StageConfig cfg;
    cfg.enabled = true;
    cfg.granule = granule_of_tg0(Field{7, 6}.get(cd[0]));   // CTXDESC_CD_0_TCR_TG0
    cfg.ia_bits = 64 - unsigned(Field{5, 0}.get(cd[0]));     // CTXDESC_CD_0_TCR_T0SZ
    cfg.oa_bits = vmsa::ps_bits(unsigned(Field{34, 32}.get(cd[0])));  // CTXDESC_CD_0_TCR_IPS
    cfg.start_level = vmsa::s1_start_level(cfg.ia_bits, cfg.granule);
    cfg.ttb = cd[1] & genmask(51, 4);                        // CTXDESC_CD_1_TTB0_MASK
    auto o = walk(cfg, Stage::S1, 0x4012'3456, Access{true, false, false}, mem);
    ASSERT_TRUE(o.ok()) << int(o.fault.type);
    EXPECT_EQ(o.result.oa, pa + 0x12'3456);
    EXPECT_EQ(o.result.page_size, 0x20'0000u);
    o = walk(cfg, Stage::S1, 0x1'2abc, kRead, mem);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o.result.oa, pa + 0x2abc);
    EXPECT_EQ(walk(cfg, Stage::S1, 0x1'2abc, Access{true, false, false}, mem).fault.type, evt::F_PERMISSION);
    EXPECT_EQ(walk(cfg, Stage::S1, 0x1'3000, kRead, mem).fault.type, evt::F_TRANSLATION);
    EXPECT_EQ(ks.domain_unmap(dom, 0x4000'0000, 0x20'0000), 0x20'0000u);
    EXPECT_EQ(walk(cfg, Stage::S1, 0x4012'3456, kRead, mem).fault.type, evt::F_TRANSLATION);
    ks.domain_detach(dom, ep);
    ks.domain_free(dom);
}

}  // namespace
}  // namespace smmusim::kshim
