// SPDX-License-Identifier: GPL-2.0-only
// The SMMU CMDQ's observable schedule, cycle by cycle (support/schedule_log.h):
// each CONS value, GERROR toggle and engine span at the cycle the
// per-command consumer (a thread wake per command for decode) gave. The
// expectations were captured from that model before the consumer decoded a
// batch at once; a host-speed change that moves any of them fails here.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "smmuv3/cmdq.h"
#include "support/schedule_log.h"
#include "support/testbench.h"

using namespace smmusim;
using namespace smmusim::smmuv3;
using namespace smmusim::test;

using Lines = std::vector<std::string>;

// Two bursts (batch 4) of mixed classes: CONS moves at each command's
// completion, the second burst's fetch starts when the first has executed.
TEST(CmdqSchedule, TwoBurstsOfMixedCommands)
{
    TestBench b;
    Lines log;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        ScheduleLog s(b);
        b.submit(q, 8,
                 {cmd(OP_TLBI_NH_ASID, cmdf::TLBI_ASID.put(5)), cmd(OP_CFGI_STE), cmd(OP_TLBI_NH_VA),
                  cmd_sync(cmdf::CS_IRQ), cmd(OP_CFGI_STE_RANGE, 0, 31), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 6; }, 2000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "62 smmu+0x98=0x6",
                  "129 smmu+0x9c=0x1",
                  "113..129 soc.smmu.cmdq op 0x11",
                  "133 smmu+0x9c=0x2",
                  "129..133 soc.smmu.cmdq op 0x03",
                  "141 smmu+0x9c=0x3",
                  "133..141 soc.smmu.cmdq op 0x12",
                  "143 smmu+0x9c=0x4",
                  "141..143 soc.smmu.cmdq op 0x46",
                  "223 smmu+0x9c=0x5",
                  "191..223 soc.smmu.cmdq op 0x04",
                  "225 smmu+0x9c=0x6",
                  "223..225 soc.smmu.cmdq op 0x46",
              })) << as_initializer(log);
}

// An illegal command in the middle of a burst: the commands before it run,
// CONS stops at it with CERROR_ILL and GERROR toggles; after GERRORN the
// queue refetches from CONS.
TEST(CmdqSchedule, IllegalCommandMidBurst)
{
    TestBench b;
    Lines log;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        ScheduleLog s(b);
        b.submit(q, 8, {cmd(OP_TLBI_NH_ALL), cmd(OP_CFGI_STE), cmd(0x7f), cmd(OP_CFGI_STE), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return gerror::CMDQ_ERR.get(b.rd32(GERROR)) != 0; }, 1000));
        b.wait_cycles(7);
        auto sync = cmd_sync();
        b.put_cmd(q, 2, sync.first, sync.second);
        b.wr32(GERRORN, b.rd32(GERROR));
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(CMDQ_CONS) & 0xff) == 5; }, 1000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "62 smmu+0x98=0x5",
                  "144 smmu+0x9c=0x1",
                  "112..144 soc.smmu.cmdq op 0x10",
                  "148 smmu+0x9c=0x2",
                  "144..148 soc.smmu.cmdq op 0x03",
                  "148 smmu+0x9c=0x1000002",
                  "148 smmu+0x60=0x1",
                  "171 smmu+0x64=0x1",
                  "223 smmu+0x9c=0x1000003",
                  "221..223 soc.smmu.cmdq op 0x46",
                  "227 smmu+0x9c=0x1000004",
                  "223..227 soc.smmu.cmdq op 0x03",
                  "229 smmu+0x9c=0x1000005",
                  "227..229 soc.smmu.cmdq op 0x46",
              })) << as_initializer(log);
}

// Slow decode (50 cycles a command): the queue is disabled and enabled again
// while its burst is being decoded. The stale burst stops at the end of the
// command being decoded when the queue came back, and the new queue fetches
// from CONS then.
TEST(CmdqSchedule, ReenabledWhileDecodingDropsTheBurstAtTheNextDecodeBoundary)
{
    TestBench b({"smmu.cmdq.decode_cycles=50"});
    Lines log;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        ScheduleLog s(b);
        b.submit(q, 8, {cmd(OP_CFGI_STE), cmd(OP_CFGI_STE), cmd(OP_CFGI_STE), cmd_sync()});
        b.wait_cycles(61);
        b.wr32(CR0, 0);
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CR0ACK) == 0; }, 1000));
        b.wr32(CR0, cr0::CMDQEN.mask());
        EXPECT_TRUE(b.wait_until([&] { return (b.rd32(CMDQ_CONS) & 0xff) == 4; }, 2000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "62 smmu+0x98=0x4",
                  "129 smmu+0x20=0x0",
                  "145 smmu+0x24=0x0",
                  "155 smmu+0x20=0x8",
                  "171 smmu+0x24=0x8",
                  "459 smmu+0x9c=0x1",
                  "455..459 soc.smmu.cmdq op 0x03",
                  "463 smmu+0x9c=0x2",
                  "459..463 soc.smmu.cmdq op 0x03",
                  "467 smmu+0x9c=0x3",
                  "463..467 soc.smmu.cmdq op 0x03",
                  "469 smmu+0x9c=0x4",
                  "467..469 soc.smmu.cmdq op 0x46",
              })) << as_initializer(log);
}

// Zero-cycle decode: a burst decodes in delta cycles, in the same cycle.
TEST(CmdqSchedule, ZeroCycleDecode)
{
    TestBench b({"smmu.cmdq.decode_cycles=0"});
    Lines log;
    b.run([&] {
        const uint64_t q = b.enable_cmdq();
        ScheduleLog s(b);
        b.submit(q, 8, {cmd(OP_CFGI_STE), cmd(OP_TLBI_NH_VA), cmd_sync(), cmd(OP_CFGI_CD), cmd_sync()});
        EXPECT_TRUE(b.wait_until([&] { return b.rd32(CMDQ_CONS) == 5; }, 2000));
        log = s.lines();
    });
    EXPECT_EQ(log, (Lines{
                  "62 smmu+0x98=0x5",
                  "113 smmu+0x9c=0x1",
                  "109..113 soc.smmu.cmdq op 0x03",
                  "121 smmu+0x9c=0x2",
                  "113..121 soc.smmu.cmdq op 0x12",
                  "123 smmu+0x9c=0x3",
                  "121..123 soc.smmu.cmdq op 0x46",
                  "127 smmu+0x9c=0x4",
                  "123..127 soc.smmu.cmdq op 0x05",
                  "175 smmu+0x9c=0x5",
                  "173..175 soc.smmu.cmdq op 0x46",
              })) << as_initializer(log);
}
