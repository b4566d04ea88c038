// SPDX-License-Identifier: GPL-2.0-only
// The guest VCMDQ's observable schedule, cycle by cycle
// (support/schedule_log.h), alone and competing with the SMMU CMDQ and a
// host VCMDQ for the shared engine: each CONS value and engine span at the
// cycle the per-command consumer gave (expectations captured from it before
// the host-speed work on the pipeline and the engine's arbiter).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cmdqv/cmdqv.h"
#include "cmdqv_helpers.h"
#include "smmuv3/cmdq.h"
#include "support/schedule_log.h"

using namespace smmusim;
using namespace smmusim::cmdqv;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

using Lines = std::vector<std::string>;

// A guest queue (VINTF1, VMID 5) with the filter's cycle per command: the
// TLBIs' VMID rewritten, the CMD_SYNC's signalling suppressed.
TEST(VcmdqSchedule, GuestQueueAlone)
{
    TestBench b;
    Lines log;
    b.run([&] {
        const uint64_t base = b.dram(0x400000);
        bring_up_lvcmdq0(b, 1, false, 5, 2, base);
        ScheduleLog s(b);
        s.watch(b.soc().cmdqv().vcmdq(2).bank(), "vcmdq2");
        submit_lvcmdq(b, 1, 0, base, 4,
                      {cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(1)), cmd(OP_TLBI_NH_VA), cmd_sync(cmdf::CS_SEV),
                       cmd(OP_TLBI_NH_VA), cmd(OP_TLBI_NH_ASID), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return b.soc().cmdqv().vcmdq(2).reg(0, VCMDQ_CONS) == 6; }, 2000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "113 vcmdq2+0x4=0x6",
                  "184 vcmdq2+0x0=0x1",
                  "168..184 soc.cmdqv.vcmdq2 op 0x11",
                  "192 vcmdq2+0x0=0x2",
                  "184..192 soc.cmdqv.vcmdq2 op 0x12",
                  "194 vcmdq2+0x0=0x3",
                  "192..194 soc.cmdqv.vcmdq2 op 0x46",
                  "202 vcmdq2+0x0=0x4",
                  "194..202 soc.cmdqv.vcmdq2 op 0x12",
                  "268 vcmdq2+0x0=0x5",
                  "252..268 soc.cmdqv.vcmdq2 op 0x11",
                  "270 vcmdq2+0x0=0x6",
                  "268..270 soc.cmdqv.vcmdq2 op 0x46",
              })) << as_initializer(log);
}

// The SMMU CMDQ, a host VCMDQ and a guest VCMDQ all busy: the engine's
// round robin interleaves their bursts.
TEST(VcmdqSchedule, ThreeQueuesShareTheEngine)
{
    TestBench b;
    Lines log;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        const uint64_t host = enable_host_lvcmdq0(b);
        const uint64_t guest = b.dram(0x400000);
        bring_up_lvcmdq0(b, 1, false, 5, 2, guest);
        ScheduleLog s(b);
        s.watch(b.soc().cmdqv().vcmdq(0).bank(), "vcmdq0");
        s.watch(b.soc().cmdqv().vcmdq(2).bank(), "vcmdq2");
        const std::vector<std::pair<uint64_t, uint64_t>> cmds(7, cmd(OP_TLBI_NH_VA));
        auto with_sync = cmds;
        with_sync.push_back(cmd_sync());
        b.submit(q, 8, with_sync);
        submit_lvcmdq(b, 0, 0, host, 4, with_sync);
        submit_lvcmdq(b, 1, 0, guest, 4, with_sync);
        EXPECT_TRUE(b.wait_until(
            [&] {
                return b.rd32(CMDQ_CONS) == 8 && b.soc().cmdqv().vcmdq(0).reg(0, VCMDQ_CONS) == 8 &&
                       b.soc().cmdqv().vcmdq(2).reg(0, VCMDQ_CONS) == 8;
            },
            5000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "238 smmu+0x98=0x8",
                  "250 vcmdq0+0x4=0x8",
                  "262 vcmdq2+0x4=0x8",
                  "297 smmu+0x9c=0x1",
                  "289..297 soc.smmu.cmdq op 0x12",
                  "305 smmu+0x9c=0x2",
                  "297..305 soc.smmu.cmdq op 0x12",
                  "313 smmu+0x9c=0x3",
                  "305..313 soc.smmu.cmdq op 0x12",
                  "321 smmu+0x9c=0x4",
                  "313..321 soc.smmu.cmdq op 0x12",
                  "330 vcmdq0+0x0=0x1",
                  "322..330 soc.cmdqv.vcmdq0 op 0x12",
                  "338 vcmdq0+0x0=0x2",
                  "330..338 soc.cmdqv.vcmdq0 op 0x12",
                  "346 vcmdq0+0x0=0x3",
                  "338..346 soc.cmdqv.vcmdq0 op 0x12",
                  "354 vcmdq0+0x0=0x4",
                  "346..354 soc.cmdqv.vcmdq0 op 0x12",
                  "363 vcmdq2+0x0=0x1",
                  "355..363 soc.cmdqv.vcmdq2 op 0x12",
                  "371 vcmdq2+0x0=0x2",
                  "363..371 soc.cmdqv.vcmdq2 op 0x12",
                  "379 vcmdq2+0x0=0x3",
                  "371..379 soc.cmdqv.vcmdq2 op 0x12",
                  "387 vcmdq2+0x0=0x4",
                  "379..387 soc.cmdqv.vcmdq2 op 0x12",
                  "396 smmu+0x9c=0x5",
                  "388..396 soc.smmu.cmdq op 0x12",
                  "404 smmu+0x9c=0x6",
                  "396..404 soc.smmu.cmdq op 0x12",
                  "412 smmu+0x9c=0x7",
                  "404..412 soc.smmu.cmdq op 0x12",
                  "414 smmu+0x9c=0x8",
                  "412..414 soc.smmu.cmdq op 0x46",
                  "423 vcmdq0+0x0=0x5",
                  "415..423 soc.cmdqv.vcmdq0 op 0x12",
                  "431 vcmdq0+0x0=0x6",
                  "423..431 soc.cmdqv.vcmdq0 op 0x12",
                  "439 vcmdq0+0x0=0x7",
                  "431..439 soc.cmdqv.vcmdq0 op 0x12",
                  "441 vcmdq0+0x0=0x8",
                  "439..441 soc.cmdqv.vcmdq0 op 0x46",
                  "450 vcmdq2+0x0=0x5",
                  "442..450 soc.cmdqv.vcmdq2 op 0x12",
                  "458 vcmdq2+0x0=0x6",
                  "450..458 soc.cmdqv.vcmdq2 op 0x12",
                  "466 vcmdq2+0x0=0x7",
                  "458..466 soc.cmdqv.vcmdq2 op 0x12",
                  "468 vcmdq2+0x0=0x8",
                  "466..468 soc.cmdqv.vcmdq2 op 0x46",
              })) << as_initializer(log);
}
