// SPDX-License-Identifier: GPL-2.0-only
// The trace spool's fixed record of a kernel-level `map` or `unmap`
// (sim/trace_spool.h): every such operation comes back as it was put,
// every value of it and of its kernel-level operation compared, whether it
// is the fixed record (into the operation the last one filled, or into one
// another record filled) or, when it sets anything else (a time, an
// expect-log, a long domain name, any other kernel-level value), values.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "support/trace_text.h"
#include "trace_spool.h"

using namespace smmusim;

namespace {

// Every value of a kernel-level operation (KernelOpValues, its strings and
// stream IDs).
std::string kernel_values(const KernelOp& k)
{
    const KernelOp::Stage1& s = k.stage1;
    return fmt::format(
        "verb={} name={} target={} param={} value={} sid={} vsid={} sids={} pci={} ats={} rid={} iova={:#x} "
        "pa={:#x} size={:#x} gpa={:#x} ram={:#x} ro={} scattered={} trapped={} queue_gpa={:#x} log2size={} "
        "index={} depth={} timeout={} errno={} error={} empty={} lost={} read_timeout={} log={} map={:#x}/{:#x} "
        "dw={:#x}/{:#x} vtype={} event={} evsid={} eiova={:#x}/{} s1={}/{}/{}/{}/{:#x}/{}/{}/{}/{:#x}/{:#x} "
        "ssid={} ssv={} write={} fault={}/{}/{} check_pa={}",
        static_cast<int>(k.verb), k.name, k.target, k.param, k.value, k.sid, k.vsid, fmt::join(k.sids, ","), k.pci,
        k.ats, k.rid, k.iova, k.pa, k.size, k.gpa, k.ram, k.readonly, k.scattered, k.trapped, k.queue_gpa, k.log2size,
        k.index, k.depth, k.timeout_ns, k.expect_errno, k.expect_error, k.expect_empty, k.expect_lost,
        k.read_timeout_ns, k.expect_log, k.expect_map[0], k.expect_map[1], k.dw0, k.dw1, k.veventq_type,
        k.expect_event, k.expect_vsid, k.expect_iova, k.expect_has_iova, s.ssids, s.asid, s.granule_shift, s.ias,
        s.tables, s.s1dss, s.eats, s.raw_vste, s.vste[0], s.vste[1], k.ssid, k.ssv, k.write, k.expect_fault,
        k.fault_type, k.fault_ats, k.check_pa);
}

// An operation's values and names, and its kernel-level operation's.
std::string describe(const TraceOp& op)
{
    std::string s = fmt::format(
        "{} {}:{} when={}/{}/{} reg={} queue={} block={} addr={:#x} size={} value={:#x} expect={}/{:#x} "
        "vcmdq={}/{}/{} index={}/{} vmid={} hyp_own={} sid={}/{} op={:#x} dw={:#x}/{:#x} log2size={} base={}/{:#x} "
        "timeout={} cycles={} cols={}/{}/{}",
        static_cast<int>(op.kind), op.loc.line, op.loc.col, static_cast<int>(op.when), op.when_cycles, op.when_col,
        op.reg, op.queue, static_cast<int>(op.block), op.addr, op.size, op.value, op.has_expect, op.expect, op.vcmdq,
        op.vintf, op.lidx, op.index, op.global_q, op.vmid, op.hyp_own, op.vsid, op.psid, op.opcode, op.dw0, op.dw1,
        op.log2size, op.has_base, op.base, op.timeout, op.cycles, op.place_col, op.cycles_col, op.log2size_col);
    if (op.kind == TraceOp::Kind::Kernel)
        s += " " + kernel_values(op.kop);
    return s;
}

}  // namespace

TEST(TraceSpoolMap, EveryMapAndUnmapComesBackWhateverCameBefore)
{
    // Each `map`/`unmap` after a record of every other kind (into the same
    // operation), after another `map`/`unmap`, and with what makes it a
    // values record instead.
    std::string text = "kernel boot\nendpoint dma0 sid=0x10\ndomain d0 endpoint=dma0\n"
                       "map d0 iova=0x100000 pa=0x90000000 size=0x1000\n"
                       "unmap d0 iova=0x100000 size=0x1000\n"
                       "endpoint dma1 sid=0x20,0x21,0x22\ndomain dom1 endpoint=dma1\n"
                       "map dom1 iova=0xffffffff000 pa=0xfedcba9876543000 size=0x123000 ro\n"
                       "map d0 iova=0x0 pa=0x0 size=0x1\n"
                       "cmdq enable\nwrite32 smmu.CR0 1\n"
                       "unmap dom1 iova=0x200000 size=0x2000\n"
                       "cmd cmdq CMD_SYNC\n"
                       "map d0 iova=0x300000 pa=0x93000000 size=0x1000 ro\n"
                       "expect executed CMD_SYNC queue=smmu.cmdq\n"
                       "unmap d0 iova=0x300000 size=0x1000\n"
                       "+5 map d0 iova=0x400000 pa=0x94000000 size=0x1000\n"
                       "map d0 iova=0x500000 pa=0x95000000 size=0x1000\n"
                       "unmap d0 iova=0x500000 size=0x1000 expect-log oops\n"
                       "unmap d0 iova=0x500000 size=0x1000\n"
                       "vm vm0 endpoint=dma1 vsid=7\n"
                       "map d0 iova=0x600000 pa=0x96000000 size=0x1000\n"
                       "map d0 iova=0x700000 pa=0x97000000 size=0x1000\n"
                       "unmap d0 iova=0x700000 size=0x1000\n";
    std::vector<TraceOp> ops = test::parse_ops(text);
    ASSERT_EQ(ops.size(), 24u);
    // Values the grammar does not give a `map`: a values record each.
    TraceOp extra = ops[3];
    extra.kop.gpa = 5;
    ops.push_back(extra);
    ops.push_back(ops[3]);
    extra = ops[3];
    extra.kop.stage1.asid = 9;
    ops.push_back(extra);
    extra = ops[4];
    extra.kop.sids = {1};
    ops.push_back(extra);
    extra = ops[4];
    extra.kop.name = std::string(255, 'n');  // the longest name the record holds
    ops.push_back(extra);
    extra.kop.name = std::string(256, 'n');
    ops.push_back(extra);
    extra.kop.name = "d0";
    extra.vmid = 3;
    ops.push_back(extra);
    ops.push_back(ops[4]);

    // Every operation read back, described, against every one put.
    std::vector<std::string> want, back;
    TraceSpool spool;
    ASSERT_TRUE(spool.ok());
    for (const TraceOp& op : ops) {
        spool.put(op);
        want.push_back(describe(op));
    }
    ASSERT_TRUE(spool.rewind());
    const std::string file = "t";
    for (TraceOp got; back.size() <= ops.size() && spool.get(got, &file);) {
        EXPECT_EQ(got.loc.file, &file);
        back.push_back(describe(got));
    }
    EXPECT_EQ(back, want);
}
