// SPDX-License-Identifier: GPL-2.0-only
// The invalidation scope of each command (models/smmuv3/invalidation.h),
// and its hand-off to an InvalidationTarget as the command completes.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/cmdq.h"
#include "smmuv3/invalidation.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using Scope = InvalidationScope;

namespace {

Scope scope_of(uint64_t dw0, uint64_t dw1 = 0)
{
    const Decoded d = decode_command(dw0, dw1, CommandFeatures{});
    EXPECT_TRUE(d.ok) << d.why;
    Scope s;
    EXPECT_TRUE(invalidation_scope(d.cmd, s)) << opcode_name(d.cmd.op);
    return s;
}

uint64_t op(Opcode o) { return cmdf::OPCODE.put(o); }

}  // namespace

TEST(InvalidationScope, TlbiByAsidVmidAndRegime)
{
    const Scope asid = scope_of(op(OP_TLBI_NH_ASID) | cmdf::TLBI_ASID.put(7) | cmdf::TLBI_VMID.put(3));
    EXPECT_EQ(asid.kind, Scope::Kind::Tlb);
    EXPECT_EQ(asid.regime, Scope::Regime::Nh);
    EXPECT_TRUE(asid.by_vmid && asid.by_asid && !asid.by_address);
    EXPECT_EQ(asid.vmid, 3);
    EXPECT_EQ(asid.asid, 7);

    const Scope all = scope_of(op(OP_TLBI_NH_ALL) | cmdf::TLBI_VMID.put(9));
    EXPECT_TRUE(all.by_vmid && !all.by_asid && !all.by_address);
    EXPECT_EQ(all.vmid, 9);

    const Scope el2 = scope_of(op(OP_TLBI_EL2_ASID) | cmdf::TLBI_ASID.put(4));
    EXPECT_EQ(el2.regime, Scope::Regime::El2);
    EXPECT_TRUE(!el2.by_vmid && el2.by_asid);

    const Scope vm = scope_of(op(OP_TLBI_S12_VMALL) | cmdf::TLBI_VMID.put(5));
    EXPECT_EQ(vm.regime, Scope::Regime::S2);
    EXPECT_TRUE(vm.by_vmid && !vm.by_asid);

    const Scope nsnh = scope_of(op(OP_TLBI_NSNH_ALL));
    EXPECT_EQ(nsnh.regime, Scope::Regime::Nsnh);
    EXPECT_TRUE(!nsnh.by_vmid && !nsnh.by_asid && !nsnh.by_address);
}

TEST(InvalidationScope, TlbiByAddressWithLeafAndRange)
{
    // TG = 4K, SCALE 1, NUM 2: (2+1) << 1 = 6 pages from 0x40000.
    const Scope va = scope_of(op(OP_TLBI_NH_VA) | cmdf::TLBI_ASID.put(2) | cmdf::TLBI_NUM.put(2) |
                                  cmdf::TLBI_SCALE.put(1),
                              cmdf::TLBI_VA.put(0x40) | cmdf::TLBI_LEAF.put(1) | cmdf::TLBI_TG.put(1) |
                                  cmdf::TLBI_TTL.put(3));
    EXPECT_TRUE(va.by_address && va.by_asid && va.leaf);
    EXPECT_EQ(va.addr, 0x40000u);
    EXPECT_EQ(va.span, 6u * 4096);
    EXPECT_EQ(va.tg, 1);
    EXPECT_EQ(va.ttl, 3);
    EXPECT_EQ(va.num, 2);
    EXPECT_EQ(va.scale, 1);

    // VAA: every ASID of the VMID; no range: span 0.
    const Scope vaa = scope_of(op(OP_TLBI_NH_VAA) | cmdf::TLBI_VMID.put(1), cmdf::TLBI_VA.put(0x7));
    EXPECT_TRUE(vaa.by_address && !vaa.by_asid && vaa.by_vmid && !vaa.leaf);
    EXPECT_EQ(vaa.addr, 0x7000u);
    EXPECT_EQ(vaa.span, 0u);

    const Scope ipa = scope_of(op(OP_TLBI_S2_IPA) | cmdf::TLBI_VMID.put(6), cmdf::TLBI_IPA.put(0x123));
    EXPECT_EQ(ipa.regime, Scope::Regime::S2);
    EXPECT_TRUE(ipa.by_address && ipa.by_vmid && !ipa.by_asid);
    EXPECT_EQ(ipa.addr, 0x123000u);

    const Scope el2va = scope_of(op(OP_TLBI_EL2_VA) | cmdf::TLBI_ASID.put(8), cmdf::TLBI_VA.put(1));
    EXPECT_EQ(el2va.regime, Scope::Regime::El2);
    EXPECT_TRUE(el2va.by_address && el2va.by_asid && !el2va.by_vmid);
}

TEST(InvalidationScope, ConfigurationByStreamAndSubstream)
{
    const Scope ste = scope_of(op(OP_CFGI_STE) | cmdf::CFGI_SID.put(0x42), cmdf::CFGI_LEAF.put(1));
    EXPECT_EQ(ste.kind, Scope::Kind::Ste);
    EXPECT_EQ(ste.sid, 0x42u);
    EXPECT_EQ(ste.sid_span, 1u);
    EXPECT_TRUE(ste.leaf);

    // Range 3: 16 StreamIDs, aligned down.
    const Scope range = scope_of(op(OP_CFGI_STE_RANGE) | cmdf::CFGI_SID.put(0x47), cmdf::CFGI_RANGE.put(3));
    EXPECT_EQ(range.kind, Scope::Kind::Ste);
    EXPECT_EQ(range.sid, 0x40u);
    EXPECT_EQ(range.sid_span, 16u);

    const Scope all = scope_of(op(OP_CFGI_STE_RANGE), cmdf::CFGI_RANGE.put(31));  // CFGI_ALL
    EXPECT_EQ(all.sid, 0u);
    EXPECT_EQ(all.sid_span, UINT32_MAX);

    const Scope cd = scope_of(op(OP_CFGI_CD) | cmdf::CFGI_SID.put(5) | cmdf::CFGI_SSID.put(9));
    EXPECT_EQ(cd.kind, Scope::Kind::Cd);
    EXPECT_TRUE(cd.by_ssid && !cd.leaf);
    EXPECT_EQ(cd.ssid, 9u);

    const Scope cd_all = scope_of(op(OP_CFGI_CD_ALL) | cmdf::CFGI_SID.put(5));
    EXPECT_EQ(cd_all.kind, Scope::Kind::Cd);
    EXPECT_FALSE(cd_all.by_ssid);
    EXPECT_EQ(cd_all.sid, 5u);
}

TEST(InvalidationScope, AtcInvalidationByStreamSubstreamAndRange)
{
    // Size 2: four pages, the address aligned down to them.
    const Scope atc = scope_of(op(OP_ATC_INV) | cmdf::ATC_SID.put(3) | cmdf::SSV.put(1) | cmdf::ATC_SSID.put(4),
                               cmdf::ATC_ADDR.put(0x13) | cmdf::ATC_SIZE.put(2));
    EXPECT_EQ(atc.kind, Scope::Kind::Atc);
    EXPECT_EQ(atc.sid, 3u);
    EXPECT_TRUE(atc.by_ssid && !atc.global);
    EXPECT_EQ(atc.ssid, 4u);
    EXPECT_EQ(atc.addr, 0x10000u);
    EXPECT_EQ(atc.span, 0x4000u);

    const Scope global = scope_of(op(OP_ATC_INV) | cmdf::ATC_SID.put(3) | cmdf::ATC_GLOBAL.put(1),
                                  cmdf::ATC_SIZE.put(52));
    EXPECT_TRUE(global.global && !global.by_ssid);
    EXPECT_EQ(global.span, ~0ull);
}

TEST(InvalidationScope, CommandsThatInvalidateNothingHaveNoScope)
{
    for (Opcode o : {OP_CMD_SYNC, OP_PREFETCH_CONFIG, OP_PREFETCH_ADDR}) {
        const Decoded d = decode_command(op(o), 0, CommandFeatures{});
        ASSERT_TRUE(d.ok) << opcode_name(o);
        Scope s;
        EXPECT_FALSE(invalidation_scope(d.cmd, s)) << opcode_name(o);
    }
}

TEST(InvalidationScope, TheEngineHandsEachScopeToItsTargetsBeforeConsMoves)
{
    // A target sees a command's scope as it completes, before CONS moves
    // past it; a CMD_SYNC has none.
    struct Recorder : InvalidationTarget {
        smmusim::test::TestBench* b = nullptr;
        std::vector<Scope> seen;
        std::vector<uint32_t> cons_then;
        void invalidate(const Scope& s) override
        {
            seen.push_back(s);
            cons_then.push_back(static_cast<uint32_t>(b->smmu().bank().get(CMDQ_CONS)));
        }
    } rec;
    smmusim::test::TestBench b;
    rec.b = &b;
    b.smmu().engine().add_invalidation_target(rec);
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8,
                 {smmusim::test::cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(5)),
                  smmusim::test::cmd(OP_CFGI_STE, cmdf::CFGI_SID.put(2)), smmusim::test::cmd_sync()});
        while ((b.smmu().bank().get(CMDQ_CONS) & 0xff) < 3)
            b.wait_cycles(1);
    });
    ASSERT_EQ(rec.seen.size(), 2u);
    EXPECT_EQ(rec.seen[0].op, OP_TLBI_NH_ASID);
    EXPECT_EQ(rec.seen[0].asid, 5);
    EXPECT_EQ(rec.seen[1].kind, Scope::Kind::Ste);
    EXPECT_EQ(rec.seen[1].sid, 2u);
    EXPECT_EQ(rec.cons_then, (std::vector<uint32_t>{0, 1}));
}

namespace {

// Every field of two scopes alike (a scope has no operator==).
void expect_same_scope(const Scope& a, const Scope& b, const char* what)
{
    SCOPED_TRACE(what);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.op, b.op);
    EXPECT_EQ(a.regime, b.regime);
    EXPECT_EQ(a.by_vmid, b.by_vmid);
    EXPECT_EQ(a.vmid, b.vmid);
    EXPECT_EQ(a.by_asid, b.by_asid);
    EXPECT_EQ(a.asid, b.asid);
    EXPECT_EQ(a.by_address, b.by_address);
    EXPECT_EQ(a.addr, b.addr);
    EXPECT_EQ(a.span, b.span);
    EXPECT_EQ(a.leaf, b.leaf);
    EXPECT_EQ(a.tg, b.tg);
    EXPECT_EQ(a.ttl, b.ttl);
    EXPECT_EQ(a.num, b.num);
    EXPECT_EQ(a.scale, b.scale);
    EXPECT_EQ(a.sid, b.sid);
    EXPECT_EQ(a.sid_span, b.sid_span);
    EXPECT_EQ(a.by_ssid, b.by_ssid);
    EXPECT_EQ(a.ssid, b.ssid);
    EXPECT_EQ(a.global, b.global);
}

}  // namespace

TEST(InvalidationScope, ATlbiScopeWrittenOverAnotherIsTheBlankOnes)
{
    // Scopes with every field set that a TLBI leaves blank or sets, then
    // each TLBI written over each of them: the same scope as written over
    // a blank one (the engine reuses one scope for every command).
    struct Words {
        uint64_t dw0, dw1;
        const char* what;
    };
    const Words before[] = {
        {op(OP_ATC_INV) | cmdf::ATC_SID.put(3) | cmdf::SSV.put(1) | cmdf::ATC_SSID.put(4) | cmdf::ATC_GLOBAL.put(1),
         cmdf::ATC_ADDR.put(0x13) | cmdf::ATC_SIZE.put(2), "ATC_INV"},
        {op(OP_CFGI_STE_RANGE) | cmdf::CFGI_SID.put(0x47), cmdf::CFGI_RANGE.put(3), "CFGI_STE_RANGE"},
        {op(OP_CFGI_CD) | cmdf::CFGI_SID.put(5) | cmdf::CFGI_SSID.put(9), cmdf::CFGI_LEAF.put(1), "CFGI_CD"},
        {op(OP_TLBI_NH_VA) | cmdf::TLBI_ASID.put(2) | cmdf::TLBI_VMID.put(7) | cmdf::TLBI_NUM.put(2) |
             cmdf::TLBI_SCALE.put(1),
         cmdf::TLBI_VA.put(0x40) | cmdf::TLBI_LEAF.put(1) | cmdf::TLBI_TG.put(1) | cmdf::TLBI_TTL.put(3), "TLBI_NH_VA"},
    };
    const Words tlbis[] = {
        {op(OP_TLBI_NH_ALL) | cmdf::TLBI_VMID.put(9), 0, "TLBI_NH_ALL"},
        {op(OP_TLBI_NH_ASID) | cmdf::TLBI_ASID.put(7) | cmdf::TLBI_VMID.put(3), 0, "TLBI_NH_ASID"},
        {op(OP_TLBI_NH_VAA) | cmdf::TLBI_VMID.put(1), cmdf::TLBI_VA.put(0x7), "TLBI_NH_VAA"},
        {op(OP_TLBI_EL2_ALL), 0, "TLBI_EL2_ALL"},
        {op(OP_TLBI_EL2_VA) | cmdf::TLBI_ASID.put(8), cmdf::TLBI_VA.put(1), "TLBI_EL2_VA"},
        {op(OP_TLBI_S12_VMALL) | cmdf::TLBI_VMID.put(5), 0, "TLBI_S12_VMALL"},
        {op(OP_TLBI_S2_IPA) | cmdf::TLBI_VMID.put(6), cmdf::TLBI_IPA.put(0x123), "TLBI_S2_IPA"},
        {op(OP_TLBI_NSNH_ALL), 0, "TLBI_NSNH_ALL"},
    };
    for (const Words& b : before)
        for (const Words& t : tlbis) {
            Scope over = scope_of(b.dw0, b.dw1);
            const Decoded d = decode_command(t.dw0, t.dw1, CommandFeatures{});
            ASSERT_TRUE(d.ok) << t.what;
            ASSERT_TRUE(invalidation_scope(d.cmd, over)) << t.what;
            const std::string what = std::string(t.what) + " over " + b.what;
            expect_same_scope(over, scope_of(t.dw0, t.dw1), what.c_str());
            EXPECT_EQ(over.kind, Scope::Kind::Tlb);
            EXPECT_EQ(over.sid_span, 1u) << what;
            EXPECT_FALSE(over.global) << what;
        }
}

TEST(InvalidationScope, TheEngineCallsATargetOnlyForTheKindsItDeclares)
{
    // One target per declared set of kinds: each sees exactly the scopes
    // of its kinds, in command order; one declaring none is never called.
    struct Recorder : InvalidationTarget {
        ScopeKinds declared = 0;
        std::vector<Opcode> seen;
        void invalidate(const Scope& s) override
        {
            EXPECT_TRUE(declared & kind_bit(s.kind)) << opcode_name(s.op);
            seen.push_back(s.op);
        }
        ScopeKinds kinds() const override { return declared; }
    };
    Recorder tlb, config, atc_none, all;
    tlb.declared = kind_bit(Scope::Kind::Tlb);
    config.declared = kind_bit(Scope::Kind::Ste) | kind_bit(Scope::Kind::Cd);
    atc_none.declared = 0;
    all.declared = kAllScopeKinds;
    smmusim::test::TestBench b;
    for (Recorder* r : {&tlb, &config, &atc_none, &all})
        b.smmu().engine().add_invalidation_target(*r);
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        b.submit(q, 8,
                 {smmusim::test::cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(5)),
                  smmusim::test::cmd(OP_CFGI_STE, cmdf::CFGI_SID.put(2)),
                  smmusim::test::cmd(OP_TLBI_NSNH_ALL), smmusim::test::cmd(OP_CFGI_CD_ALL, cmdf::CFGI_SID.put(2)),
                  smmusim::test::cmd_sync()});
        while ((b.smmu().bank().get(CMDQ_CONS) & 0xff) < 5)
            b.wait_cycles(1);
    });
    EXPECT_EQ(tlb.seen, (std::vector<Opcode>{OP_TLBI_NH_ASID, OP_TLBI_NSNH_ALL}));
    EXPECT_EQ(config.seen, (std::vector<Opcode>{OP_CFGI_STE, OP_CFGI_CD_ALL}));
    EXPECT_TRUE(atc_none.seen.empty());
    EXPECT_EQ(all.seen, (std::vector<Opcode>{OP_TLBI_NH_ASID, OP_CFGI_STE, OP_TLBI_NSNH_ALL, OP_CFGI_CD_ALL}));
}
