// SPDX-License-Identifier: GPL-2.0-only
// The guest filter, decision by decision, and its security invariants.
#include <gtest/gtest.h>

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
