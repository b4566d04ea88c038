// SPDX-License-Identifier: GPL-2.0-only
// The trace player's waits are bounded and see a queue that cannot drain;
// times are checked against the clock; a queue enabled twice is restarted
// as a driver does; and anything that goes wrong during the run ends it
// with a message naming the line (sim/player.h).
#include <cstdio>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "player.h"
#include "register_names.h"
#include "support/testbench.h"
#include "support/trace_text.h"

using namespace smmusim;
using smmusim::test::TestBench;
using smmusim::test::trace_text;
using smmusim::test::validate_error;
using smmusim::test::without_name;

namespace {

// Plays `text` to its end; the failures without the trace's name.
std::vector<std::string> play(TestBench& b, const std::string& text, bool* finished = nullptr)
{
    TracePlayer player(b.soc(), trace_text(text));
    player.validate();
    player.start();
    sc_core::sc_start();
    std::vector<std::string> out;
    for (const auto& f : player.failures())
        out.push_back(without_name(f));
    if (finished)
        *finished = player.finished();
    return out;
}

// A real file holding `before` while the player checks it and `after`
// while it runs (the caller removes it): a trace rewritten between the two.
// `spool`: the run plays what the check kept (false: it reads the trace
// again, as when the spool could not be written).
std::string checked_then_rewritten(TestBench& b, std::unique_ptr<TracePlayer>& player, const char* before,
                                   const char* after, bool spool = false)
{
    char path[] = "/tmp/smmusim-player-XXXXXX";
    FILE* f = fdopen(mkstemp(path), "w");
    fputs(before, f);
    fclose(f);
    player = std::make_unique<TracePlayer>(b.soc(), std::string(path));
    player->keep_checked_ops(spool);
    player->validate();
    f = fopen(path, "w");
    fputs(after, f);
    fclose(f);
    player->start();
    sc_core::sc_start();
    return path;
}

}  // namespace

// `cmd` on a full queue whose PROD was never rung can never get room.
TEST(Player, FullQueueThatWasNeverRungFailsAtOnce)
{
    TestBench b;
    bool finished = false;
    const auto f = play(b,
                        "cmdq enable log2size=1\ncmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\n"
                        "doorbell cmdq\nwait consumed cmdq\n",
                        &finished);
    EXPECT_TRUE(finished);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0], ":4:1: queue cmdq is full and has nothing left to consume: PROD was written up to 0x0, the "
                    "entries up to 0x2 were never rung ('doorbell cmdq'); the command is not written");
    EXPECT_LT(b.soc().smmu_clock().now(), 1000u);  // no timeout was needed
}

// ... nor can a queue stopped at a command error (GERROR.CMDQ_ERR).
TEST(Player, FullQueueStoppedAtAnErrorFailsAtOnce)
{
    TestBench b;
    const auto f = play(b, "cmdq enable log2size=1\ncmd cmdq CFGI_ALL\ncmd cmdq PRI_RESP\ndoorbell cmdq\n"
                           "cmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\n");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0], ":6:1: queue cmdq is full and stopped with CONS.ERR = 1 at index 1; the command is not written");
    EXPECT_EQ(f[1], ":7:1: queue cmdq is full and stopped with CONS.ERR = 1 at index 1; the command is not written");
    EXPECT_LT(b.soc().smmu_clock().now(), 1000u);
}

// `wait consumed` on commands that were written but never rung.
TEST(Player, WaitConsumedOnANeverRungQueueFailsAtOnce)
{
    TestBench b;
    const auto f = play(b, "cmdq enable\ncmd cmdq CMD_SYNC\nwait consumed cmdq\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0], ":3:1: queue cmdq has nothing left to consume: PROD was written up to 0x0, the entries up to "
                    "0x1 were never rung ('doorbell cmdq')");
    EXPECT_LT(b.soc().smmu_clock().now(), 1000u);
}

// Enabling an enabled queue restarts it as a driver does (disable, wait for
// the ACK, reprogram, enable): the commands after it run without an error.
TEST(Player, EnablingAnEnabledQueueRestartsIt)
{
    TestBench b;
    const auto f = play(b, "cmdq enable log2size=4\ncmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\ncmd cmdq CMD_SYNC\n"
                           "doorbell cmdq\nwait consumed cmdq\ncmdq enable log2size=4\ncmd cmdq CMD_SYNC\n"
                           "doorbell cmdq\nwait consumed cmdq\nread32 smmu.GERROR expect 0\n"
                           "read32 smmu.CMDQ_CONS expect 1\n");
    EXPECT_TRUE(f.empty()) << f[0];
}

TEST(Player, EnablingAnEnabledVcmdqRestartsIt)
{
    TestBench b;
    const auto f = play(b, "cmdqv enable\nvintf 1 enable vmid=1\nvintf 1 map 0 vcmdq=2\n"
                           "vintf1.lvcmdq0 enable log2size=4\ncmd vintf1.lvcmdq0 CMD_SYNC\ncmd vintf1.lvcmdq0 CMD_SYNC\n"
                           "doorbell vintf1.lvcmdq0\nwait consumed vintf1.lvcmdq0\nvintf1.lvcmdq0 enable log2size=4\n"
                           "cmd vintf1.lvcmdq0 CMD_SYNC\ndoorbell vintf1.lvcmdq0\nwait consumed vintf1.lvcmdq0\n"
                           "read32 cmdqv+0x10100 expect 1\n");  // VCMDQ2's CONS in the global VCMDQ page
    EXPECT_TRUE(f.empty()) << f[0];
}

// N cycles x the period must be a time SystemC can count (2^64 - 1 ps).
TEST(Player, TimesPastTheEndOfSimulatedTimeAreRefusedBeforeTheRun)
{
    TestBench b;  // 1 GHz: at most 18446744073709551 cycles
    const std::string tail = " cycles of 1000 ps pass the end of simulated time (2^64 - 1 ps: at most "
                             "18446744073709551 cycles)";
    EXPECT_EQ(validate_error(b.soc(), "+18446744073709552\n"), ":1:2: 18446744073709552" + tail);
    EXPECT_EQ(validate_error(b.soc(), "@18446744073709552 wait 1\n"), ":1:2: 18446744073709552" + tail);
    EXPECT_EQ(validate_error(b.soc(), "wait 1\nwait 36028797018963968\n"), ":2:6: 36028797018963968" + tail);
    EXPECT_EQ(validate_error(b.soc(), "cmdq enable\nwait consumed cmdq timeout=9223372036854775808\n"),
              ":2:28: 9223372036854775808" + tail);
    EXPECT_EQ(validate_error(b.soc(), "wait 18446744073709551\n"), "");
    EXPECT_EQ(validate_error(b.soc(), "cmdq enable\nwait consumed cmdq timeout=18446744073709551\n"), "");
    TestBench slow({"smmu.clock_mhz=1"});  // 10^6 ps: at most 18446744073709 cycles
    EXPECT_EQ(validate_error(slow.soc(), "wait 18446744073710\n"),
              ":1:6: 18446744073710 cycles of 1000000 ps pass the end of simulated time (2^64 - 1 ps: at most "
              "18446744073709 cycles)");
}

// BLOCK+OFFSET stays in its block: smmu+0x10000000 reached the CMDQV.
TEST(Player, BlockOffsetsStayInsideTheirBlock)
{
    TestBench b;
    EXPECT_EQ(validate_error(b.soc(), "write32 smmu+0x10000000 1\n"),
              ":1:9: smmu+0x10000000 is outside the SMMU's 0x20000 bytes of registers");
    EXPECT_EQ(validate_error(b.soc(), "read32 smmu+0x20000\n"),
              ":1:8: smmu+0x20000 is outside the SMMU's 0x20000 bytes of registers");
    EXPECT_EQ(validate_error(b.soc(), "read64 smmu+0x1fffc\n"),
              ":1:8: smmu+0x1fffc is outside the SMMU's 0x20000 bytes of registers");
    EXPECT_EQ(validate_error(b.soc(), "read32 smmu+0x1fffc\n"), "");
    EXPECT_EQ(validate_error(b.soc(), "read32 cmdqv+0x830000\n"),
              ":1:8: cmdqv+0x830000 is outside the CMDQV's 0x830000 bytes of registers");
    EXPECT_EQ(validate_error(b.soc(), "read32 cmdqv+0x82fffc\n"), "");
    EXPECT_EQ(validate_error(b.soc(), "read32 smmu+0xffffffffffffffff\n"),
              ":1:8: smmu+0xffffffffffffffff is outside the SMMU's 0x20000 bytes of registers");
}

TEST(Player, CountsTheOperationsItChecked)
{
    TestBench b;
    for (const auto& [text, n] : {std::pair<const char*, uint64_t>{"# nothing\n\n", 0}, {"wait 1\n\n+2\n", 2}}) {
        TracePlayer player(b.soc(), trace_text(text));
        player.validate();
        EXPECT_EQ(player.checked_ops(), n) << text;
    }
}

// A trace that is read again by its run (its checked operations could not
// be kept) and changed between the check and the run: the run stops at the
// malformed line with its file:line:col, marked incomplete.
TEST(Player, ALineMalformedDuringTheRunStopsItWithItsLine)
{
    TestBench b;
    std::unique_ptr<TracePlayer> player;
    const std::string p = checked_then_rewritten(b, player, "wait 1\nwait 2\nwait 3\nexpect executed none\n",
                                                 "wait 1\nfrobnicate\nwait 3\n");
    EXPECT_FALSE(player->finished());
    EXPECT_EQ(player->error(), p + ":2:1: unknown operation 'frobnicate'");
    EXPECT_EQ(player->ops(), 1u);
    EXPECT_EQ(player->where(), p + ":1:1");  // the last operation played
    EXPECT_EQ(b.soc().smmu_clock().now(), 1u);
    remove(p.c_str());
}

// ... and so does one cut short or grown meanwhile, at a line boundary
// (every line still well formed): never a run that ends early and passes,
// nor one that plays lines nobody checked.
TEST(Player, ATraceCutShortDuringTheRunStopsIt)
{
    TestBench b;
    std::unique_ptr<TracePlayer> player;
    const std::string p = checked_then_rewritten(b, player, "wait 1\nwait 2\nwait 3\nexpect executed none\n",
                                                 "wait 1\nwait 2\n");
    EXPECT_FALSE(player->finished());
    EXPECT_EQ(player->error(), p + ":2:1: the trace ended after 2 of the 4 operations it had when it was checked (it "
                                   "changed during the run)");
    EXPECT_EQ(player->ops(), 2u);
    remove(p.c_str());
}

TEST(Player, ATraceGrownDuringTheRunStopsIt)
{
    TestBench b;
    std::unique_ptr<TracePlayer> player;
    const std::string p =
        checked_then_rewritten(b, player, "wait 1\nexpect executed none\n", "wait 1\nexpect executed none\nwait 5\n");
    EXPECT_FALSE(player->finished());
    EXPECT_EQ(player->error(), p + ":3:1: the trace has more operations than the 2 it had when it was checked (it "
                                   "changed during the run)");
    EXPECT_EQ(player->ops(), 1u);
    EXPECT_EQ(b.soc().smmu_clock().now(), 1u);
    remove(p.c_str());
}

// A trace is parsed once: its run plays the operations the check pass kept
// (sim/trace_spool.h), `expect executed` lines too, so rewriting the file
// after the check changes nothing; the locations are the checked lines'.
TEST(Player, ATraceIsParsedOnce)
{
    TestBench b;
    std::unique_ptr<TracePlayer> player;
    const std::string p = checked_then_rewritten(b, player,
                                                 "cmdq enable log2size=2\n  cmd cmdq TLBI_NH_ASID asid=3\n"
                                                 "+5 doorbell cmdq\nwait consumed cmdq timeout=2\nwait consumed cmdq\n"
                                                 "expect executed TLBI_NH_ASID asid=3 count=1 queue=smmu.cmdq\n"
                                                 "read32 smmu.CMDQ_PROD expect 0x7\nexpect executed none\n",
                                                 "frobnicate\n", true);
    EXPECT_TRUE(player->finished()) << player->error();
    EXPECT_EQ(player->ops(), 6u);
    const std::vector<std::string> want = {p + ":4:1: queue cmdq not consumed after 2 cycles (CONS 0x0, PROD 0x1)",
                                           p + ":7:1: read 0x1, expected 0x7"};
    EXPECT_EQ(player->failures(), want);
    EXPECT_EQ(player->where(), p + ":8:1");
    remove(p.c_str());
}

// Waits that add up past the end of simulated time fail at the line that
// would cross it, and the run stops there.
TEST(Player, WaitsPastTheEndOfSimulatedTimeStopTheRun)
{
    TestBench b;
    bool finished = true;
    const auto f = play(b, "+18446744073709000\n+1000\nwait 1\n", &finished);
    EXPECT_FALSE(finished);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0], ":2:1: waiting 1000 more cycles would pass the end of simulated time (2^64 - 1 ps)");
}

// `vintf N enable` of a VINTF already enabled with another VMID (or
// HYP_OWN): the CMDQV keeps what it was enabled with, so the line fails
// instead of passing while its commands go on under the old VMID. (Whether
// it keeps them depends on timing: the sequence's first CONFIG write,
// without EN, is a disable whose handshake lands enable_cycles later.) The
// same configuration again is no failure.
TEST(Player, ReenablingAVintfWithAnotherVmidFails)
{
    TestBench b;
    const auto f = play(b, "cmdqv enable\nvintf 1 enable vmid=5\nvintf 1 enable vmid=6\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0], ":3:1: VINTF 1 was already enabled and keeps VMID 5 and HYP_OWN 0 (asked for 6 and 0): the CMDQV "
                    "does not change them while the VINTF stays enabled (disable it first: write32 "
                    "cmdqv.VINTF1_CONFIG 0)");
}

TEST(Player, ReenablingAVintfWithItsOwnConfigurationPasses)
{
    TestBench b;
    EXPECT_TRUE(play(b, "cmdqv enable\nvintf 1 enable vmid=5\nvintf 1 enable vmid=5\n").empty());
}

// The player's pacing is a parameter: with player.poll_reads = 1, the
// CMDQV enable handshake (STATUS follows CONFIG.EN cmdqv.enable_cycles
// later) is read once, too soon, and fails; with the default it completes.
TEST(Player, HandshakePollsReadAtMostPollReadsTimes)
{
    TestBench b({"player.poll_reads=1"});
    const auto f = play(b, "cmdqv enable\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].find(":1:1: register cmdqv.STATUS (0x20000008) never reached 0x1 (reads 0x0) after 1 read "
                        "(player.poll_reads)"),
              std::string::npos)
        << f[0];
}

// A poll that fails names its register from the models' names: the SMMU's
// and the CMDQV's banks as a trace names them, a VCMDQ's through its global
// and its VINTF's pages, the upper word of a 64-bit one; none elsewhere.
TEST(Player, RegisterNamesComeFromTheModels)
{
    TestBench b;
    Soc& s = b.soc();
    const uint64_t smmu = s.params().smmu_base, cq = s.params().cmdqv_base;
    EXPECT_EQ(register_name(s, smmu + smmuv3::CR0ACK), "smmu.CR0ACK");
    EXPECT_EQ(register_name(s, smmu + smmuv3::CMDQ_BASE + 4), "smmu.CMDQ_BASE+4");
    EXPECT_EQ(register_name(s, cq + cmdqv::STATUS), "cmdqv.STATUS");
    EXPECT_EQ(register_name(s, cq + cmdqv::vintf(1) + cmdqv::VINTF_STATUS), "cmdqv.VINTF1_STATUS");
    EXPECT_EQ(register_name(s, cq + cmdqv::vcmdq_page0(2) + cmdqv::VCMDQ_STATUS), "cmdqv.VCMDQ2_STATUS");
    EXPECT_EQ(register_name(s, cq + cmdqv::lvcmdq_page1(1, 0) + cmdqv::VCMDQ_BASE), "cmdqv.VINTF1_LVCMDQ0_BASE");
    EXPECT_EQ(register_name(s, cq + cmdqv::vcmdq_page0(s.cmdqv().num_vcmdqs())), "");
    EXPECT_EQ(register_name(s, s.params().msi_base), "");
}

// `vintf N enable` while the CMDQV is disabled: the VINTF's STATUS never
// follows, and the failure names that register and says why.
TEST(Player, VintfEnableWithTheCmdqvDisabledSaysSo)
{
    TestBench b({"player.poll_reads=4"});
    const auto f = play(b, "vintf 1 enable vmid=5\n");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].find(":1:1: register cmdqv.VINTF1_STATUS (0x20001104) never reached 0x1 (reads 0x0) after 4 reads "
                        "(player.poll_reads): VINTF 1 stays disabled: the CMDQV is not enabled "
                        "(CMDQV_CONFIG.CMDQV_EN clear"),
              std::string::npos)
        << f[0];
}

// A wait consumed that times out fails at the cycle its timeout ends, with
// the player's one deadline (wait_until) as with a timeout per wake-up: a
// shorter deadline after a longer pending one, a longer one after a
// shorter, and timeouts between the consumer's progress. The failures and
// the last cycle were what the player gave before it had the deadline; since
// the driver keeps a copy of CONS (docs/model-changes.md) its `cmd` lines
// read nothing and its waits read once, so each wait starts earlier and
// finds the consumer less far: CONS 0x2 and 0x3 at lines 17 and 20 (were
// 0x3 and 0x4), the end at cycle 452 (was 486).
TEST(Player, WaitConsumedTimesOutAtTheSameCycleWithOneDeadline)
{
    TestBench b;
    const auto f = play(b,
                        "cmdq enable log2size=4\ncmd cmdq TLBI_NH_ALL\ncmd cmdq CMD_SYNC\ndoorbell cmdq\n"
                        "wait consumed cmdq\n"  // line 5: done long before its 10^6-cycle deadline
                        "cmd cmdq TLBI_NH_ALL\ncmd cmdq TLBI_NH_ALL\ncmd cmdq TLBI_NH_ALL\ncmd cmdq CMD_SYNC\n"
                        "doorbell cmdq\nwait consumed cmdq timeout=7\nwait consumed cmdq timeout=3\n"
                        "+5 cmd cmdq TLBI_NH_ALL\ncmd cmdq TLBI_NH_ALL\ncmd cmdq CMD_SYNC\ndoorbell cmdq\n"
                        "wait consumed cmdq timeout=40\n"  // line 17
                        "cmd cmdq TLBI_NH_ALL\ndoorbell cmdq\nwait consumed cmdq timeout=20\nwait consumed cmdq\n");
    const std::vector<std::string> want = {
        ":11:1: queue cmdq not consumed after 7 cycles (CONS 0x2, PROD 0x6)",
        ":12:1: queue cmdq not consumed after 3 cycles (CONS 0x2, PROD 0x6)",
        ":17:1: queue cmdq not consumed after 40 cycles (CONS 0x2, PROD 0x9)",
        ":20:1: queue cmdq not consumed after 20 cycles (CONS 0x3, PROD 0xa)"};
    EXPECT_EQ(f, want);
    EXPECT_EQ(b.soc().smmu_clock().now(), 452u);
}
