// SPDX-License-Identifier: GPL-2.0-only
// `expect executed`: the trace line that checks the fields of the commands
// the hardware executed (sim/cmd_expect.h), its parser, the range
// arithmetic of covers= (range TLBIs: Arm IHI 0070, 4.4.1 "Range-based
// invalidation and TLBI address fields"; ATC_INV: 4.5.1), and the player's
// windows.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmd_expect.h"
#include "player.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "trace.h"

using namespace smmusim;
using smmusim::test::TestBench;
using smmusim::test::parse_error;
using smmusim::test::trace_text;
using smmusim::test::without_name;
namespace f = smmusim::smmuv3::cmdf;

namespace {

CmdExpect expect_of(const std::string& line)
{
    std::vector<TraceOp> ops;
    const std::string err = parse_error(line + "\n", &ops);
    EXPECT_EQ(err, "") << line;
    const TraceOp op = ops.empty() ? TraceOp{} : ops.back();
    EXPECT_EQ(op.kind, TraceOp::Kind::ExpectCmd) << line;
    return op.cexp;
}

ExecutedCmd executed(uint64_t dw0, uint64_t dw1, const char* queue = "smmu.cmdq")
{
    const smmuv3::Decoded d = smmuv3::decode_command(dw0, dw1, smmuv3::CommandFeatures{});
    EXPECT_TRUE(d.ok) << d.why;
    return ExecutedCmd{queue, d.cmd};
}

// A range TLBI_NH_VA as Linux builds it: (NUM+1) << SCALE pages of 4 KiB at addr.
ExecutedCmd tlbi_range(uint16_t asid, uint64_t addr, unsigned num, unsigned scale)
{
    return executed(f::OPCODE.put(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(asid) | f::TLBI_NUM.put(num) |
                        f::TLBI_SCALE.put(scale),
                    f::TLBI_TG.put(1) | f::TLBI_LEAF.put(1) | f::TLBI_TTL.put(3) | (addr & ~0xfffull));
}

}  // namespace

TEST(CmdExpect, ParsesFieldsCountsCoversAndQueues)
{
    CmdExpect e = expect_of("expect executed TLBI_NH_VA asid=5 vmid=0 covers=0x10000+0x4000 count=2 queue=smmu.cmdq");
    EXPECT_EQ(e.opcode, smmuv3::OP_TLBI_NH_VA);
    ASSERT_EQ(e.fields.size(), 2u);
    EXPECT_EQ(e.fields[0].value, 5u);
    EXPECT_TRUE(e.has_covers);
    EXPECT_EQ(e.base, 0x10000u);
    EXPECT_EQ(e.size, 0x4000u);
    EXPECT_EQ(e.count, 2u);
    EXPECT_EQ(e.queue, "smmu.cmdq");
    EXPECT_TRUE(expect_of("expect executed none").none);
    // CFGI_ALL is CFGI_STE_RANGE with Range = 31 (4.3.3): its name selects
    // (check_commands) by the field it implies, kept from parse time; it
    // has no field to compare.
    e = expect_of("expect executed CFGI_ALL");
    EXPECT_EQ(e.opcode, smmuv3::OP_CFGI_STE_RANGE);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_TRUE(e.fields[0].implied());
    EXPECT_STREQ(e.fields[0].spec->name, "range");
    EXPECT_EQ(e.fields[0].value, 31u);
    EXPECT_FALSE(expect_of("expect executed CFGI_STE_RANGE range=31").fields[0].implied());
    EXPECT_EQ(expect_of("expect executed CMD_SYNC cs=sev").fields[0].value, 2u);
}

// The VCMDQ a queue= names is read from the canonical name the parser
// made (leading zeros dropped); smmu.cmdq and any queue name none.
TEST(CmdExpect, ExpectedVcmdqIsTheIndexQueueNames)
{
    EXPECT_EQ(expected_vcmdq(expect_of("expect executed CMD_SYNC queue=cmdqv.vcmdq0")), 0u);
    EXPECT_EQ(expected_vcmdq(expect_of("expect executed CMD_SYNC queue=cmdqv.vcmdq007")), 7u);
    EXPECT_EQ(expected_vcmdq(expect_of("expect executed CMD_SYNC queue=cmdqv.vcmdq127")), 127u);
    EXPECT_EQ(expected_vcmdq(expect_of("expect executed CMD_SYNC queue=smmu.cmdq")), std::nullopt);
    EXPECT_EQ(expected_vcmdq(expect_of("expect executed CMD_SYNC")), std::nullopt);
    EXPECT_EQ(expect_of("expect executed CMD_SYNC queue=cmdqv.vcmdq05").queue,
              std::string(kVcmdqQueuePrefix) + "5");
}

TEST(CmdExpect, MalformedLinesNameLineAndColumn)
{
    EXPECT_EQ(parse_error("expect\n"), ":1:1: expected 'expect executed OPNAME ...' or 'expect executed none'");
    EXPECT_EQ(parse_error("expect executing CMD_SYNC\n"),
              ":1:8: expected 'expect executed OPNAME ...' or 'expect executed none'");
    EXPECT_EQ(parse_error("expect executed\n"), ":1:8: expected a command name or 'none' after 'expect executed'");
    EXPECT_EQ(parse_error("expect executed TLBI_XX\n"), ":1:17: unknown command 'TLBI_XX'");
    EXPECT_EQ(parse_error("expect executed none count=0\n"), ":1:22: unexpected 'count=0' after 'none'");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC asid=1\n"), ":1:26: CMD_SYNC has no field 'asid'");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA asid=1 asid=2\n"), ":1:35: 'asid' is given twice");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA asid=0x10000\n"),
              ":1:33: asid = 0x10000 does not fit its 16-bit field");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA addr=0x1001\n"), ":1:33: addr must be a multiple of 4096");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=0x1000\n"),
              ":1:35: expected covers=BASE+SIZE or covers=all, got '0x1000'");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=ALL\n"),
              ":1:35: expected covers=BASE+SIZE or covers=all, got 'ALL'");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=0+0\n"),
              ":1:37: covers=0+0 is empty or passes 2^64 (the whole address space is covers=all)");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_ASID covers=all\n"),
              ":1:30: TLBI_NH_ASID has no address range to cover");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=0x1000+0\n"),
              ":1:42: covers=0x1000+0 is empty or passes 2^64");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=0xfffffffffffff000+0x2000\n"),
              ":1:54: covers=0xfffffffffffff000+0x2000 is empty or passes 2^64");
    // Every command's range starts and ends on a 4 KiB boundary: another
    // range, or a range with count=0, can never match (they failed only
    // when run).
    EXPECT_EQ(parse_error("expect executed ATC_INV covers=1+0xffffffffffffffff\n"),
              ":1:32: covers=1+0xffffffffffffffff can never match: every command's range starts and ends on a 4 KiB "
              "boundary, and the base 0x1 is not a multiple of 0x1000");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA covers=0x1000+0x10\n"),
              ":1:42: covers=0x1000+0x10 can never match: every command's range starts and ends on a 4 KiB "
              "boundary, and the size 0x10 is not a multiple of 0x1000");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA count=0 covers=0x1000+0x1000\n"),
              ":1:36: covers= with count=0 can never match: no command is selected to cover it (count=0 alone "
              "checks that none executed)");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_ASID covers=0+0x1000\n"),
              ":1:30: TLBI_NH_ASID has no address range to cover");
    EXPECT_EQ(parse_error("expect executed TLBI_NH_VA granule=0x1800\n"),
              ":1:36: granule must be a power of two of at least 4096");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC queue=vcmdq0\n"),
              ":1:32: expected queue=smmu.cmdq or queue=cmdqv.vcmdqN, got 'vcmdq0'");
    // The whole name, not a prefix: these never name a queue.
    EXPECT_EQ(parse_error("expect executed CMD_SYNC queue=smmu.cmdq2\n"),
              ":1:32: expected queue=smmu.cmdq or queue=cmdqv.vcmdqN, got 'smmu.cmdq2'");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC queue=cmdqv.vcmdq-1\n"),
              ":1:32: expected queue=smmu.cmdq or queue=cmdqv.vcmdqN, got 'cmdqv.vcmdq-1'");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC queue=cmdqv.vcmdq128\n"),
              ":1:43: the VCMDQ index is 128 or more: a CMDQV has at most 128 VCMDQs");
    EXPECT_EQ(parse_error("expect executed CMD_SYNC count=x\n"), ":1:32: expected a command count (a number), got 'x'");
    EXPECT_EQ(parse_error("+5 expect executed CMD_SYNC\n"), ":1:1: an 'expect' line takes no time: it has no @ or +");
}

// Range TLBI: the range is (NUM+1) * 2^SCALE pages of the TG granule from
// Address (IHI 0070 4.4.1); the union of the commands must be exactly the
// expected range: one page short, one page too many or a hole all fail.
TEST(CmdExpect, CoversIsTheExactUnionOfTheRanges)
{
    // Linux's split of 7 pages at 0x10000: 1 page (scale 0), then 6 = 3 << 1.
    const std::vector<ExecutedCmd> seven = {tlbi_range(1, 0x10000, 0, 0), tlbi_range(1, 0x11000, 2, 1)};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA asid=1 covers=0x10000+0x7000 count=2"), seven), "");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0x10000+0x8000"), seven),
              "TLBI_NH_VA covers [0x10000, 0x17000), expected exactly [0x10000, 0x18000)");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0x10000+0x6000"), seven),
              "TLBI_NH_VA covers [0x10000, 0x17000), expected exactly [0x10000, 0x16000)");
    const std::vector<ExecutedCmd> hole = {tlbi_range(1, 0x10000, 0, 0), tlbi_range(1, 0x12000, 0, 0)};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0x10000+0x3000"), hole),
              "TLBI_NH_VA covers [0x10000, 0x11000) [0x12000, 0x13000), expected exactly [0x10000, 0x13000)");
    // Without a range (TG = 0) a TLBI covers the granule holding its address.
    const uint64_t va0 = f::OPCODE.put(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(1);
    const std::vector<ExecutedCmd> pages = {executed(va0, 0x200000), executed(va0, 0x400000)};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0x200000+0x400000 granule=0x200000"),
                             pages),
              "");
    EXPECT_NE(check_commands(expect_of("expect executed TLBI_NH_VA covers=0x200000+0x400000"), pages), "");
    // ATC_INV: 2^SIZE pages, naturally aligned around Address (4.5.1).
    const std::vector<ExecutedCmd> atc = {
        executed(f::OPCODE.put(smmuv3::OP_ATC_INV) | f::ATC_SID.put(0x10), f::ATC_SIZE.put(2) | 0x13000)};
    EXPECT_EQ(check_commands(expect_of("expect executed ATC_INV sid=0x10 covers=0x10000+0x4000"), atc), "");
}

// A range may end at 2^64 (the last page of the address space, an ATC_INV
// of the top 2^51 bytes, an ATC_INV of everything: SIZE 52, IHI 0070 4.5.1): the
// ends compare as last bytes, so the expected end does not wrap to 0, and
// an expectation one byte short of the executed range fails.
TEST(CmdExpect, CoversARangeEndingAt2To64)
{
    const uint64_t va0 = f::OPCODE.put(smmuv3::OP_TLBI_NH_VA) | f::TLBI_ASID.put(1);
    const std::vector<ExecutedCmd> top = {executed(va0, 0xfffffffffffff000ull | f::TLBI_LEAF.put(1))};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0xfffffffffffff000+0x1000"), top), "");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0xffffffffffffe000+0x2000"), top),
              "TLBI_NH_VA covers [0xfffffffffffff000, 2^64), expected exactly [0xffffffffffffe000, 2^64)");
    const uint64_t atc0 = f::OPCODE.put(smmuv3::OP_ATC_INV) | f::ATC_SID.put(0x10);
    const std::vector<ExecutedCmd> half = {executed(atc0, f::ATC_SIZE.put(39) | 0xfff8000000000000ull)};
    EXPECT_EQ(check_commands(expect_of("expect executed ATC_INV covers=0xfff8000000000000+0x8000000000000"), half),
              "");
    const std::vector<ExecutedCmd> all = {executed(atc0, f::ATC_SIZE.put(52))};
    EXPECT_EQ(check_commands(expect_of("expect executed ATC_INV covers=0+0xfffffffffffff000"), all),
              "ATC_INV covers [0x0, 2^64), expected exactly [0x0, 0xfffffffffffff000)");
    EXPECT_EQ(check_commands(expect_of("expect executed ATC_INV covers=0x1000+0xfffffffffffff000"), all),
              "ATC_INV covers [0x0, 2^64), expected exactly [0x1000, 2^64)");
    // The whole address space is covers=all (a SIZE stops at 2^64 - 1): an
    // ATC_INV of Size 52 (IHI 0070 4.5.1 CMD_ATC_INV) covers it, and so do
    // two halves; one half, or everything but the top page, does not.
    const CmdExpect whole = expect_of("expect executed ATC_INV covers=all");
    EXPECT_TRUE(whole.has_covers);
    EXPECT_EQ(check_commands(whole, all), "");
    const ExecutedCmd low = executed(atc0, f::ATC_SIZE.put(51)), high = executed(atc0, f::ATC_SIZE.put(51) | 1ull << 63);
    EXPECT_EQ(check_commands(whole, {low, high}), "");
    EXPECT_EQ(check_commands(whole, {low}), "ATC_INV covers [0x0, 0x8000000000000000), expected exactly [0x0, 2^64)");
    EXPECT_EQ(check_commands(expect_of("expect executed ATC_INV covers=all count=1"), {high}),
              "ATC_INV covers [0x8000000000000000, 2^64), expected exactly [0x0, 2^64)");
    // Sizes 51, 50, ..., 0 from 0 up: everything but the top page.
    std::vector<ExecutedCmd> but_top_page;
    for (int k = 51; k >= 0; k--)
        but_top_page.push_back(executed(atc0, f::ATC_SIZE.put(uint64_t(k)) | (k == 51 ? 0 : 0 - (1ull << (k + 13)))));
    EXPECT_EQ(check_commands(whole, but_top_page),
              "ATC_INV covers [0x0, 0xfffffffffffff000), expected exactly [0x0, 2^64)");
    but_top_page.push_back(executed(atc0, f::ATC_SIZE.put(0) | 0xfffffffffffff000ull));
    EXPECT_EQ(check_commands(whole, but_top_page), "");
    // Two ranges meeting at the top merge into one.
    const std::vector<ExecutedCmd> two = {executed(va0, 0xffffffffffffe000ull), executed(va0, 0xfffffffffffff000ull)};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA covers=0xffffffffffffe000+0x2000"), two), "");
}

// CFGI_ALL selects the CFGI_STE_RANGE commands with Range = 31 (IHI 0070
// 4.3.3) by the field its name implies, which the expectation keeps from
// parse time (its name is not looked up again): another opname with the
// same implied field selects the same commands.
TEST(CmdExpect, CfgiAllSelectsByItsImpliedField)
{
    const uint64_t ste_range = f::OPCODE.put(smmuv3::OP_CFGI_STE_RANGE);
    const std::vector<ExecutedCmd> cmds = {executed(ste_range, f::CFGI_RANGE.put(31)),
                                           executed(ste_range | f::CFGI_SID.put(0x40), f::CFGI_RANGE.put(5))};
    EXPECT_EQ(check_commands(expect_of("expect executed CFGI_ALL count=1"), cmds), "");
    EXPECT_EQ(check_commands(expect_of("expect executed CFGI_STE_RANGE count=2"), cmds), "");
    CmdExpect e = expect_of("expect executed CFGI_ALL count=1");
    e.opname = "ALL_STES";  // what messages call it; the selection is the implied field's
    EXPECT_EQ(check_commands(e, cmds), "");
    e.count = 2;
    EXPECT_EQ(check_commands(e, cmds), "ALL_STES executed 1 times, expected 2 (of 2 commands in the window)");
}

// A field with a shift (an address) compares as written, in bytes.
TEST(CmdExpect, ShiftedFieldsCompareAsWritten)
{
    const std::vector<ExecutedCmd> one = {tlbi_range(1, 0x11000, 0, 0)};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA addr=0x11000"), one), "");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA addr=0x10000"), one),
              "TLBI_NH_VA on smmu.cmdq (0x0001000000000012 0x0000000000011701) has addr=0x11000, expected "
              "addr=0x10000");
    EXPECT_EQ(expect_of("expect executed TLBI_NH_VA addr=0x11000").fields[0].value, 0x11000u);
}

TEST(CmdExpect, FieldsCountsQueuesAndNone)
{
    const std::vector<ExecutedCmd> cmds = {tlbi_range(1, 0x10000, 0, 0), tlbi_range(2, 0x11000, 0, 0),
                                           executed(f::OPCODE.put(smmuv3::OP_CMD_SYNC), 0, "cmdqv.vcmdq0")};
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA asid=1"), cmds),
              "TLBI_NH_VA on smmu.cmdq (0x0002000000000012 0x0000000000011701) has asid=0x2, expected asid=1");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_VA count=3"), cmds),
              "TLBI_NH_VA executed 2 times, expected 3 (of 3 commands in the window)");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_ASID"), cmds),
              "TLBI_NH_ASID executed 0 times, expected at least once (of 3 commands in the window)");
    EXPECT_EQ(check_commands(expect_of("expect executed TLBI_NH_ASID count=0"), cmds), "");
    EXPECT_EQ(check_commands(expect_of("expect executed CMD_SYNC queue=cmdqv.vcmdq0 count=1"), cmds), "");
    EXPECT_EQ(check_commands(expect_of("expect executed CMD_SYNC queue=smmu.cmdq"), cmds),
              "CMD_SYNC on smmu.cmdq executed 0 times, expected at least once (of 3 commands in the window)");
    EXPECT_EQ(check_commands(expect_of("expect executed none"), {}), "");
    EXPECT_NE(check_commands(expect_of("expect executed none"), cmds).find("expected no command, but 3 executed"),
              std::string::npos);
}

// The player: each expect checks its window (queue operations since the
// last other operation or expect), fails with its own line, and takes no
// simulated time.
TEST(CmdExpect, PlayerChecksEachWindow)
{
    TestBench b;
    TracePlayer player(b.soc(), trace_text(
        "cmdq enable log2size=2\n"
        "cmd cmdq TLBI_NH_VA asid=1 addr=0x10000 tg=1 num=3 leaf=1\n"  // 4 pages
        "cmd cmdq CMD_SYNC\n"
        "doorbell cmdq\n"
        "wait consumed cmdq\n"
        "expect executed TLBI_NH_VA asid=1 covers=0x10000+0x4000 count=1\n"  // holds
        "expect executed CMD_SYNC count=1\n"                                  // same window: holds
        "expect executed TLBI_NH_VA covers=0x10000+0x5000\n"                  // line 8: fails
        "cmd cmdq TLBI_NH_ASID asid=3\n"
        "cmd cmdq TLBI_NH_ASID asid=3\n"
        "cmd cmdq TLBI_NH_ASID asid=3\n"
        "cmd cmdq TLBI_NH_ASID asid=3\n"
        "doorbell cmdq\n"
        "cmd cmdq TLBI_NH_ASID asid=3\n"  // waits for room: the queue has 4 entries
        "doorbell cmdq\n"
        "wait consumed cmdq\n"
        "expect executed TLBI_NH_ASID asid=3 count=5\n"  // the new window only: holds
        "expect executed TLBI_NH_VA count=0\n"           // holds
        "read32 smmu.IDR0\n"
        "expect executed none\n"         // holds: a read executes no command
        "expect executed CMD_SYNC\n"));  // line 21: fails
    player.validate();
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    ASSERT_EQ(player.failures().size(), 2u) << player.failures()[0];
    EXPECT_EQ(without_name(player.failures()[0]),
              ":8:1: TLBI_NH_VA covers [0x10000, 0x14000), expected exactly [0x10000, 0x15000)");
    EXPECT_EQ(without_name(player.failures()[1]),
              ":21:1: CMD_SYNC executed 0 times, expected at least once (of 0 commands in the window)");
    EXPECT_EQ(player.ops(), 14u);  // expect lines are checks, not operations
}
