// SPDX-License-Identifier: GPL-2.0-only
// The guest filter, decision by decision, and its security invariants.
#include <gtest/gtest.h>

#include <vector>

#include "cmdqv/cmdqv_regs.h"
#include "cmdqv/guest_filter.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;

namespace {
Command make(uint8_t op, uint64_t dw0 = 0, uint64_t dw1 = 0)
{
    Decoded d = decode_command(cmdf::OPCODE.set(dw0, op), dw1, CommandFeatures{});
    EXPECT_TRUE(d.ok) << opcode_name(op);
    return d.cmd;
}
const SidPair kSids[] = {{true, 0x10, 0x1234}, {false, 0x11, 0x5678}, {true, 0x12, 0x9abc}};
const VintfView kGuest{false, 42, kSids, 3};
}  // namespace

TEST(GuestFilter, TlbisRunUnderTheVintfVmidWhateverTheGuestWrote)
{
    for (uint8_t op : {OP_TLBI_NH_ASID, OP_TLBI_NH_VA}) {
        for (uint64_t vmid : {0ull, 41ull, 42ull, 0xffffull}) {
            Command c = make(op, cmdf::TLBI_VMID.put(vmid) | cmdf::TLBI_ASID.put(5), cmdf::TLBI_VA.put(9));
            FilterResult r = guest_filter(c, kGuest);
            EXPECT_EQ(r.error, 0);
            EXPECT_EQ(c.vmid, 42);
            EXPECT_EQ(cmdf::TLBI_VMID.get(c.dw0), 42u);
            EXPECT_EQ(c.asid, 5);  // the ASID is the guest's to choose
            EXPECT_EQ(cmdf::TLBI_VA.get(c.dw1), 9u);
        }
    }
}

TEST(GuestFilter, AtcInvSidIsTranslatedOrRefused)
{
    Command c = make(OP_ATC_INV, cmdf::ATC_SID.put(0x12), cmdf::ATC_SIZE.put(3));
    EXPECT_EQ(guest_filter(c, kGuest).error, 0);
    EXPECT_EQ(c.sid, 0x9abcu);
    EXPECT_EQ(cmdf::ATC_SID.get(c.dw0), 0x9abcu);
    // A disabled pair does not match; neither does a physical SID.
    for (uint32_t sid : {0x11u, 0x1234u, 0x13u}) {
        Command d = make(OP_ATC_INV, cmdf::ATC_SID.put(sid));
        EXPECT_EQ(guest_filter(d, kGuest).error, CERROR_ILL_ACCESS) << std::hex << sid;
    }
}

TEST(GuestFilter, SyncCompletesWithoutGuestChosenSignalling)
{
    Command c = make(OP_CMD_SYNC, cmdf::SYNC_CS.put(cmdf::CS_IRQ) | cmdf::SYNC_MSIDATA.put(1),
                     cmdf::SYNC_MSIADDR.put(0x80000000 >> 2));
    FilterResult r = guest_filter(c, kGuest);
    EXPECT_EQ(r.error, 0);
    EXPECT_TRUE(r.sync_suppressed);
    EXPECT_EQ(c.cs, cmdf::CS_NONE);
    EXPECT_EQ(c.msi_addr, 0u);
    Command n = make(OP_CMD_SYNC);
    EXPECT_FALSE(guest_filter(n, kGuest).sync_suppressed);
}

TEST(GuestFilter, EverythingElseIsAnIllegalOpcode)
{
    for (uint8_t op : {OP_PREFETCH_CONFIG, OP_PREFETCH_ADDR, OP_CFGI_STE, OP_CFGI_STE_RANGE, OP_CFGI_CD,
                       OP_CFGI_CD_ALL, OP_TLBI_NH_ALL, OP_TLBI_NH_VAA, OP_TLBI_EL2_ALL, OP_TLBI_EL2_ASID,
                       OP_TLBI_EL2_VA, OP_TLBI_EL2_VAA, OP_TLBI_S12_VMALL, OP_TLBI_S2_IPA, OP_TLBI_NSNH_ALL}) {
        Command c = make(op);
        EXPECT_EQ(guest_filter(c, kGuest).error, CERROR_ILL) << opcode_name(op);
    }
}

TEST(GuestFilter, HypervisorOwnedVintfAdmitsEverythingUnchanged)
{
    const VintfView host{true, 42, kSids, 3};
    for (uint8_t op : {OP_CFGI_STE, OP_TLBI_NH_ALL, OP_TLBI_S12_VMALL, OP_ATC_INV, OP_TLBI_NH_VA}) {
        Command c = make(op, cmdf::TLBI_VMID.put(7) | (op == OP_ATC_INV ? cmdf::ATC_SID.put(0x99) : 0));
        const Command before = c;
        EXPECT_EQ(guest_filter(c, host).error, 0);
        EXPECT_EQ(c.dw0, before.dw0);
        EXPECT_EQ(c.dw1, before.dw1);
    }
}

// A burst filtered at once is each command filtered in turn, up to the
// first refused: the same rewriting, the same error, the suppressed
// CMD_SYNCs counted, and nothing after the refused command touched.
TEST(GuestFilter, BurstIsEachCommandInTurnUpToTheFirstRefused)
{
    const Command sync_irq = make(OP_CMD_SYNC, cmdf::SYNC_CS.put(cmdf::CS_IRQ));
    const Command tlbi = make(OP_TLBI_NH_VA, cmdf::TLBI_VMID.put(7) | cmdf::TLBI_ASID.put(3));
    const Command atc_ok = make(OP_ATC_INV, cmdf::ATC_SID.put(0x10));
    const Command atc_bad = make(OP_ATC_INV, cmdf::ATC_SID.put(0x11));
    const Command cfgi = make(OP_CFGI_STE);
    const std::vector<std::vector<Command>> bursts = {
        {},
        {tlbi, sync_irq, atc_ok, sync_irq},
        {sync_irq, tlbi, atc_bad, sync_irq, tlbi},
        {cfgi, tlbi},
        {tlbi, sync_irq, cfgi},
    };
    for (size_t b = 0; b < bursts.size(); b++) {
        std::vector<Command> each = bursts[b], at_once = bursts[b];
        uint32_t admitted = 0, suppressed = 0;
        uint8_t error = 0;
        for (Command& c : each) {
            const FilterResult r = guest_filter(c, kGuest);
            if (r.error) {
                error = r.error;
                break;
            }
            admitted++;
            suppressed += r.sync_suppressed;
        }
        const BurstFilterResult r = guest_filter_burst(at_once.data(), uint32_t(at_once.size()), kGuest);
        EXPECT_EQ(r.admitted, admitted) << b;
        EXPECT_EQ(r.error, error) << b;
        EXPECT_EQ(r.syncs_suppressed, suppressed) << b;
        for (size_t i = 0; i < each.size(); i++) {
            EXPECT_EQ(at_once[i].dw0, each[i].dw0) << b << " " << i;
            EXPECT_EQ(at_once[i].dw1, each[i].dw1) << b << " " << i;
            EXPECT_EQ(at_once[i].vmid, each[i].vmid) << b << " " << i;
            EXPECT_EQ(at_once[i].sid, each[i].sid) << b << " " << i;
            EXPECT_EQ(at_once[i].cs, each[i].cs) << b << " " << i;
        }
    }
    // The expected outcomes themselves, so the comparison cannot pass vacuously.
    std::vector<Command> refused = bursts[2];
    const BurstFilterResult r = guest_filter_burst(refused.data(), uint32_t(refused.size()), kGuest);
    EXPECT_EQ(r.admitted, 2u);
    EXPECT_EQ(r.error, CERROR_ILL_ACCESS);
    EXPECT_EQ(r.syncs_suppressed, 1u);
    EXPECT_EQ(refused[3].cs, cmdf::CS_IRQ);  // after the refused command: untouched
    // A hypervisor-owned VINTF's burst: all admitted, unchanged.
    std::vector<Command> host = bursts[2];
    const BurstFilterResult h = guest_filter_burst(host.data(), uint32_t(host.size()), VintfView{true, 42, kSids, 3});
    EXPECT_EQ(h.admitted, host.size());
    EXPECT_EQ(h.error, 0);
    EXPECT_EQ(h.syncs_suppressed, 0u);
    for (size_t i = 0; i < host.size(); i++)
        EXPECT_EQ(host[i].dw0, bursts[2][i].dw0) << i;
}
