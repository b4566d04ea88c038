// SPDX-License-Identifier: GPL-2.0-only
// The command decoder: fields, classes and which commands are illegal.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/commands.h"

using namespace smmusim;
using namespace smmusim::smmuv3;

namespace {
Decoded dec(uint8_t op, uint64_t dw0 = 0, uint64_t dw1 = 0, CommandFeatures f = {})
{
    return decode_command(cmdf::OPCODE.set(dw0, op), dw1, f);
}
}  // namespace

TEST(Commands, EveryCommandLinuxIssuesDecodes)
{
    for (uint8_t op : {OP_PREFETCH_CONFIG, OP_PREFETCH_ADDR, OP_CFGI_STE, OP_CFGI_STE_RANGE, OP_CFGI_CD, OP_CFGI_CD_ALL,
                       OP_TLBI_NH_ALL, OP_TLBI_NH_ASID, OP_TLBI_NH_VA, OP_TLBI_NH_VAA, OP_TLBI_EL2_ALL,
                       OP_TLBI_EL2_ASID, OP_TLBI_EL2_VA, OP_TLBI_EL2_VAA, OP_TLBI_S12_VMALL, OP_TLBI_S2_IPA,
                       OP_TLBI_NSNH_ALL, OP_ATC_INV, OP_CMD_SYNC}) {
        Decoded d = dec(op);
        EXPECT_TRUE(d.ok) << opcode_name(op) << ": " << (d.why ? d.why : "");
        EXPECT_EQ(d.cmd.op, op);
    }
}

TEST(Commands, UnknownAndUnimplementedOpcodesAreIllegal)
{
    for (uint8_t op : {0x00, 0x08, 0x0f, 0x14, 0x18, 0x1a, 0x27, 0x2b, 0x31, 0x42, 0x47, 0x7f, 0xff, 0x07})
        EXPECT_FALSE(dec(op).ok) << std::hex << int(op);
    EXPECT_FALSE(dec(OP_PRI_RESP).ok);    // IDR0.PRI = 0
    EXPECT_FALSE(dec(OP_RESUME).ok);      // no stall model
    EXPECT_FALSE(dec(OP_STALL_TERM).ok);
    CommandFeatures f;
    f.pri = true;
    f.stall = true;
    EXPECT_TRUE(dec(OP_PRI_RESP, 0, 0, f).ok);
    EXPECT_FALSE(dec(OP_PRI_RESP, 0, cmdf::PRI_RESP.put(3), f).ok);
    EXPECT_TRUE(dec(OP_RESUME, 0, 0, f).ok);
    EXPECT_TRUE(dec(OP_STALL_TERM, 0, 0, f).ok);
}

TEST(Commands, FeatureGatedCommandsAreIllegalWithoutTheFeature)
{
    CommandFeatures no_s1;
    no_s1.s1p = false;
    EXPECT_FALSE(dec(OP_TLBI_NH_VA, 0, 0, no_s1).ok);
    EXPECT_FALSE(dec(OP_TLBI_EL2_ALL, 0, 0, no_s1).ok);
    EXPECT_TRUE(dec(OP_TLBI_S2_IPA, 0, 0, no_s1).ok);
    CommandFeatures no_s2;
    no_s2.s2p = false;
    EXPECT_FALSE(dec(OP_TLBI_S12_VMALL, 0, 0, no_s2).ok);
    EXPECT_FALSE(dec(OP_TLBI_S2_IPA, 0, 0, no_s2).ok);
    CommandFeatures no_hyp;
    no_hyp.hyp = false;
    EXPECT_FALSE(dec(OP_TLBI_EL2_VA, 0, 0, no_hyp).ok);
    CommandFeatures no_ats;
    no_ats.ats = false;
    EXPECT_FALSE(dec(OP_ATC_INV, 0, 0, no_ats).ok);
    CommandFeatures no_ssid;
    no_ssid.ssidsize = 0;
    EXPECT_FALSE(dec(OP_CFGI_CD, cmdf::CFGI_SSID.put(1), 0, no_ssid).ok);
    EXPECT_FALSE(dec(OP_ATC_INV, cmdf::SSV.put(1), 0, no_ssid).ok);
}

TEST(Commands, TlbiFieldsAndRanges)
{
    Decoded d = dec(OP_TLBI_NH_VA, cmdf::TLBI_ASID.put(0x1234) | cmdf::TLBI_VMID.put(0x42),
                    cmdf::TLBI_VA.put(0xabcde) | cmdf::TLBI_LEAF.put(1));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.asid, 0x1234);
    EXPECT_EQ(d.cmd.vmid, 0x42);
    EXPECT_EQ(d.cmd.addr, 0xabcde000ull);
    EXPECT_TRUE(d.cmd.leaf);
    EXPECT_EQ(d.cmd.pages, 1u);
    EXPECT_EQ(d.cmd.cls, CmdClass::TlbiVa);

    // Range (IHI 0070 §4.4): (NUM+1) * 2^SCALE pages of the TG granule, as
    // Linux's arm_smmu_cmdq_batch_add_range() computes it.
    // TG = 4K, SCALE = 1, NUM = 2 -> (2+1) * 2^1 = 6 pages.
    d = dec(OP_TLBI_NH_VA, cmdf::TLBI_NUM.put(2) | cmdf::TLBI_SCALE.put(1), cmdf::TLBI_TG.put(1) | cmdf::TLBI_TTL.put(3));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.pages, 6u);
    EXPECT_EQ(d.cmd.span, 6ull * 4096);
    // 64K granule, NUM = 1, SCALE = 0 -> 2 pages.
    d = dec(OP_TLBI_S2_IPA, cmdf::TLBI_NUM.put(1), cmdf::TLBI_TG.put(3));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.span, 2ull * 65536);
    // NUM = 31, SCALE = 20, 4K: 32 << 20 pages.
    d = dec(OP_TLBI_NH_VA, cmdf::TLBI_NUM.put(31) | cmdf::TLBI_SCALE.put(20), cmdf::TLBI_TG.put(1));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.pages, 32u << 20);
    EXPECT_EQ(d.cmd.span, (32ull << 20) * 4096);
    // The largest SCALE (6 bits) saturates instead of overflowing.
    CommandFeatures ds;  // SCALE above 31 needs IDR5.DS
    ds.ds = true;
    d = dec(OP_TLBI_NH_VA, cmdf::TLBI_NUM.put(31) | cmdf::TLBI_SCALE.put(63), cmdf::TLBI_TG.put(3), ds);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.span, ~0ull);
    EXPECT_EQ(d.cmd.pages, UINT32_MAX);
    // NUM/SCALE without TG: illegal; any range field without RIL: illegal.
    EXPECT_FALSE(dec(OP_TLBI_NH_VA, cmdf::TLBI_NUM.put(1)).ok);
    CommandFeatures no_ril;
    no_ril.ril = false;
    EXPECT_FALSE(dec(OP_TLBI_NH_VA, 0, cmdf::TLBI_TG.put(1), no_ril).ok);
    EXPECT_FALSE(dec(OP_TLBI_EL2_VA, 0, cmdf::TLBI_TTL.put(1), no_ril).ok);
    EXPECT_TRUE(dec(OP_TLBI_NH_VA, 0, cmdf::TLBI_VA.put(1), no_ril).ok);
    // 8-bit ASIDs/VMIDs: a value above 8 bits is illegal (decode_rules_test.cc).
    CommandFeatures narrow;
    narrow.asid16 = false;
    narrow.vmid16 = false;
    EXPECT_FALSE(dec(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(0x1234), 0, narrow).ok);
    d = dec(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(0x34) | cmdf::TLBI_VMID.put(0x78), 0, narrow);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.asid, 0x34);
    EXPECT_EQ(d.cmd.vmid, 0x78);
}

TEST(Commands, CfgiAtcAndSyncFields)
{
    // CFGI_ALL is CFGI_STE_RANGE with Range = 31: every StreamID.
    Decoded d = dec(OP_CFGI_STE_RANGE, 0, cmdf::CFGI_RANGE.put(31));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.sid, 0u);
    EXPECT_EQ(d.cmd.sid_span, UINT32_MAX);
    d = dec(OP_CFGI_STE_RANGE, cmdf::CFGI_SID.put(0x1237), cmdf::CFGI_RANGE.put(2));  // 8 SIDs, aligned down
    EXPECT_EQ(d.cmd.sid, 0x1230u);
    EXPECT_EQ(d.cmd.sid_span, 8u);
    d = dec(OP_CFGI_CD, cmdf::CFGI_SID.put(9) | cmdf::CFGI_SSID.put(3), cmdf::CFGI_LEAF.put(1));
    EXPECT_EQ(d.cmd.sid, 9u);
    EXPECT_EQ(d.cmd.ssid, 3u);
    EXPECT_TRUE(d.cmd.leaf);

    d = dec(OP_ATC_INV, cmdf::ATC_SID.put(0x100) | cmdf::SSV.put(1) | cmdf::ATC_SSID.put(5),
            cmdf::ATC_ADDR.put(0x40) | cmdf::ATC_SIZE.put(4));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.sid, 0x100u);
    EXPECT_EQ(d.cmd.ssid, 5u);
    EXPECT_EQ(d.cmd.addr, 0x40000u);
    EXPECT_EQ(d.cmd.span, 16u * 4096);
    d = dec(OP_ATC_INV, 0, cmdf::ATC_SIZE.put(52));  // the whole ATC
    EXPECT_EQ(d.cmd.span, ~0ull);
    // Address bits below the span are ignored (README Decisions).
    d = dec(OP_ATC_INV, 0, cmdf::ATC_ADDR.put(0x43) | cmdf::ATC_SIZE.put(4));
    EXPECT_EQ(d.cmd.addr, 0x40000u);
    d = dec(OP_ATC_INV, 0, cmdf::ATC_ADDR.put(0x43) | cmdf::ATC_SIZE.put(52));
    EXPECT_EQ(d.cmd.addr, 0u);

    d = dec(OP_CMD_SYNC, cmdf::SYNC_CS.put(cmdf::CS_IRQ) | cmdf::SYNC_MSIDATA.put(0xcafe),
            cmdf::SYNC_MSIADDR.put(0x80001230 >> 2));
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.cs, cmdf::CS_IRQ);
    EXPECT_EQ(d.cmd.msi_data, 0xcafeu);
    EXPECT_EQ(d.cmd.msi_addr, 0x80001230u);
    EXPECT_FALSE(dec(OP_CMD_SYNC, cmdf::SYNC_CS.put(3)).ok);
}

namespace {
// What the decoder made of a named field, where it keeps the value as given.
// Not compared: CFGI_STE_RANGE aligns its StreamID down to the range and
// ATC_INV its address to the size; and the encoder's field tables give
// some commands fields the decoder ignores (CFGI_STE's SubstreamID,
// PREFETCH_CONFIG's Size and Addr, the EL2 TLBIs' VMID), which travel in the
// dwords but have no decoded scope.
std::optional<uint64_t> decoded_scope(const Command& c, const std::string& field)
{
    const bool el2 = c.op >= OP_TLBI_EL2_ALL && c.op <= OP_TLBI_EL2_VAA;
    if (field == "sid" && c.op != OP_CFGI_STE_RANGE)
        return c.sid;
    if (field == "ssid" && c.op != OP_CFGI_STE)
        return c.ssid;
    if (field == "asid")
        return c.asid;
    if (field == "vmid" && !el2)
        return c.vmid;
    if (field == "addr" && c.op != OP_ATC_INV && c.op != OP_PREFETCH_CONFIG)
        return c.addr;
    if (field == "cs")
        return c.cs;
    if (field == "msidata")
        return c.msi_data;
    if (field == "msiaddr")
        return c.msi_addr;
    return std::nullopt;
}
}  // namespace

// The encoder is the decoder's other half: every command the decoder has a
// name for, with every field it carries set, encodes to dwords whose fields
// read back as set, and the decoder takes them as they are.
TEST(Commands, EncodeDecodeRoundTripOfEveryCommand)
{
    CommandFeatures all;  // every feature a command may need
    all.pri = true;
    all.stall = true;
    unsigned kinds = 0;
    for (unsigned op = 0; op < 256; op++) {
        const std::string name = opcode_name(static_cast<uint8_t>(op));
        if (name == "UNKNOWN")
            continue;
        kinds++;
        // A legal value for each field: 1 in a 1-bit field, 2 in a 2-bit one
        // (CS = SEV, a valid TG, a non-reserved response), else 3; byte
        // addresses are 3 units of the field's shift.
        std::vector<std::pair<std::string, uint64_t>> values;
        for (const FieldSpec& f : command_fields(static_cast<uint8_t>(op))) {
            const unsigned width = f.field.hi - f.field.lo + 1;
            values.emplace_back(f.name, uint64_t(width == 1 ? 1 : width == 2 ? 2 : 3) << f.shift);
        }
        const EncodedCommand c = encode_command(name, values);
        EXPECT_EQ(c.op, op) << name;
        EXPECT_EQ(cmdf::OPCODE.get(c.dw0), op) << name;
        for (const auto& [field, v] : values)
            EXPECT_EQ(get_field(*find_field(static_cast<uint8_t>(op), field), c.dw0, c.dw1), v) << name << " " << field;
        // The decoder refuses some opcodes whatever their fields (EL3 TLBIs,
        // CFGI_VMS_PIDM); it takes every other one with these fields.
        if (!decode_command(cmdf::OPCODE.put(op), 0, all).ok)
            continue;
        const Decoded d = decode_command(c.dw0, c.dw1, all);
        ASSERT_TRUE(d.ok) << name << ": " << d.why;
        EXPECT_EQ(d.cmd.op, op);
        EXPECT_EQ(d.cmd.dw0, c.dw0);
        EXPECT_EQ(d.cmd.dw1, c.dw1);
        for (const auto& [field, v] : values) {
            if (const std::optional<uint64_t> got = decoded_scope(d.cmd, field)) {
                EXPECT_EQ(*got, v) << name << " " << field;
            }
        }
    }
    EXPECT_EQ(kinds, 25u);  // every Opcode
}

TEST(Commands, EncoderNamesWhatItCannotEncode)
{
    // CFGI_ALL is CFGI_STE_RANGE with Range = 31.
    const EncodedCommand all = encode_command("CFGI_ALL");
    EXPECT_EQ(all.op, OP_CFGI_STE_RANGE);
    EXPECT_EQ(cmdf::CFGI_RANGE.get(all.dw1), 31u);
    uint64_t cs = 0;
    EXPECT_TRUE(field_value_by_name(OP_CMD_SYNC, *find_field(OP_CMD_SYNC, "cs"), "sev", cs));
    EXPECT_EQ(cs, cmdf::CS_SEV);
    EXPECT_FALSE(field_value_by_name(OP_CMD_SYNC, *find_field(OP_CMD_SYNC, "msh"), "sev", cs));
    EXPECT_EQ(field_fit(*find_field(OP_TLBI_NH_VA, "addr"), 0x1001), FieldFit::Unaligned);
    EXPECT_EQ(field_fit(*find_field(OP_TLBI_NH_VA, "asid"), 0x10000), FieldFit::TooWide);
    EXPECT_EQ(field_fit(*find_field(OP_TLBI_NH_VA, "asid"), 0xffff), FieldFit::Fits);
    EXPECT_THROW(encode_command("TLBI_XX"), std::invalid_argument);
    EXPECT_THROW(encode_command("CMD_SYNC", {{"asid", 1}}), std::invalid_argument);
    EXPECT_THROW(encode_command("TLBI_NH_VA", {{"addr", 0x1001}}), std::invalid_argument);
}
