// SPDX-License-Identifier: GPL-2.0-only
// Quiet windows (models/platform/quiet.h) change host cost only: the command
// pipelines fetch, decode, win the engine and execute commands without
// waiting, owing one wait for all of it, when nothing else can run
// meanwhile (cmdq_consumer.h). Each scenario runs twice, in child processes (a
// SystemC simulation cannot restart), with quiet windows on and off, and
// everything software and the reports can see must be the same: every CONS
// value the CPU reads at its poll cycles (every cycle .. every 1000), each
// command's engine span, the end time and every statistic of the run.
// Not here: the exact cycles themselves (cmdq_schedule_test.cc,
// vcmdq_schedule_test.cc).
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn
#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"
#include "platform/quiet.h"
#include "smmuv3/cmdq.h"
#include "support/in_child.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

using Cmds = std::vector<std::pair<uint64_t, uint64_t>>;

// What a scenario adds to the plain one.
struct Extra {
    bool sev = false;    // someone asked for the SMMU's SEV event (it may wait for it)
    bool sev_log = false;  // someone waits for every SEV and notes its cycle
    bool stray = false;  // the last round ends with an illegal command on each queue
    bool start_observer = false;  // an engine observer reads each command's start time
    bool atc = false;    // ATC_INVs (not quiet) on the host's queues: their CMD_SYNCs wait for them
    bool refused = false;  // the last round's guest commands have one its VINTF's filter refuses
    std::vector<std::string> sets;  // --set overrides
};

// A scenario with one of the extras.
Extra with(bool Extra::*what)
{
    Extra x;
    x.*what = true;
    return x;
}

// Fifteen commands: TLBIs and CMD_SYNCs in a row, one sync that signals
// (not quiet: its SEV is seen when someone waits for SEVs) and, but for a
// guest, configuration invalidations (or ATC invalidations) among them.
Cmds mixed(unsigned round, bool guest, bool atc = false)
{
    Cmds c;
    const auto host_only = atc ? cmd(OP_ATC_INV, cmdf::ATC_SID.put(3)) : cmd(OP_CFGI_STE);
    for (unsigned i = 0; i < 13; i++)
        c.push_back(i % 7 == 6                ? cmd_sync(round % 2 ? cmdf::CS_SEV : cmdf::CS_NONE)
                    : i % 5 == 4 && !guest ? host_only
                                           : cmd(OP_TLBI_NH_VA, cmdf::TLBI_ASID.put(1), cmdf::TLBI_VA.put(i)));
    c.push_back(cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(2)));
    c.push_back(cmd_sync());
    return c;
}

// `c` with an unknown opcode in its middle (IHI 0070 §4.1.1: CERROR_ILL).
Cmds with_stray(Cmds c, bool stray)
{
    if (stray)
        c.insert(c.begin() + 9, cmd(0x7f));
    return c;
}

// `c` with an ATC_INV of a StreamID the guest's VINTF does not map in its
// middle: the guest filter refuses it (CERROR_ILL_ACCESS) after the
// commands before it were admitted in the same burst.
Cmds with_refused(Cmds c, bool refused)
{
    if (refused)
        c.insert(c.begin() + 5, cmd(OP_ATC_INV, cmdf::ATC_SID.put(0x77)));
    return c;
}

// The SMMU CMDQ, a host VCMDQ (VINTF0) and a guest VCMDQ (VINTF1, VMID 5),
// 16 entries each, fed three rounds of commands; the CPU polls their CONS
// every `poll` cycles until they have drained. A stray command is illegal
// (CONS.ERR, GERROR, the queue halts).
std::string scenario(bool quiet, uint64_t poll, const Extra& x)
{
    quiet_windows() = quiet;
    TestBench b(x.sets);
    std::string log;
    std::vector<uint64_t> sevs;  // the cycles of the SEVs (x.sev_log), told at the end
    const ClockDomain& clk = b.smmu().clock();
    b.smmu().engine().add_span_observer(
        [&](unsigned src, const Command& c, const sc_core::sc_time& s, const sc_core::sc_time& e) {
            log += fmt::format("{}..{} {} {:#x}\n", clk.to_cycles(s), clk.to_cycles(e), src, c.op);
        });
    if (x.start_observer)
        b.smmu().engine().add_start_observer([&](unsigned src, const Command& c) {
            log += fmt::format("start {} {} {:#x}\n", clk.now(), src, c.op);
        });
    b.run([&] {
        const uint64_t q = b.enable_cmdq(4);
        const uint64_t host = enable_host_lvcmdq0(b);
        const uint64_t guest = b.dram(0x400000);
        bring_up_lvcmdq0(b, 1, false, 5, 2, guest);
        if (x.sev)
            (void)b.smmu().sev();
        if (x.sev_log) {
            sc_core::sc_spawn_options opts;
            opts.set_stack_size(TestBench::kStackBytes);
            const sc_core::sc_event& sev = b.smmu().sev();
            sc_core::sc_spawn(
                [&] {
                    for (;;) {
                        sc_core::wait(sev);
                        sevs.push_back(b.now());
                    }
                },
                "sev_log", &opts);
        }
        for (unsigned round = 0; round < 3; round++) {
            const bool last = x.stray && round == 2;
            b.submit(q, 4, with_stray(mixed(round, false, x.atc), last));
            submit_lvcmdq(b, 0, 0, host, 4, with_stray(mixed(round + 1, false, x.atc), last));
            submit_lvcmdq(b, 1, 0, guest, 4,
                          with_refused(with_stray(mixed(round, true), last), x.refused && round == 2));
            for (unsigned i = 0; i < 1000; i++) {
                const uint32_t c0 = b.rd32(CMDQ_CONS);
                const uint64_t c1 = b.cmdqv_rd(vq0(0, VCMDQ_CONS)), c2 = b.cmdqv_rd(vq0(2, VCMDQ_CONS));
                log += fmt::format("{} cons {:#x} {:#x} {:#x}\n", b.now(), c0, c1, c2);
                if (c0 == b.rd32(CMDQ_PROD) && c1 == b.cmdqv_rd(vq0(0, VCMDQ_PROD)) &&
                    c2 == b.cmdqv_rd(vq0(2, VCMDQ_PROD)))
                    break;
                b.wait_cycles(poll);
            }
        }
        for (const uint64_t t : sevs)
            log += fmt::format("sev {}\n", t);
        log += fmt::format("end {}\nquiet {} {} {}\n", b.now(), b.smmu().cmdq().quiet_executed() > 0,
                           b.soc().cmdqv().vcmdq(0).quiet_executed() > 0,
                           b.soc().cmdqv().vcmdq(2).quiet_decoded() > 0);
        log += StatRegistry::global().to_json().dump(1);
    });
    return log;
}

// The log without its "quiet ..." line (which says whether windows were used).
std::string without_quiet_line(const std::string& log, std::string& quiet_line)
{
    const size_t at = log.find("\nquiet ");
    if (at == std::string::npos)
        return log;
    const size_t end = log.find('\n', at + 1);
    quiet_line = log.substr(at + 1, end - at - 1);
    return log.substr(0, at) + log.substr(end);
}

// Both runs alike; returns the quiet run's "quiet ..." line.
std::string expect_same(uint64_t poll, const Extra& x = {})
{
    std::string off, on;
    const std::string per_command = without_quiet_line(in_child([&] { return scenario(false, poll, x); }), off);
    const std::string quiet = without_quiet_line(in_child([&] { return scenario(true, poll, x); }), on);
    EXPECT_GT(per_command.size(), 1000u) << per_command;
    EXPECT_EQ(off, "quiet false false false");
    EXPECT_EQ(quiet, per_command);
    return on;
}

}  // namespace

TEST(QuietWindow, SameWithAPollEveryCycle) { expect_same(1); }
TEST(QuietWindow, SameWithAPollEverySevenCycles) { expect_same(7); }
TEST(QuietWindow, SameWithAPollEvery64Cycles) { expect_same(64); }
TEST(QuietWindow, SameWithSevWatched) { expect_same(64, with(&Extra::sev)); }

// Someone waits for every SEV (a VCMDQ's, cmdqv.vcmdq.sev, and the CS=SEV
// CMD_SYNCs'): each comes at the same cycle. With `sync` a VCMDQ's CMD_SYNC
// does not run quietly, its other commands do; with `cons` none does.
TEST(QuietWindow, SameWithSevsWaitedForSync)
{
    Extra x = with(&Extra::sev_log);
    x.sets = {"cmdqv.vcmdq.sev=sync"};
    EXPECT_EQ(expect_same(64, x), "quiet true true true");
}
TEST(QuietWindow, SameWithSevsWaitedForCons)
{
    Extra x = with(&Extra::sev_log);
    x.sets = {"cmdqv.vcmdq.sev=cons"};
    EXPECT_EQ(expect_same(7, x), "quiet true false true");
}

// An illegal command stops each queue where it is, with the same CONS, errors
// and statistics, whether the commands before it ran ahead of the clock.
TEST(QuietWindow, SameWithAStrayCommand) { expect_same(1000, with(&Extra::stray)); }
TEST(QuietWindow, SameWithAStrayCommandPolledOften) { expect_same(7, with(&Extra::stray)); }

// The step that crosses a window's end waits what the thread owes and its
// own cycles at once (the fetch, the decode, the command): the same starts
// when an observer reads each command's start time (the thread catches up
// first), and with ATC invalidations whose CMD_SYNCs wait off the engine.
TEST(QuietWindow, SameWithAStartObserver) { expect_same(7, with(&Extra::start_observer)); }
TEST(QuietWindow, SameWithAStartObserverPolledOften) { expect_same(1, with(&Extra::start_observer)); }
TEST(QuietWindow, SameWithAtcInvalidations) { expect_same(7, with(&Extra::atc)); }
TEST(QuietWindow, SameWithAGuestCommandTheFilterRefuses) { expect_same(1000, with(&Extra::refused)); }
TEST(QuietWindow, SameWithAGuestCommandTheFilterRefusesPolledOften) { expect_same(7, with(&Extra::refused)); }
TEST(QuietWindow, SameWithAtcInvalidationsPolledRarely) { expect_same(1000, with(&Extra::atc)); }

// Polls far apart: every queue does use quiet windows, with the same results.
TEST(QuietWindow, UsedWhenNobodyLooks) { EXPECT_EQ(expect_same(1000), "quiet true true true"); }
