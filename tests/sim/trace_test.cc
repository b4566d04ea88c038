// SPDX-License-Identifier: GPL-2.0-only
// Trace parsing (errors name file:line:column) and playing.
#include <cstdio>
#include <string>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "player.h"
#include "smmuv3/cmdq.h"
#include "support/testbench.h"
#include "support/trace_text.h"
#include "kernel_ops.h"
#include "trace.h"

using namespace smmusim;
using smmusim::test::TestBench;

using smmusim::test::parse_error;
using smmusim::test::parse_ops;
using smmusim::test::trace_text;
using smmusim::test::validate_error;
using smmusim::test::without_name;

TEST(Trace, ParsesEveryOperation)
{
    const std::vector<TraceOp> ops = parse_ops(
        "# comment\n"
        "\n"
        "write32 smmu.CR0 0x8   # trailing comment\n"
        "@100 read64 smmu.CMDQ_BASE expect 0\n"
        "+5 read32 smmu+0x24\n"
        "mem write64 0x80000000 7\n"
        "mem read32 0x80000000 expect 7\n"
        "cmdq enable log2size=4 base=0x80100000\n"
        "cmd cmdq TLBI_NH_VA asid=3 addr=0x5000 leaf=1\n"
        "cmd cmdq CMD_SYNC cs=sev\n"
        "doorbell cmdq\n"
        "wait consumed cmdq timeout=5000\n"
        "wait 10\n"
        "+20\n");
    ASSERT_EQ(ops.size(), 12u);
    EXPECT_EQ(ops[0].kind, TraceOp::Kind::Write);
    EXPECT_EQ(ops[0].reg, "CR0");
    EXPECT_EQ(ops[0].loc.line, 3u);
    EXPECT_EQ(ops[1].when, TraceOp::When::At);
    EXPECT_EQ(ops[1].when_cycles, 100u);
    EXPECT_EQ(ops[1].size, 8u);
    EXPECT_TRUE(ops[1].has_expect);
    EXPECT_EQ(ops[2].addr, 0x24u);
    EXPECT_EQ(ops[2].when, TraceOp::When::After);
    EXPECT_EQ(ops[5].base, 0x80100000u);
    EXPECT_EQ(ops[5].log2size, 4u);
    EXPECT_EQ(ops[6].dw0, smmuv3::OP_TLBI_NH_VA | smmuv3::cmdf::TLBI_ASID.put(3));
    EXPECT_EQ(ops[6].dw1, smmuv3::cmdf::TLBI_VA.put(5) | 1u);
    EXPECT_EQ(ops[7].dw0, smmuv3::OP_CMD_SYNC | smmuv3::cmdf::SYNC_CS.put(2));
    EXPECT_EQ(ops[9].timeout, 5000u);
    EXPECT_EQ(ops[11].kind, TraceOp::Kind::Wait);
}

TEST(Trace, ErrorsNameLineAndColumn)
{
    EXPECT_EQ(parse_error("write32 smmu.CR0\n"), ":1:17: 'write32' expects a place and a value");
    // Just after the last word, also on a CRLF line and before blanks or a comment.
    EXPECT_EQ(parse_error("write32 smmu.CR0\r\n"), ":1:17: 'write32' expects a place and a value");
    EXPECT_EQ(parse_error("write32 smmu.CR0 \t # a comment\n"), ":1:17: 'write32' expects a place and a value");
    EXPECT_EQ(parse_error("\n  frobnicate 3\n"), ":2:3: unknown operation 'frobnicate'");
    EXPECT_EQ(parse_error("write32 smmu.CR0 0x1g\n"), ":1:18: expected a value (a number), got '0x1g'");
    EXPECT_EQ(parse_error("write32 smmu.CR0 0x100000000\n"), ":1:18: value does not fit in 32 bits");
    EXPECT_EQ(parse_error("cmd cmdq TLBI_NH_VA asid=1 bogus=2\n"),
              ":1:28: TLBI_NH_VA has no field 'bogus' (fields: vmid, asid, num, scale, leaf, ttl, tg, addr)");
    EXPECT_EQ(parse_error("cmd cmdq TLBI_NH_VA addr=0x1001\n"), ":1:26: addr must be a multiple of 4096");
    EXPECT_EQ(parse_error("cmd cmdq TLBI_NH_VA asid=0x10000\n"), ":1:26: asid = 0x10000 does not fit its 16-bit field");
    EXPECT_EQ(parse_error("cmd cmdq FOO\n"), ":1:10: unknown command 'FOO'");
    EXPECT_EQ(parse_error("cmd vcmdq9 CMD_SYNC\n"), ":1:5: unknown queue 'vcmdq9' (expected cmdq or vintfN.lvcmdqL)");
    // An option's value out of range at the value's column (it was the
    // key's); a field that takes words lists them; a byte address's limit
    // in bytes (addr is bits [51:12] of the address: it said "does not fit
    // its 40-bit field").
    const std::pair<const char*, const char*> values[] = {
        {"vintf 1 enable vmid=0x10000\n", ":1:21: vmid=0x10000 is more than 0xffff (a VMID has 16 bits)"},
        {"vintf 1 enable hyp_own=2\n", ":1:24: hyp_own=2: hyp_own is 0 or 1"},
        {"vintf 1 sid 0 vsid=0x100000 psid=1\n",
         ":1:20: vsid=0x100000 is more than 0xfffff (a virtual stream ID has 20 bits)"},
        {"vintf 1 sid 0 vsid=1 psid=0x100000000\n",
         ":1:27: psid=0x100000000 is more than 0xffffffff (a stream ID has 32 bits)"},
        {"cmd cmdq CMD_SYNC cs=IRQ\n", ":1:22: expected none, irq, sev or a number for cs, got 'IRQ'"},
        {"cmd cmdq TLBI_S2_IPA addr=0x10000000000000\n",
         ":1:27: addr = 0x10000000000000 does not fit: its field holds bits [51:12] of it (below 2^52)"},
    };
    for (const auto& [text, error] : values)
        EXPECT_EQ(parse_error(text), error) << text;
    EXPECT_EQ(parse_error("vintf 1 map 0\n"), ":1:14: 'vintf' expects an LVCMDQ number and vcmdq=Q");
    EXPECT_EQ(parse_error("vintf 1 map 0 vmid=1\n"), ":1:15: unknown option 'vmid=1' for vintf map");
    EXPECT_EQ(parse_error("vintf 1 sid 0 vsid=1 pid=2\n"), ":1:22: unknown option 'pid=2' for vintf sid");
    EXPECT_EQ(parse_error("vintf 1 frob\n"), ":1:9: expected enable, map or sid, got 'frob'");
    EXPECT_EQ(parse_error("write32 cmdqv. 1\n"), ":1:15: expected a register name after 'cmdqv.'");
    EXPECT_EQ(parse_error("read32 smmu.CR0 expext 1\n"), ":1:17: expected 'expect' or end of line, got 'expext'");
    EXPECT_EQ(parse_error("wait 10 20\n"), ":1:9: unexpected '20' after wait");
    EXPECT_EQ(parse_error("@x wait 1\n"), ":1:2: expected a cycle count (a number), got 'x'");
    EXPECT_EQ(parse_error("cmdq enable log2size=20\n"), ":1:22: log2size is at most 19");
    EXPECT_EQ(parse_error("wait 1\x01\n"), ":1:7: unexpected character (traces are ASCII text)");
    EXPECT_EQ(parse_error("wait -1\n"), ":1:6: expected a cycle count (a number), got '-1'");
}

// Kernel-level operations (sim/kernel_ops.h): parsed and their names
// checked before the run, with the same file:line:column errors.
// roi begin / roi end (traces/FORMAT.md, "Region of interest"): one region
// per trace, begun before it ends and ended before the trace does.
TEST(Trace, RegionOfInterestLines)
{
    const std::vector<TraceOp> ops = smmusim::test::parse_ops("wait 1\n+5 roi begin\nwait 2\nroi end # done\n");
    ASSERT_EQ(ops.size(), 4u);
    EXPECT_EQ(ops[1].kind, TraceOp::Kind::RoiBegin);
    EXPECT_EQ(ops[1].when, TraceOp::When::After);
    EXPECT_EQ(ops[1].when_cycles, 5u);
    EXPECT_EQ(ops[3].kind, TraceOp::Kind::RoiEnd);
    EXPECT_EQ(parse_error("roi\n"), ":1:4: 'roi' expects 'begin' or 'end'");
    EXPECT_EQ(parse_error("roi start\n"), ":1:5: expected 'begin' or 'end', got 'start'");
    EXPECT_EQ(parse_error("roi begin now\nroi end\n"), ":1:11: unexpected 'now' after roi");
    EXPECT_EQ(parse_error("wait 1\n  roi end\n"), ":2:3: 'roi end' without a 'roi begin' before it");
    EXPECT_EQ(parse_error("roi begin\nwait 1\n roi begin\n"),
              ":3:2: a second 'roi begin' (the region of interest began at line 1; a trace has one region)");
    EXPECT_EQ(parse_error("roi begin\nroi end\nroi begin\nroi end\n"),
              ":3:1: a second 'roi begin' (the region of interest began at line 1; a trace has one region)");
    EXPECT_EQ(parse_error("roi begin\nroi end\nroi end\n"),
              ":3:1: a second 'roi end' (the region of interest began at line 1 and ended already)");
    EXPECT_EQ(parse_error("wait 1\n  roi begin\nwait 2\n"),
              ":2:3: 'roi begin' has no 'roi end' (the trace ends inside the region of interest)");
}

TEST(Trace, KernelOperationsAreCheckedBeforeTheRun)
{
    EXPECT_EQ(parse_error("endpoint e sid=1\n"), ":1:1: the kernel is not booted yet ('kernel boot' first)");
    EXPECT_EQ(parse_error("kernel boot\nkernel boot\n"), ":2:8: the kernel is already booted");
    EXPECT_EQ(parse_error("kernel boot\nkernel param bypass\n"),
              ":2:14: expected NAME=VALUE (e.g. arm_smmu_v3.bypass_vcmdq=1), got 'bypass'");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e\n"), ":2:1: 'endpoint' needs sid=");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1 sid=2\n"), ":2:18: 'sid' is given twice");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1 foo=2\n"),
              ":2:18: unknown argument 'foo' (expected sid)");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nendpoint e sid=2\n"),
              ":3:10: endpoint 'e' is already defined");
    EXPECT_EQ(parse_error("kernel boot\ndomain d endpoint=x\n"), ":2:19: no endpoint named 'x' (define it first)");
    EXPECT_EQ(parse_error("kernel boot\nmap d iova=0 pa=0 size=4096\n"),
              ":2:5: no domain named 'd' (define it first)");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1 layout=huge\n"),
              ":3:31: expected 'contiguous' or 'scattered', got 'huge'");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1\nhwqueue v index=0 gpa=0 size=32 "
                          "expect=EWHAT\n"),
              ":4:40: expected an errno name (EINVAL, EBUSY, ...) or 0, got 'EWHAT'");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1\nvm v destroy\nguest v enable 0\n"),
              ":5:7: no VM named 'v' (define it first)");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1\nguest v cmd 0 TLBI_NH_VA x=1\n"),
              ":4:26: TLBI_NH_VA has no field 'x' (fields: vmid, asid, num, scale, leaf, ttl, tg, addr)");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1\nveventq v read expect 3\n"),
              ":4:23: expected 'lvcmdq=MAP', 'event=TYPE', 'empty' or 'lost', got '3'");
    EXPECT_EQ(parse_error("kernel boot\ndma e iova=0 size=64 read\n"), ":2:5: no endpoint named 'e' (define it first)");
    // The sample traces parse.
    for (const char* t : {"boot", "host-invalidate", "host-dma", "guest-vcmdq", "guest-illegal-cmd", "multi-vm"}) {
        std::ostringstream text;
        text << std::ifstream(std::string(SMMUSIM_TRACE_DIR "/") + t + ".trace").rdbuf();
        EXPECT_FALSE(text.str().empty()) << t;
        EXPECT_EQ(parse_error(text.str()), "") << t;
    }
}

// Found by fuzz/trace_fuzz (and kept in tests/fuzz/corpus/trace_fuzz/):
// numbers are decimal or 0x hex only, indices never wrap to a smaller one,
// and a queue has one name whatever its spelling.
TEST(Trace, NumbersIndicesAndQueueNamesAreStrict)
{
    EXPECT_EQ(parse_error("wait 0x\n"), ":1:6: expected a cycle count (a number), got '0x'");
    EXPECT_EQ(parse_error("wait 0x-1\n"), ":1:6: expected a cycle count (a number), got '0x-1'");
    EXPECT_EQ(parse_error("wait +1\n"), ":1:6: expected a cycle count (a number), got '+1'");
    EXPECT_EQ(parse_error("wait 08\n"), "");  // decimal, not a bad octal number
    EXPECT_EQ(parse_error("vintf 4294967297 enable\n"), ":1:7: '4294967297' is too large for a VINTF number");
    EXPECT_EQ(parse_error("vintf 1 map 4294967296 vcmdq=0\n"), ":1:13: '4294967296' is too large for an LVCMDQ number");
    EXPECT_EQ(parse_error("vintf 1 map 0 vcmdq=4294967298\n"), ":1:21: '4294967298' is too large for a VCMDQ number");
    EXPECT_EQ(parse_error("cmdq enable log2size=4294967300\n"), ":1:22: log2size is at most 19");
    // At the number that overflows (it was the queue's name).
    EXPECT_EQ(parse_error("cmd vintf4294967296.lvcmdq0 CMD_SYNC\n"),
              ":1:10: '4294967296' is too large for a VINTF number (in queue 'vintf4294967296.lvcmdq0')");
    EXPECT_EQ(parse_error("doorbell vintf0.lvcmdq004294967296\n"),
              ":1:23: '004294967296' is too large for an LVCMDQ number (in queue 'vintf0.lvcmdq004294967296')");
    EXPECT_EQ(parse_error("vintf-1.lvcmdq0 enable\n"), ":1:1: unknown operation 'vintf-1.lvcmdq0'");
    EXPECT_EQ(parse_error("doorbell vintf+1.lvcmdq0\n"),
              ":1:10: unknown queue 'vintf+1.lvcmdq0' (expected cmdq or vintfN.lvcmdqL)");

    const std::vector<TraceOp> ops = parse_ops("wait 010\nvintf01.lvcmdq002 enable\ndoorbell vintf1.lvcmdq2\n");
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0].cycles, 10u);
    EXPECT_EQ(ops[1].queue, "vintf1.lvcmdq2");
    EXPECT_EQ(ops[2].queue, "vintf1.lvcmdq2");
}

TEST(Trace, PlayerChecksRegisterNamesBeforeRunning)
{
    TestBench b;
    EXPECT_EQ(validate_error(b.soc(), "write32 smmu.CR0 0\nread32 smmu.NOPE\n"),
              ":2:8: the SMMU has no register 'NOPE'");  // the place's column
    EXPECT_EQ(validate_error(b.soc(), "  +5 write64 smmu.CR0 0\n"), ":1:14: CR0 is a 32-bit register");
    EXPECT_EQ(validate_error(b.soc(), "read32 cmdqv.cr0 expect 0\n"), ":1:8: the CMDQV has no register 'cr0'");
    EXPECT_NE(validate_error(b.soc(), "cmd cmdq CMD_SYNC\n"), "");  // queue used before 'cmdq enable'
}

// The checks against the configuration (a VINTF, LVCMDQ, VCMDQ or SID
// pair the CMDQV does not have, anything of a CMDQV on a platform without
// one) run on the parsed operation and name the word at fault, as the
// reader's own errors do: the number, the queue name's N or L, vcmdq='s
// value.
TEST(Trace, PlayerConfigurationChecksNameTheWordAtFault)
{
    TestBench b({"cmdqv.vintfs_log2=2", "cmdqv.vcmdqs_log2=3", "cmdqv.sids_per_vintf_log2=1"});
    const std::pair<const char*, const char*> cases[] = {
        {"vintf 4 enable\n", ":1:7: VINTF 4 does not exist (the CMDQV has 4)"},
        {"+5 vintf 1 map 2 vcmdq=0\n", ":1:16: LVCMDQ 2 does not exist (2 per VINTF)"},
        {"vintf 1 map 1 vcmdq=8\n", ":1:21: VCMDQ 8 does not exist (the CMDQV has 8)"},
        {"vintf 1 sid 2 vsid=1 psid=1\n", ":1:13: SID pair 2 does not exist (2 per VINTF)"},
        {"vintf4.lvcmdq0 enable\n", ":1:6: VINTF 4 does not exist (the CMDQV has 4)"},
        {"cmd vintf01.lvcmdq2 CMD_SYNC\n", ":1:19: LVCMDQ 2 does not exist (2 per VINTF)"},
        {"cmdq enable\nexpect executed CMD_SYNC queue=cmdqv.vcmdq8\n",
         ":2:43: queue=cmdqv.vcmdq8: VCMDQ 8 does not exist (the CMDQV has 8)"},
    };
    for (const auto& [text, error] : cases)
        EXPECT_EQ(validate_error(b.soc(), text), error) << text;
    TestBench none({"cmdqv.present=false"});
    // The word that needs the CMDQV, and where the configuration said
    // there is none (the test bench's settings come "from test").
    const std::string no_cmdqv = "this platform has no CMDQV (cmdqv.present = false, from test)";
    EXPECT_EQ(validate_error(none.soc(), "  cmd vintf1.lvcmdq0 CMD_SYNC\n"), ":1:7: " + no_cmdqv);
    EXPECT_EQ(validate_error(none.soc(), "read32 cmdqv.CR0\n"), ":1:8: " + no_cmdqv);
    EXPECT_EQ(validate_error(none.soc(), "vintf 0 enable\n"), ":1:1: " + no_cmdqv);
    EXPECT_EQ(validate_error(none.soc(), "cmdq enable\nexpect executed CMD_SYNC queue=cmdqv.vcmdq1\n"),
              ":2:32: queue=cmdqv.vcmdq1: " + no_cmdqv);
    // queue= echoed as the trace wrote it (it was cmdqv.vcmdq1).
    EXPECT_EQ(validate_error(none.soc(), "cmdq enable\nexpect executed CMD_SYNC queue=cmdqv.vcmdq01\n"),
              ":2:32: queue=cmdqv.vcmdq01: " + no_cmdqv);
}

// The check pass remembers the queue it looked up last: an operation on a
// queue that is not enabled is refused, naming that queue and its line,
// whichever queues were enabled or used before it (the memo never answers
// for another queue).
TEST(Trace, PlayerChecksEveryQueueIsEnabledWhateverTheOrder)
{
    TestBench b({"cmdqv.vintfs_log2=2", "cmdqv.vcmdqs_log2=3"});
    const std::string a = "cmdq", v = "vintf1.lvcmdq0", w = "vintf1.lvcmdq1";
    auto used_before = [](const std::string& where, const std::string& q) {
        return where + ": queue " + q + " is used before '" + q + " enable'";
    };
    for (const auto& [x, y] : {std::pair{a, v}, std::pair{v, a}, std::pair{v, w}, std::pair{w, v}}) {
        for (const auto& [verb, rest] : {std::pair{"cmd ", " CMD_SYNC"}, std::pair{"doorbell ", ""},
                                         std::pair{"wait consumed ", ""}}) {
            const std::string use_x = verb + x + rest, use_y = verb + y + rest;
            // Enable X, use X, then use Y.
            EXPECT_EQ(validate_error(b.soc(), x + " enable\n" + use_x + "\n" + use_y + "\n"), used_before(":3:1", y));
            // Enable X, use Y at once.
            EXPECT_EQ(validate_error(b.soc(), x + " enable\n" + use_y + "\n"), used_before(":2:1", y));
            // Enable X, use X, enable Y: both are used freely after.
            EXPECT_EQ(validate_error(b.soc(), x + " enable\n" + use_x + "\n" + y + " enable\n" + use_y + "\n" +
                                                  use_x + "\n" + use_y + "\n"),
                      "");
            // Nothing enabled: the first use is refused.
            EXPECT_EQ(validate_error(b.soc(), use_y + "\n" + x + " enable\n"), used_before(":1:1", y));
        }
    }
}

TEST(Trace, PlayerChecksCmdqvIndicesBeforeRunning)
{
    TestBench b({"cmdqv.vintfs_log2=2", "cmdqv.vcmdqs_log2=3"});
    for (const char* text : {"vintf 4 enable\n", "vintf1.lvcmdq2 enable\n", "vintf 0 map 0 vcmdq=8\n",
                             "vintf 0 sid 16 vsid=1 psid=2\n", "read32 cmdqv.NOPE\n"}) {
        EXPECT_NE(validate_error(b.soc(), text), "") << text;
    }
}

TEST(Trace, ExpectationFailuresAreReportedWithTheirLine)
{
    TestBench b;
    EXPECT_NE(validate_error(b.soc(), "read32 smmu.CR0 expect 5\ncmdq enable\ncmd cmdq 0x7f\n"),
              "");  // 0x7f is not a command name
    TracePlayer player(b.soc(), trace_text("read32 smmu.CR0 expect 5\ncmdq enable\ncmd cmdq CMD_SYNC cs=3\n"
                                      "doorbell cmdq\nwait consumed cmdq\n"));
    player.validate();
    player.start();
    sc_core::sc_start();
    ASSERT_TRUE(player.finished());
    ASSERT_EQ(player.failures().size(), 2u);
    EXPECT_EQ(without_name(player.failures()[0]), ":1:1: read 0x0, expected 0x5");
    EXPECT_EQ(without_name(player.failures()[1]), ":5:1: queue cmdq stopped with CONS.ERR = 1 at index 0");
}

// A field or option given twice was ORed in (asid=1 asid=2 -> 3, cs=irq
// cs=sev -> CS=3) or silently replaced: every op refuses it.
TEST(Trace, FieldsAndOptionsAreGivenAtMostOnce)
{
    EXPECT_EQ(parse_error("cmd cmdq TLBI_NH_ASID asid=1 asid=2\n"), ":1:30: 'asid' is given twice");
    EXPECT_EQ(parse_error("cmd cmdq CMD_SYNC cs=irq cs=sev\n"), ":1:26: 'cs' is given twice");
    EXPECT_EQ(parse_error("cmd cmdq CMD_SYNC cs=0 cs=0\n"), ":1:24: 'cs' is given twice");  // even when equal
    EXPECT_EQ(parse_error("cmdq enable log2size=4 log2size=5\n"), ":1:24: 'log2size' is given twice");
    EXPECT_EQ(parse_error("cmdq enable base=0x80100000 base=0x80200000\n"), ":1:29: 'base' is given twice");
    EXPECT_EQ(parse_error("cmdq enable\nwait consumed cmdq timeout=5 timeout=6\n"),
              ":2:30: 'timeout' is given twice");
    EXPECT_EQ(parse_error("vintf 1 enable vmid=1 vmid=2\n"), ":1:23: 'vmid' is given twice");
    EXPECT_EQ(parse_error("vintf 1 enable hyp_own=1 hyp_own=0\n"), ":1:26: 'hyp_own' is given twice");
    EXPECT_EQ(parse_error("vintf 1 map 0 vcmdq=1 vcmdq=2\n"), ":1:23: 'vcmdq' is given twice");
    EXPECT_EQ(parse_error("vintf 1 sid 0 vsid=1 psid=2 psid=3\n"), ":1:29: 'psid' is given twice");
    EXPECT_EQ(parse_error("kernel boot\nendpoint e sid=1\nvm v endpoint=e vsid=1\nguest v cmd 0 TLBI_NH_ASID "
                          "asid=1 asid=1\n"),
              ":4:35: 'asid' is given twice");
}

// A 32-bit access's value never has bits above 31 (they were dropped).
TEST(Trace, ThirtyTwoBitValuesFitInThirtyTwoBits)
{
    EXPECT_EQ(parse_error("mem write32 0x80000000 0x1ffffffff\n"), ":1:24: value does not fit in 32 bits");
    EXPECT_EQ(parse_error("mem read32 0x80000000 expect 0x1ffffffff\n"), ":1:30: value does not fit in 32 bits");
    EXPECT_EQ(parse_error("read32 smmu.CR0 expect 0x100000000\n"), ":1:24: value does not fit in 32 bits");
    EXPECT_EQ(parse_error("mem write64 0x80000000 0x1ffffffff\nmem write32 0x80000000 0xffffffff\n"), "");
    EXPECT_EQ(parse_error("mem write32 0x80000000\n"), ":1:23: 'mem' expects an address and a value");
    EXPECT_EQ(parse_error("mem read32 0x80000000 5 6\n"), ":1:23: expected 'expect', got '5'");
}

// IHI 0070 6.3.26 SMMU_CMDQ_BASE: the SMMU aligns the base to the larger of
// the queue's size in bytes and 32 bytes. A base that is not would run
// another queue than the one the trace writes: refused at its column.
TEST(Trace, QueueBaseIsAlignedToTheQueueSize)
{
    EXPECT_EQ(parse_error("cmdq enable log2size=4 base=0x80100020\n"),
              ":1:29: the queue base 0x80100020 is not aligned to the queue's size (16 entries of 16 bytes: 0x100); "
              "the SMMU would ignore its low bits (IHI 0070 6.3.26)");
    // The default size (256 entries: 4 KiB), whichever order the options come in.
    const std::string dflt = parse_error("cmdq enable base=0x80100800\n");
    EXPECT_EQ(dflt.rfind(":1:18: the queue base 0x80100800 is not aligned to the queue's size (256 entries", 0), 0u)
        << dflt;
    EXPECT_EQ(parse_error("cmdq enable base=0x80100000 log2size=1\n"), "");
    EXPECT_EQ(parse_error("cmdq enable base=0x80100020 log2size=0\n"), "");  // at least 32 bytes
    EXPECT_EQ(parse_error("cmdq enable base=0x80100010 log2size=0\n").rfind(":1:18: the queue base", 0), 0u);
    EXPECT_EQ(parse_error("cmdq enable log2size=19 base=0x80800000\n"), "");
}

// IHI 0070 6.3.26: LOG2SIZE is capped at IDR1.CMDQS, and the CMDQV refuses
// a VCMDQ above it (CMDQ_INIT_ERR): the check pass refuses the size at its
// column, naming the limit.
TEST(Trace, PlayerChecksQueueSizesAgainstIdr1Cmdqs)
{
    TestBench b({"smmu.idr.cmdqs=4"});
    auto error_of = [&](const std::string& text) { return validate_error(b.soc(), text); };
    EXPECT_EQ(error_of("cmdq enable log2size=5\n"),
              ":1:22: log2size=5 is too large: the SMMU's command queue takes at most log2size=4 (IDR1.CMDQS, "
              "smmu.idr.cmdqs)");
    const std::string dflt = error_of("cmdq enable\n");  // the default size
    EXPECT_EQ(dflt.rfind(":1:6: log2size=8 is too large: ", 0), 0u) << dflt;
    EXPECT_EQ(error_of("cmdq enable log2size=4\n"), "");
    const std::string v = error_of("vintf1.lvcmdq0 enable log2size=5\n");
    EXPECT_EQ(v.rfind(":1:32: log2size=5 is too large: the CMDQV's VCMDQs take at most log2size=4", 0), 0u) << v;
}

// The reader tries the register-level verbs before the kernel-level ones:
// no word may be both.
TEST(Trace, NoRegisterLevelVerbIsAKernelLevelOne)
{
    for (const char* v : {"cmd", "write32", "write64", "read32", "read64", "mem", "doorbell", "wait", "cmdqv", "vintf",
                          "expect", "roi"})
        EXPECT_FALSE(KernelOpParser::is_verb(v)) << v;
    EXPECT_TRUE(KernelOpParser::is_verb("kernel"));
    EXPECT_TRUE(KernelOpParser::is_verb("map"));
}
