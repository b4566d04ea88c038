// SPDX-License-Identifier: GPL-2.0-only
// The caches as the command engine's InvalidationTargets, commands arriving
// through real queues: the SMMU's CMDQ, and a guest's VCMDQ whose TLBIs the
// CMDQV runs under its VINTF's VMID — whatever VMID the guest wrote, only
// that VM's entries go (the security invariant, seen from the caches).
#include <gtest/gtest.h>

#include "cmdqv/cmdqv_helpers.h"
#include "smmuv3/cmdq.h"
#include "smmuv3/translation/caches.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

TlbEntry page(uint16_t vmid, uint16_t asid, uint64_t va)
{
    TlbEntry e;
    e.tag = TlbTag{Regime::Nh, TlbStage::S1, vmid, asid, false};
    e.result.oa = 0x80000000ull + va;
    e.result.page_base_in = va;
    e.result.page_size = 0x1000;
    return e;
}

// Pages of VMIDs 77 and 78 (ASID 2, two VAs each), table entries over them,
// and the STE and CD of StreamID 0x200; the caches registered with the engine.
void fill(TestBench& b, TranslationCaches& c)
{
    for (InvalidationTarget* t : c.targets())
        b.smmu().engine().add_invalidation_target(*t);
    for (uint16_t vmid : {77, 78}) {
        c.tlb.insert(page(vmid, 2, 0x10000));
        c.tlb.insert(page(vmid, 2, 0x20000));
        c.walk.insert(WalkEntry{WalkTag{Regime::Nh, WalkStage::S1, vmid, 2}, Granule::k4K, 2, 0, 1ull << 21, vmid, 0});
    }
    c.cfg.insert_ste(0x200, StreamConfig{});
    c.cfg.insert_cd(0x200, 0, CdConfig{});
}

bool cached(Tlb& tlb, uint16_t vmid, uint64_t va)
{
    return tlb.lookup(TlbTag{Regime::Nh, TlbStage::S1, vmid, 2, false}, va) != nullptr;
}

}  // namespace

TEST(CachesThroughTheEngine, HostCommandsOnTheSmmuCmdq)
{
    TestBench b;
    TranslationCaches c("t.smmu", Smmuv3Params{});
    fill(b, c);
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8,
                 {cmd(OP_TLBI_NH_VA, cmdf::TLBI_VMID.put(78) | cmdf::TLBI_ASID.put(2), cmdf::TLBI_VA.put(0x10)),
                  cmd(OP_CFGI_CD, cmdf::CFGI_SID.put(0x200)), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return (b.smmu().bank().get(CMDQ_CONS) & 0xff) == 3; }, 2000));
    });
    EXPECT_TRUE(cached(c.tlb, 77, 0x10000));
    EXPECT_FALSE(cached(c.tlb, 78, 0x10000));  // the page at the VA
    EXPECT_TRUE(cached(c.tlb, 78, 0x20000));
    EXPECT_EQ(c.walk.size(), 1u);               // Leaf = 0: VMID 78's table entry over the VA too
    EXPECT_NE(c.cfg.lookup_ste(0x200), nullptr);
    EXPECT_EQ(c.cfg.lookup_cd(0x200, 0), nullptr);
}

TEST(CachesThroughTheEngine, AGuestTlbiReachesOnlyItsOwnVm)
{
    TestBench b;
    TranslationCaches c("t.smmu", Smmuv3Params{});
    fill(b, c);
    b.run([&] {
        const uint64_t base = b.dram(0x300000);
        bring_up_lvcmdq0(b, 3, false, 77, 6, base);  // the guest's VINTF 3 runs under VMID 77
        // The guest names VMID 78 (another VM's): the CMDQV replaces it with 77.
        submit_lvcmdq(b, 3, 0, base, 4,
                      {cmd(OP_TLBI_NH_VA, cmdf::TLBI_VMID.put(78) | cmdf::TLBI_ASID.put(2), cmdf::TLBI_VA.put(0x10)),
                       cmd(OP_TLBI_NH_ASID, cmdf::TLBI_VMID.put(78) | cmdf::TLBI_ASID.put(3)), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return (b.cmdqv_rd(lvq0(3, 0, VCMDQ_CONS)) & 0x1f) == 3; }, 2000));
    });
    EXPECT_FALSE(cached(c.tlb, 77, 0x10000));  // the guest's own page at the VA
    EXPECT_TRUE(cached(c.tlb, 77, 0x20000));
    EXPECT_TRUE(cached(c.tlb, 78, 0x10000));   // the other VM keeps everything
    EXPECT_TRUE(cached(c.tlb, 78, 0x20000));
    size_t vm78_tables = 0;
    c.walk.for_each([&](const WalkEntry& e) { vm78_tables += e.tag.vmid == 78; });
    EXPECT_EQ(vm78_tables, 1u);
    EXPECT_EQ(c.walk.size(), 1u);
    EXPECT_EQ(c.cfg.size(), 2u);  // no CFGI from the guest: configuration untouched
}
