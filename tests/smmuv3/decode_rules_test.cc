// SPDX-License-Identifier: GPL-2.0-only
// The decoder's CERROR_ILL rules (models/smmuv3/decode_rules.h): one row per
// rule, each with the section of Arm IHI 0070 (chapter 4, "Commands") or the
// model's documented choice, an encoding that breaks the rule (it must be
// refused by exactly that rule) and its nearest legal neighbour (it must
// decode), so every row can fail both ways.
#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "smmuv3/decode_rules.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::smmuv3::cmdf;

namespace {

struct Enc {
    uint8_t op;
    uint64_t dw0;
    uint64_t dw1;
};

struct Row {
    const char* rule;
    const char* section;  // what the row tests, cited
    Enc illegal;
    Enc legal;
    CommandFeatures f;
};

CommandFeatures with(void (*tweak)(CommandFeatures&))
{
    CommandFeatures f;
    tweak(f);
    return f;
}

Decoded dec(const Enc& e, const CommandFeatures& f) { return decode_command(OPCODE.set(e.dw0, e.op), e.dw1, f); }

const CommandFeatures kDefault{};

const Row kRows[] = {
    {"opcode.reserved", "IHI 0070 §4.1.1: reserved opcode 0x08", {0x08, 0, 0}, {OP_CFGI_STE, 0, 0}, kDefault},
    {"opcode.el3", "IHI 0070 §4.4: TLBI_EL3_ALL on the Non-secure queue", {OP_TLBI_EL3_ALL, 0, 0},
     {OP_TLBI_EL2_ALL, 0, 0}, kDefault},
    {"opcode.vms", "IHI 0070 §4.3: CFGI_VMS_PIDM without VMS", {OP_CFGI_VMS_PIDM, 0, 0}, {OP_CFGI_CD_ALL, 0, 0},
     kDefault},
    {"feature.s1p", "IHI 0070 §4.4: TLBI_NH_VA with IDR0.S1P = 0", {OP_TLBI_NH_VA, 0, 0}, {OP_TLBI_S2_IPA, 0, 0},
     with([](CommandFeatures& f) { f.s1p = false; })},
    {"feature.hyp", "IHI 0070 §4.4: TLBI_EL2_ASID with IDR0.HYP = 0", {OP_TLBI_EL2_ASID, 0, 0},
     {OP_TLBI_NH_ASID, 0, 0}, with([](CommandFeatures& f) { f.hyp = false; })},
    {"feature.s2p", "IHI 0070 §4.4: TLBI_S12_VMALL with IDR0.S2P = 0", {OP_TLBI_S12_VMALL, 0, 0},
     {OP_TLBI_NH_ALL, 0, 0}, with([](CommandFeatures& f) { f.s2p = false; })},
    {"feature.ats", "IHI 0070 §4.5: ATC_INV with IDR0.ATS = 0", {OP_ATC_INV, 0, 0}, {OP_CFGI_STE, 0, 0},
     with([](CommandFeatures& f) { f.ats = false; })},
    {"feature.pri", "IHI 0070 §4.5: PRI_RESP with IDR0.PRI = 0", {OP_PRI_RESP, 0, 0}, {OP_CMD_SYNC, 0, 0},
     kDefault},
    {"feature.stall", "IHI 0070 §4.6: RESUME without a stall model", {OP_RESUME, 0, 0}, {OP_CMD_SYNC, 0, 0},
     kDefault},
    {"ssv.no_substreams", "IHI 0070 §4.5: ATC_INV SSV = 1 with IDR1.SSIDSIZE = 0", {OP_ATC_INV, SSV.put(1), 0},
     {OP_ATC_INV, 0, 0}, with([](CommandFeatures& f) { f.ssidsize = 0; })},
    {"ssid.width", "choice: CFGI_CD SSID 0x10 with IDR1.SSIDSIZE = 4", {OP_CFGI_CD, CFGI_SSID.put(0x10), 0},
     {OP_CFGI_CD, CFGI_SSID.put(0xf), 0}, with([](CommandFeatures& f) { f.ssidsize = 4; })},
    {"asid.width", "choice: TLBI_NH_ASID ASID 0x100 with IDR0.ASID16 = 0",
     {OP_TLBI_NH_ASID, TLBI_ASID.put(0x100), 0}, {OP_TLBI_NH_ASID, TLBI_ASID.put(0xff), 0},
     with([](CommandFeatures& f) { f.asid16 = false; })},
    {"vmid.width", "choice: TLBI_S12_VMALL VMID 0x100 with IDR0.VMID16 = 0",
     {OP_TLBI_S12_VMALL, TLBI_VMID.put(0x100), 0}, {OP_TLBI_S12_VMALL, TLBI_VMID.put(0xff), 0},
     with([](CommandFeatures& f) { f.vmid16 = false; })},
    {"range.no_ril", "IHI 0070 §4.4: TLBI_NH_VA TTL = 3 with IDR3.RIL = 0", {OP_TLBI_NH_VA, 0, TLBI_TTL.put(3)},
     {OP_TLBI_NH_VA, 0, TLBI_VA.put(1)}, with([](CommandFeatures& f) { f.ril = false; })},
    {"range.tg0_num_scale", "choice: TLBI_S2_IPA NUM = 1 with TG = 0", {OP_TLBI_S2_IPA, TLBI_NUM.put(1), 0},
     {OP_TLBI_S2_IPA, TLBI_NUM.put(1), TLBI_TG.put(1)}, kDefault},
    {"range.tg0_ttl", "choice: TLBI_EL2_VA TTL = 2 with TG = 0", {OP_TLBI_EL2_VA, 0, TLBI_TTL.put(2)},
     {OP_TLBI_EL2_VA, 0, TLBI_TTL.put(2) | TLBI_TG.put(1)}, kDefault},
    {"range.scale_ds", "choice: TLBI_NH_VA SCALE = 32 without IDR5.DS",
     {OP_TLBI_NH_VA, TLBI_SCALE.put(32), TLBI_TG.put(1)}, {OP_TLBI_NH_VA, TLBI_SCALE.put(31), TLBI_TG.put(1)},
     kDefault},
    {"range.granule", "choice: TLBI_NH_VAA TG = 64K with IDR5.GRAN64K = 0",
     {OP_TLBI_NH_VAA, TLBI_NUM.put(1), TLBI_TG.put(3)}, {OP_TLBI_NH_VAA, TLBI_NUM.put(1), TLBI_TG.put(2)},
     with([](CommandFeatures& f) { f.gran64k = false; })},
    // R20a: TG = 4K, TTL = NUM = SCALE = 0; its neighbour has NUM = 1.
    {"range.ttl_num_scale_zero", "IHI 0070 §4.4: TG = 4K with TTL = NUM = SCALE = 0",
     {OP_TLBI_NH_VA, 0, TLBI_TG.put(1)}, {OP_TLBI_NH_VA, TLBI_NUM.put(1), TLBI_TG.put(1)}, kDefault},
    // R20b: TG = 16K, TTL = 1 without IDR5.DS counts as TTL = 0; TTL = 2 is a level.
    {"range.ttl_num_scale_zero", "IHI 0070 §4.4 + choice: TG = 16K, TTL = 1 without IDR5.DS, NUM = SCALE = 0",
     {OP_TLBI_NH_VA, 0, TLBI_TG.put(2) | TLBI_TTL.put(1)}, {OP_TLBI_NH_VA, 0, TLBI_TG.put(2) | TLBI_TTL.put(2)},
     kDefault},
    {"range.ttl_num_scale_zero", "IHI 0070 §4.4: TLBI_S2_IPA TG = 64K with TTL = NUM = SCALE = 0",
     {OP_TLBI_S2_IPA, 0, TLBI_TG.put(3)}, {OP_TLBI_S2_IPA, TLBI_SCALE.put(1), TLBI_TG.put(3)}, kDefault},
    {"atc.size", "choice: ATC_INV Size = 53", {OP_ATC_INV, 0, ATC_SIZE.put(53)}, {OP_ATC_INV, 0, ATC_SIZE.put(52)},
     kDefault},
    {"pri.resp", "IHI 0070 §4.5: PRI_RESP Resp = 0b11", {OP_PRI_RESP, 0, PRI_RESP.put(3)},
     {OP_PRI_RESP, 0, PRI_RESP.put(2)}, with([](CommandFeatures& f) { f.pri = true; })},
    {"resume.resp", "IHI 0070 §4.6: RESUME Action = 0b11", {OP_RESUME, RESUME_RESP.put(3), 0},
     {OP_RESUME, RESUME_RESP.put(1), 0}, with([](CommandFeatures& f) { f.stall = true; })},
    {"sync.cs", "IHI 0070 §4.6: CMD_SYNC CS = 0b11", {OP_CMD_SYNC, SYNC_CS.put(3), 0},
     {OP_CMD_SYNC, SYNC_CS.put(CS_SEV), 0}, kDefault},
    {"sync.msh", "choice: CMD_SYNC CS = IRQ with MSH = 0b01", {OP_CMD_SYNC, SYNC_CS.put(CS_IRQ) | SYNC_MSH.put(1), 0},
     {OP_CMD_SYNC, SYNC_CS.put(CS_IRQ) | SYNC_MSH.put(3), 0}, kDefault},
};

void PrintTo(const Row& r, std::ostream* os) { *os << r.rule << " (" << r.section << ")"; }

class DecodeRuleRow : public ::testing::TestWithParam<Row> {};

}  // namespace

TEST_P(DecodeRuleRow, IllegalEncodingBreaksExactlyThisRuleAndItsNeighbourDecodes)
{
    const Row& r = GetParam();
    const Decoded bad = dec(r.illegal, r.f);
    EXPECT_FALSE(bad.ok) << r.section;
    const DecodeRule* broken = broken_rule(OPCODE.set(r.illegal.dw0, r.illegal.op), r.illegal.dw1, r.f);
    ASSERT_NE(broken, nullptr) << r.section;
    EXPECT_STREQ(broken->id, r.rule) << r.section;
    EXPECT_STREQ(bad.why, broken->why);
    const Decoded good = dec(r.legal, r.f);
    EXPECT_TRUE(good.ok) << r.section << ": neighbour refused: " << (good.why ? good.why : "");
}

INSTANTIATE_TEST_SUITE_P(Rules, DecodeRuleRow, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                             std::string n = std::to_string(info.index) + "_" + info.param.rule;
                             for (char& c : n)
                                 if (c == '.')
                                     c = '_';
                             return n;
                         });

TEST(DecodeRules, EveryRuleHasATestRowAndASection)
{
    std::set<std::string> tested;
    for (const Row& r : kRows)
        tested.insert(r.rule);
    for (const DecodeRule& r : decode_rules()) {
        EXPECT_TRUE(tested.count(r.id)) << r.id << " has no test row";
        EXPECT_TRUE(std::string(r.section).rfind("IHI 0070 §", 0) == 0 || std::string(r.section).rfind("choice:", 0) == 0)
            << r.id << ": " << r.section;
    }
    EXPECT_EQ(tested.size(), decode_rules().size());
}

TEST(DecodeRules, EffectiveTtlOf16kLevel1DependsOnDs)
{
    CommandFeatures f;
    EXPECT_EQ(effective_ttl(TLBI_TG.put(2) | TLBI_TTL.put(1), f), 0u);
    EXPECT_EQ(effective_ttl(TLBI_TG.put(1) | TLBI_TTL.put(1), f), 1u);  // 4K level 1 exists
    EXPECT_EQ(effective_ttl(TLBI_TG.put(3) | TLBI_TTL.put(1), f), 1u);
    f.ds = true;
    EXPECT_EQ(effective_ttl(TLBI_TG.put(2) | TLBI_TTL.put(1), f), 1u);
    EXPECT_TRUE(decode_command(OPCODE.put(OP_TLBI_NH_VA), TLBI_TG.put(2) | TLBI_TTL.put(1), f).ok);
}

// What Linux's arm_smmu_cmdq_batch_add_range() builds stays legal: leaf
// ranges with TTL, and non-leaf ranges whose single page it doubles.
TEST(DecodeRules, LinuxRangeEncodingsAreLegal)
{
    CommandFeatures f;
    // Leaf, 4K granule, 2 MiB page: TTL = 2, NUM = 0, SCALE = 0.
    EXPECT_TRUE(decode_command(OPCODE.put(OP_TLBI_NH_VA), TLBI_TG.put(1) | TLBI_TTL.put(2) | TLBI_LEAF.put(1), f).ok);
    // Non-leaf single page: the driver sends two pages (NUM = 1).
    EXPECT_TRUE(decode_command(OPCODE.put(OP_TLBI_S2_IPA) | TLBI_NUM.put(1), TLBI_TG.put(3), f).ok);
    // CMD_SYNC as arm_smmu_make_cmd_sync() builds it: MSH = ISH, MSIAttr = OIWB.
    EXPECT_TRUE(decode_command(OPCODE.put(OP_CMD_SYNC) | SYNC_CS.put(CS_IRQ) | SYNC_MSH.put(3) | SYNC_MSIATTR.put(0xf),
                               SYNC_MSIADDR.put(0x1000), f)
                    .ok);
}

// RES0 fields of commands are ignored (README Decisions): SSec (bit 10) on
// the Non-secure command queue reads as 0.
TEST(DecodeRules, SsecOnTheNonSecureQueueIsIgnored)
{
    const Decoded d = decode_command(OPCODE.put(OP_CFGI_STE) | SSEC.put(1) | CFGI_SID.put(7), 0, CommandFeatures{});
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.cmd.sid, 7u);
}

// An SMMU's table of the rules its features leave (DecodeRuleTable) finds the
// same first broken rule, and decodes the same fields, as every rule
// checked: over each row's encodings and features, and 20000 random
// commands (every opcode, random fields) with each row's features.
TEST(DecodeRuleTable, SameVerdictAsEveryRule)
{
    std::vector<CommandFeatures> fs{CommandFeatures{}};
    std::vector<Enc> encs;
    for (const Row& r : kRows) {
        fs.push_back(r.f);
        encs.push_back(r.illegal);
        encs.push_back(r.legal);
    }
    // Every rule's fields (DecodeRule::fields_dw0/dw1), to clear in some
    // of the random commands: the table's answer without a predicate.
    uint64_t fields0 = 0, fields1 = 0;
    for (const DecodeRule& r : decode_rules()) {
        fields0 |= r.fields_dw0;
        fields1 |= r.fields_dw1;
    }
    std::mt19937_64 rng(13);
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t dw0 = rng() & rng(), dw1 = rng() & rng();  // fields mostly small
        if (i % 3 == 0) {
            dw0 &= ~fields0 | OPCODE.mask();
            dw1 &= ~fields1;
        }
        encs.push_back({static_cast<uint8_t>(i % 2 ? OPCODE.get(dw0) : kRows[i % std::size(kRows)].illegal.op), dw0,
                        dw1});
    }
    for (const CommandFeatures& f : fs) {
        const DecodeRuleTable t(f);
        for (const Enc& e : encs) {
            const uint64_t dw0 = OPCODE.set(e.dw0, e.op);
            ASSERT_EQ(t.broken(dw0, e.dw1), broken_rule(dw0, e.dw1, f)) << std::hex << dw0 << " " << e.dw1;
            const Decoded a = decode_command(dw0, e.dw1, t), b = decode_command(dw0, e.dw1, f);
            ASSERT_EQ(a.ok, b.ok);
            ASSERT_EQ(a.why, b.why);
            EXPECT_EQ(a.cmd.vmid, b.cmd.vmid);
            EXPECT_EQ(a.cmd.asid, b.cmd.asid);
            EXPECT_EQ(a.cmd.addr, b.cmd.addr);
            EXPECT_EQ(a.cmd.span, b.cmd.span);
        }
    }
}

// A rule's fields (DecodeRule::fields_dw0/dw1) are what the table relies
// on to answer without its predicate: no command with them all zero breaks
// the rule, for any opcode it applies to, under each row's features, all
// features on and all off (random other bits). Each row's illegal encoding
// sets one of its rule's fields, when the rule has fields.
TEST(DecodeRules, ZeroFieldsBreakNoRule)
{
    std::vector<CommandFeatures> fs{CommandFeatures{}};
    CommandFeatures none;
    none.s1p = none.s2p = none.hyp = none.ats = none.ril = none.vmid16 = none.asid16 = false;
    none.gran4k = none.gran16k = none.gran64k = false;
    none.sidsize = 0;
    none.ssidsize = 0;
    fs.push_back(none);
    for (const Row& r : kRows)
        fs.push_back(r.f);
    std::mt19937_64 rng(14);
    unsigned checked = 0;
    for (const DecodeRule& rule : decode_rules()) {
        if ((rule.fields_dw0 | rule.fields_dw1) == 0)
            continue;
        EXPECT_EQ(rule.fields_dw0 & OPCODE.mask(), 0u) << rule.id;
        for (unsigned op = 0; op < 256; op++) {
            if (!rule.applies(static_cast<uint8_t>(op)))
                continue;
            for (const CommandFeatures& f : fs)
                for (unsigned i = 0; i < 64; i++) {
                    const uint64_t dw0 = OPCODE.set(rng() & ~rule.fields_dw0, op), dw1 = rng() & ~rule.fields_dw1;
                    ASSERT_FALSE(rule.illegal(dw0, dw1, f)) << rule.id << std::hex << " " << dw0 << " " << dw1;
                    checked++;
                }
        }
    }
    EXPECT_GT(checked, 0u);
    for (const Row& r : kRows)
        for (const DecodeRule& rule : decode_rules())
            if (std::string(rule.id) == r.rule && (rule.fields_dw0 | rule.fields_dw1) != 0) {
                const uint64_t dw0 = OPCODE.set(r.illegal.dw0, r.illegal.op);
                EXPECT_TRUE((dw0 & rule.fields_dw0) != 0 || (r.illegal.dw1 & rule.fields_dw1) != 0) << rule.id;
            }
}

// With the default features a TLBI_NH_VA is checked against four rules (the
// range rules a TLBI can still break), not ten; without IDR3.RIL the range
// rule comes back; an opcode the architecture does not define is checked
// against the opcode rule alone.
// decode_command_into(Command&, ...) writes every field: decoding one
// command over another (a consumer's array slot) leaves nothing of the
// one before, and gives decode_command()'s command and verdict.
TEST(DecodeRuleTable, IntoACommandIsTheDecodedCommandWhateverItHeld)
{
    const DecodeRuleTable t(CommandFeatures{});
    std::mt19937_64 rng(15);
    Command c{};
    unsigned legal = 0, illegal = 0;
    for (unsigned i = 0; i < 20000; i++) {
        // A legal TLBI_NH_VA (ASID, VMID, VA, leaf: no range), a legal
        // CMD_SYNC (an MSI), else mostly illegal words.
        uint64_t dw0 = rng() & rng(), dw1 = rng() & rng();
        if (i % 4 == 0) {
            dw0 = OPCODE.set(rng() & (TLBI_ASID.mask() | TLBI_VMID.mask()), OP_TLBI_NH_VA);
            dw1 = rng() & (TLBI_VA.mask() | TLBI_LEAF.mask());
        } else if (i % 4 == 1) {
            dw0 = SYNC_CS.set(OPCODE.set(rng() & SYNC_MSIDATA.mask(), OP_CMD_SYNC), CS_IRQ);
            dw1 = rng() & SYNC_MSIADDR.mask();
        }
        const Decoded d = decode_command(dw0, dw1, t);
        ASSERT_EQ(decode_command_into(c, dw0, dw1, t), d.ok) << std::hex << dw0 << " " << dw1;
        (d.ok ? legal : illegal)++;
        const Command& e = d.cmd;
        ASSERT_EQ(c.dw0, e.dw0);
        ASSERT_EQ(c.dw1, e.dw1);
        ASSERT_EQ(c.op, e.op);
        ASSERT_EQ(c.cls, e.cls);
        ASSERT_EQ(c.cls, command_class(static_cast<uint8_t>(OPCODE.get(dw0))));
        ASSERT_EQ(c.sid, e.sid);
        ASSERT_EQ(c.sid_span, e.sid_span);
        ASSERT_EQ(c.ssid, e.ssid);
        ASSERT_EQ(c.ssv, e.ssv);
        ASSERT_EQ(c.leaf, e.leaf);
        ASSERT_EQ(c.asid, e.asid);
        ASSERT_EQ(c.vmid, e.vmid);
        ASSERT_EQ(c.addr, e.addr);
        ASSERT_EQ(c.span, e.span);
        ASSERT_EQ(c.pages, e.pages);
        ASSERT_EQ(c.cs, e.cs);
        ASSERT_EQ(c.msi_data, e.msi_data);
        ASSERT_EQ(c.msi_addr, e.msi_addr);
    }
    EXPECT_GT(legal, 1000u);  // both kinds decoded over each other
    EXPECT_GT(illegal, 1000u);
}

// decode_commands_into(): a burst decoded in place is each command's
// decode_command_into() in turn up to and including the first illegal one,
// whose index it returns (the burst's length when none is), and it writes
// nothing after that one.
TEST(DecodeRuleTable, ABurstIsEachCommandUpToTheFirstIllegal)
{
    const DecodeRuleTable t(CommandFeatures{});
    std::mt19937_64 rng(17);
    constexpr size_t kBurst = 12;
    unsigned whole = 0, cut = 0;
    for (unsigned b = 0; b < 3000; b++) {
        std::vector<uint64_t> words(2 * kBurst);
        for (size_t i = 0; i < kBurst; i++) {
            uint64_t& dw0 = words[2 * i];
            uint64_t& dw1 = words[2 * i + 1];
            if (rng() % 16 == 0) {  // mostly illegal
                dw0 = rng() & rng();
                dw1 = rng() & rng();
            } else if (i % 2) {
                dw0 = OPCODE.set(rng() & (TLBI_ASID.mask() | TLBI_VMID.mask()), OP_TLBI_NH_VA);
                dw1 = rng() & (TLBI_VA.mask() | TLBI_LEAF.mask());
            } else {
                dw0 = SYNC_CS.set(OPCODE.set(rng() & SYNC_MSIDATA.mask(), OP_CMD_SYNC), rng() % 3);
                dw1 = rng() & SYNC_MSIADDR.mask();
            }
        }
        const size_t n = 1 + rng() % kBurst;
        std::vector<Command> out(kBurst + 1);
        Command marker{};
        marker.sid = 0xdeadbeef;  // what a slot left alone still holds
        for (Command& c : out)
            c = marker;
        const size_t legal = decode_commands_into(out.data(), words.data(), n, t);
        ASSERT_LE(legal, n);
        (legal == n ? whole : cut)++;
        for (size_t i = 0; i <= kBurst; i++) {
            if (i > legal || i >= n) {
                ASSERT_EQ(out[i].sid, marker.sid) << "slot " << i << " of " << n << " written";
                continue;
            }
            Command e{};
            const bool ok = decode_command_into(e, words[2 * i], words[2 * i + 1], t);
            ASSERT_EQ(ok, i < legal) << "command " << i;
            ASSERT_EQ(out[i].dw0, e.dw0);
            ASSERT_EQ(out[i].dw1, e.dw1);
            ASSERT_EQ(out[i].op, e.op);
            ASSERT_EQ(out[i].cls, e.cls);
            ASSERT_EQ(out[i].sid, e.sid);
            ASSERT_EQ(out[i].asid, e.asid);
            ASSERT_EQ(out[i].vmid, e.vmid);
            ASSERT_EQ(out[i].leaf, e.leaf);
            ASSERT_EQ(out[i].addr, e.addr);
            ASSERT_EQ(out[i].span, e.span);
            ASSERT_EQ(out[i].pages, e.pages);
            ASSERT_EQ(out[i].cs, e.cs);
            ASSERT_EQ(out[i].msi_data, e.msi_data);
            ASSERT_EQ(out[i].msi_addr, e.msi_addr);
        }
    }
    EXPECT_GT(whole, 300u);  // bursts with and without an illegal command
    EXPECT_GT(cut, 300u);
}

TEST(DecodeRuleTable, DropsRulesTheFeaturesCannotBreak)
{
    auto ids = [](const DecodeRuleTable& t, uint8_t op) {
        std::vector<std::string> v;
        for (const DecodeRule* r : t.rules(op))
            v.push_back(r->id);
        return v;
    };
    const std::vector<std::string> va{"range.tg0_num_scale", "range.tg0_ttl", "range.scale_ds",
                                      "range.ttl_num_scale_zero"};
    EXPECT_EQ(ids(DecodeRuleTable(CommandFeatures{}), OP_TLBI_NH_VA), va);
    CommandFeatures no_ril;
    no_ril.ril = false;
    EXPECT_EQ(ids(DecodeRuleTable(no_ril), OP_TLBI_NH_VA).size(), 5u);
    EXPECT_EQ(ids(DecodeRuleTable(no_ril), OP_TLBI_NH_VA)[0], "range.no_ril");
    EXPECT_EQ(ids(DecodeRuleTable(CommandFeatures{}), 0x7f), std::vector<std::string>{"opcode.reserved"});
}
