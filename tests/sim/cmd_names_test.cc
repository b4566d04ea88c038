// SPDX-License-Identifier: GPL-2.0-only
// The trace reader's tables of command and field names (sim/cmd_names.h)
// know exactly the names the command encoder (smmuv3/commands.h) knows, and
// a near-miss of a name is refused with the messages it always had.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmd_names.h"
#include "cmd_syntax.h"
#include "support/trace_text.h"
#include "trace.h"

using namespace smmusim;

// Every opcode's name and every field of it, found as the encoder finds
// them; CFGI_ALL with its implied field.
TEST(CmdNames, FindEveryNameTheEncoderKnows)
{
    unsigned names = 0;
    for (unsigned op = 0; op < 256; op++) {
        const std::string name = smmuv3::opcode_name(static_cast<uint8_t>(op));
        smmuv3::CommandName want;
        const bool known = smmuv3::command_by_name(name, want);
        const smmuv3::CommandName* got = command_by_name(name);
        ASSERT_EQ(got != nullptr, known) << name;
        if (!known)
            continue;
        names++;
        EXPECT_EQ(got->op, want.op) << name;
        EXPECT_EQ(got->implied, want.implied) << name;
        for (const smmuv3::FieldSpec& f : smmuv3::command_fields(got->op)) {
            unsigned index = 99;
            EXPECT_EQ(command_field(got->op, f.name, &index), smmuv3::find_field(got->op, f.name)) << f.name;
            EXPECT_EQ(&smmuv3::command_fields(got->op)[index], &f);
        }
    }
    EXPECT_GE(names, 25u);
    const smmuv3::CommandName* all = command_by_name("CFGI_ALL");
    ASSERT_NE(all, nullptr);
    EXPECT_EQ(all->op, smmuv3::OP_CFGI_STE_RANGE);
    ASSERT_NE(all->implied, nullptr);
    EXPECT_STREQ(all->implied->name, "range");
    EXPECT_EQ(all->implied_value, 31u);
}

// Near-misses: case, a prefix, a longer name, "UNKNOWN" (opcode_name's word
// for no opcode), and fields of another command.
TEST(CmdNames, RefuseNearMisses)
{
    for (const char* n : {"cmd_sync", "CMD_SYN", "CMD_SYNCC", "CMD_SYNC ", "UNKNOWN", "", "TLBI_NH", "CFGI_AL",
                          "TLBI_NH_VB", "ULBI_NH_VA", "TLBI_NX_VA", "TLBI_NH_VA_TLBI_NH_VA", "C", "CM", "CMD"}) {
        smmuv3::CommandName c;
        EXPECT_FALSE(smmuv3::command_by_name(n, c)) << n;
        EXPECT_EQ(command_by_name(n), nullptr) << n;
    }
    EXPECT_EQ(command_field(smmuv3::OP_CMD_SYNC, "asid"), nullptr);
    EXPECT_EQ(command_field(smmuv3::OP_TLBI_NH_VA, "addrx"), nullptr);
    EXPECT_EQ(command_field(smmuv3::OP_TLBI_NH_VA, "Addr"), nullptr);
    EXPECT_EQ(command_field(smmuv3::OP_TLBI_NH_VA, "add"), nullptr);
}

// The reader's messages for them, at their columns.
TEST(CmdNames, TraceErrorsForNearMissesAreUnchanged)
{
    using test::parse_error;
    const std::string q = "cmdq enable\n";
    EXPECT_EQ(parse_error(q + "cmd cmdq CMD_SYN\n"), ":2:10: unknown command 'CMD_SYN'");
    EXPECT_EQ(parse_error(q + "cmd cmdq cmd_sync\n"), ":2:10: unknown command 'cmd_sync'");
    EXPECT_EQ(parse_error(q + "cmd cmdq TLBI_NH_VA asid=1 adr=0x1000\n"),
              ":2:28: TLBI_NH_VA has no field 'adr' (fields: vmid, asid, num, scale, leaf, ttl, tg, addr)");
    EXPECT_EQ(parse_error(q + "cmd cmdq TLBI_NH_VA asid=1 asid=2\n"), ":2:28: 'asid' is given twice");
    EXPECT_EQ(parse_error(q + "cmd cmdq TLBI_NH_VA adr=zz\n"), ":2:25: expected a field value (a number), got 'zz'");
    EXPECT_EQ(parse_error("expect executed CMD_SYN\n"), ":1:17: unknown command 'CMD_SYN'");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC asid=1\n"), ":1:26: CMD_SYNC has no field 'asid'");
}

// check_field_fits() takes a value exactly when the encoder's field_fit()
// says it fits: every field of every command, with values at every bit
// boundary (each power of two, the all-ones below it, and one less than
// each of the shift's and the width's limits).
TEST(CmdNames, FieldFitsAsTheEncoderSays)
{
    std::istringstream in("x\n");
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    const Token tok{"x", 1};
    unsigned fields = 0;
    for (unsigned op = 0; op < 256; op++)
        for (const smmuv3::FieldSpec& f : smmuv3::command_fields(static_cast<uint8_t>(op))) {
            fields++;
            std::vector<uint64_t> values = {0, ~uint64_t(0)};
            for (unsigned b = 0; b < 64; b++) {
                values.push_back(uint64_t(1) << b);
                values.push_back((uint64_t(1) << b) - 1);
                values.push_back(~((uint64_t(1) << b) - 1));
            }
            for (const uint64_t v : values) {
                const bool fits = smmuv3::field_fit(f, v) == smmuv3::FieldFit::Fits;
                bool taken = true;
                try {
                    check_field_fits(lx, f, tok, v);
                } catch (const TraceError&) {
                    taken = false;
                }
                EXPECT_EQ(taken, fits) << f.name << " " << v;
            }
        }
    EXPECT_GE(fields, 50u);
}
