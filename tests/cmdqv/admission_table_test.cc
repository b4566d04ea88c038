// SPDX-License-Identifier: GPL-2.0-only
// The CMDQV answers "may VINTF v's queues admit now, and with which VMID /
// HYP_OWN / SID pairs" from a per-VINTF table (Cmdqv::refresh_admission),
// not from the registers per command. The table must follow every write
// that can change the answer, in whatever order software writes:
//
// - after each step of a seeded sequence of CMDQV CONFIG and VINTF CONFIG
//   writes (EN, VMID, HYP_OWN; handshakes completed or not), the table says
//   what the registers say, for every VINTF;
// - a VINTF reprogrammed in the middle of its guest queue's burst (disabled,
//   re-enabled with another VMID, the queue re-enabled) executes every
//   command under the VMID in force when it was admitted, with the same
//   cycles whether the queue uses quiet windows or not (which is where the
//   table is read without a wait, cmdq_consumer.h).
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"
#include "platform/quiet.h"
#include "support/in_child.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

namespace {

TEST(CmdqvAdmissionTable, FollowsEveryConfigurationWrite)
{
    TestBench b;
    b.run([&] {
        Cmdqv& c = b.soc().cmdqv();
        EXPECT_TRUE(c.admission_is_current());
        std::mt19937 rng(13);
        unsigned open_seen = 0;
        for (unsigned step = 0; step < 600; step++) {
            const unsigned v = rng() % 3;
            switch (rng() % 4) {
            case 0:
                b.cmdqv_wr(CONFIG, rng() % 4 ? 1 : 0);
                break;
            default:
                b.cmdqv_wr(vintf(v) + VINTF_CONFIG,
                           vintf_config::EN.put(rng() % 4 != 0) | vintf_config::VMID.put(rng() % 3) |
                               vintf_config::HYP_OWN.put(rng() % 2));
                break;
            }
            ASSERT_TRUE(c.admission_is_current()) << "after the write of step " << step;
            // Before, at or after the handshake (cmdqv.enable_cycles = 16).
            b.wait_cycles(rng() % 24);
            ASSERT_TRUE(c.admission_is_current()) << "after the wait of step " << step;
            for (unsigned w = 0; w < 3; w++)
                open_seen += c.vintf_admitting(w);
        }
        EXPECT_GT(open_seen, 100u);  // the sequence opened admission often
    });
}

// The guest's commands: TLBIs whose VMID field the guest sets to 0x33
// (the filter replaces it) and a CMD_SYNC every eighth.
std::vector<std::pair<uint64_t, uint64_t>> guest_burst(unsigned n)
{
    std::vector<std::pair<uint64_t, uint64_t>> c;
    for (unsigned i = 0; i < n; i++)
        c.push_back(i % 8 == 7 ? cmd_sync()
                               : cmd(OP_TLBI_NH_VA, cmdf::TLBI_ASID.put(1) | cmdf::TLBI_VMID.put(0x33),
                                     cmdf::TLBI_VA.put(i)));
    return c;
}

// VINTF1 (VMID 5) with LVCMDQ0 = VCMDQ 2, 15 commands submitted; `at`
// cycles later the host disables the VINTF, re-enables it with VMID 7,
// re-enables the queue and the guest submits 15 more. The log: each
// executed command's span and VMID, CONS at each poll, the end.
std::string reprogrammed(bool quiet, uint64_t at)
{
    quiet_windows() = quiet;
    TestBench b;
    std::string log;
    const ClockDomain& clk = b.smmu().clock();
    b.smmu().engine().add_span_observer(
        [&](unsigned, const Command& c, const sc_core::sc_time& s, const sc_core::sc_time& e) {
            log += fmt::format("{}..{} {:#x} vmid {}\n", clk.to_cycles(s), clk.to_cycles(e), c.op, c.vmid);
        });
    b.run([&] {
        Cmdqv& c = b.soc().cmdqv();
        const uint64_t guest = b.dram(0x400000);
        bring_up_lvcmdq0(b, 1, false, 5, 2, guest);
        submit_lvcmdq(b, 1, 0, guest, 4, guest_burst(15));
        b.wait_cycles(at);
        write_config(b, vintf(1) + VINTF_CONFIG, vintf(1) + VINTF_STATUS, 0);
        EXPECT_TRUE(c.admission_is_current());
        log += fmt::format("{} disabled, cons {:#x}\n", b.now(), b.cmdqv_rd(vq0(2, VCMDQ_CONS)));
        enable_vintf(b, 1, false, 7);
        EXPECT_TRUE(c.admission_is_current());
        // The queue was forced off with its VINTF: CONFIG.EN again.
        write_config(b, vq0(2, VCMDQ_CONFIG), vq0(2, VCMDQ_STATUS), 1);
        submit_lvcmdq(b, 1, 0, guest, 4, guest_burst(15));
        for (unsigned i = 0; i < 1000; i++) {
            const uint64_t cons = b.cmdqv_rd(vq0(2, VCMDQ_CONS));
            log += fmt::format("{} cons {:#x}\n", b.now(), cons);
            if (cons == b.cmdqv_rd(vq0(2, VCMDQ_PROD)))
                break;
            b.wait_cycles(3);
        }
        log += fmt::format("end {} quiet {}\n", b.now(), c.vcmdq(2).quiet_decoded() > 0);
    });
    return log;
}

void expect_reprogrammed(uint64_t at)
{
    const std::string off = in_child([&] { return reprogrammed(false, at); });
    const std::string on = in_child([&] { return reprogrammed(true, at); });
    ASSERT_NE(on.find("quiet true"), std::string::npos) << on;
    ASSERT_NE(off.find("quiet false"), std::string::npos) << off;
    EXPECT_EQ(on.substr(0, on.find("quiet")), off.substr(0, off.find("quiet")));
    // Under VMID 5 before the disable, 7 after: never the guest's 0x33.
    const size_t cut = on.find("disabled");
    ASSERT_NE(cut, std::string::npos);
    std::set<std::string> before, after;
    for (size_t p = on.find("vmid "); p != std::string::npos; p = on.find("vmid ", p + 1))
        (p < cut ? before : after).insert(on.substr(p, on.find('\n', p) - p));
    for (const std::string& vmid : before)
        EXPECT_TRUE(vmid == "vmid 5" || vmid == "vmid 0") << vmid << "\n" << on;  // 0: CMD_SYNC
    EXPECT_TRUE(after.count("vmid 7")) << on;
    EXPECT_FALSE(after.count("vmid 5")) << on;
}

TEST(CmdqvAdmissionTable, ReprogrammedEarlyInTheBurst) { expect_reprogrammed(5); }
TEST(CmdqvAdmissionTable, ReprogrammedMidBurst) { expect_reprogrammed(20); }
TEST(CmdqvAdmissionTable, ReprogrammedLateInTheBurst) { expect_reprogrammed(45); }

}  // namespace
