// SPDX-License-Identifier: GPL-2.0-only
// Where the trace spool (sim/trace_spool.h) keeps its file: in $TMPDIR, as
// mktemp(1) and the C library's other users of it do (std::tmpfile()
// would always use /tmp); a TMPDIR that cannot hold it leaves the spool
// not ok(), so that the run reads the trace again. Its encoding: every
// kind of operation comes back as it was put (a `cmd` as its fixed record
// or, with a time or a kernel-level operation's strings, as values), across
// the spool's blocks, a kernel-level value one operation set blank again in
// the next, values of every encoded length; the player's tests play traces
// through it.
#include <cstdlib>
#include <string>
#include <vector>

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "support/trace_text.h"
#include "trace_spool.h"

using namespace smmusim;

namespace {

// The targets of this process's open files whose path starts with `prefix`.
int open_files_under(const std::string& prefix)
{
    int n = 0;
    DIR* d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (const dirent* e = readdir(d)) {
        char target[4096];
        const std::string link = std::string("/proc/self/fd/") + e->d_name;
        const ssize_t len = readlink(link.c_str(), target, sizeof(target) - 1);
        if (len > 0 && std::string(target, static_cast<size_t>(len)).rfind(prefix, 0) == 0)
            ++n;
    }
    closedir(d);
    return n;
}

}  // namespace

TEST(TraceSpool, ItsFileIsInTmpdirAndRemovedFromIt)
{
    char dir[] = "/tmp/smmusim-spool-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    setenv("TMPDIR", dir, 1);
    {
        TraceSpool spool;
        EXPECT_TRUE(spool.ok());
        EXPECT_EQ(open_files_under(std::string(dir) + "/smmusim-spool-"), 1);
        // Unlinked at once: the folder is empty while the spool is open.
        EXPECT_EQ(rmdir(dir), 0);
    }
    unsetenv("TMPDIR");
}

TEST(TraceSpool, ATmpdirThatCannotHoldItLeavesTheSpoolNotOk)
{
    setenv("TMPDIR", "/nonexistent/smmusim-spool-test", 1);
    TraceSpool spool;
    EXPECT_FALSE(spool.ok());
    unsetenv("TMPDIR");
}

namespace {

// What a test compares of an operation: its values, names, and a
// kernel-level operation's or an expectation's words.
std::string describe(const TraceOp& op)
{
    std::string s = fmt::format(
        "{} {}:{} when={} {} {} reg={} block={} addr={:#x} size={} value={:#x} expect={}/{:#x} queue={} "
        "vcmdq={}/{}/{} index={} global_q={} vmid={} hyp_own={} vsid={} psid={} op={:#x} dw={:#x}/{:#x} "
        "log2size={} base={}/{:#x} timeout={} cycles={} cols={}/{}/{}",
        static_cast<int>(op.kind), op.loc.line, op.loc.col,
        static_cast<int>(op.when), op.when_cycles, op.when_col, op.reg, static_cast<int>(op.block), op.addr, op.size,
        op.value, op.has_expect, op.expect, op.queue, op.vcmdq, op.vintf, op.lidx, op.index, op.global_q, op.vmid,
        op.hyp_own, op.vsid, op.psid, op.opcode, op.dw0, op.dw1, op.log2size, op.has_base, op.base, op.timeout,
        op.cycles, op.place_col, op.cycles_col, op.log2size_col);
    if (op.kind == TraceOp::Kind::Kernel)
        s += fmt::format(" kop={}/{}/{}/{:#x}/{:#x}/{:#x}/{:#x}/{}/{}/{}/{}/{}/ro={}", static_cast<int>(op.kop.verb),
                         op.kop.name, op.kop.target, op.kop.iova, op.kop.pa, op.kop.size, op.kop.sid,
                         fmt::join(op.kop.sids, ","), op.kop.gpa, op.kop.expect_event, op.kop.stage1.asid,
                         op.kop.expect_log, op.kop.readonly);
    if (op.kind == TraceOp::Kind::ExpectCmd)
        s += fmt::format(" cexp={}/{}/{}", op.cexp.opname, op.cexp.queue, op.cexp.fields.size());
    return s;
}

// Puts `ops` into a spool and expects each back as it was put, in order.
void expect_each_back(const std::vector<TraceOp>& ops)
{
    TraceSpool spool;
    ASSERT_TRUE(spool.ok());
    for (const TraceOp& op : ops)
        spool.put(op);
    ASSERT_TRUE(spool.rewind());
    TraceOp got;
    size_t n = 0;
    const std::string file = "t";
    for (; spool.get(got, &file); n++) {
        ASSERT_LT(n, ops.size());
        ASSERT_EQ(got.loc.file, &file);
        ASSERT_EQ(got.addr, ops[n].addr) << n;
        ASSERT_EQ(got.value, ops[n].value) << n;
        ASSERT_EQ(describe(got), describe(ops[n])) << n;
    }
    EXPECT_EQ(n, ops.size());
}

}  // namespace

TEST(TraceSpool, EveryOperationComesBackAsItWasPut)
{
    std::string text = "cmdq enable\ncmdqv enable\nvintf 0 enable vmid=3\nvintf 0 map 0 vcmdq=2\n"
                       "vintf0.lvcmdq0 enable log2size=4 base=0x80000000\nwrite32 smmu.CR0 1\nread32 smmu.CR0 expect 1\n"
                       "kernel boot\nendpoint dma0 sid=0x10\ndomain d0 endpoint=dma0\n"
                       "map d0 iova=0x100000 pa=0x90000000 size=0x10000\n"
                       "endpoint dma1 sid=0x20,0x21\ndomain d1 endpoint=dma1\n"
                       // A value the operation before set and this one does not (read only), with a
                       // register-level operation between them: blank again.
                       "map d1 iova=0x200000 pa=0x91000000 size=0x1000 ro\nwrite32 smmu.CR0 1\n"
                       "unmap d1 iova=0x200000 size=0x1000\n"
                       "expect executed CMD_SYNC queue=cmdqv.vcmdq0\n";
    // Enough `cmd`s (fixed records) and others (values) to cross several blocks.
    for (unsigned i = 0; i < 6000; i++) {
        text += fmt::format("cmd cmdq TLBI_NH_VA asid={} addr={:#x}\n", i, uint64_t(i) << 12);
        text += fmt::format("  cmd vintf0.lvcmdq0 CMD_SYNC\n");
        if (i % 7 == 0)
            text += fmt::format("+{} cmd cmdq CMD_SYNC\nwait consumed cmdq timeout={}\nmem write64 {:#x} {}\n", i, i + 1,
                                0x80001000 + 8 * uint64_t(i), i);
        if (i == 3000)
            text += "unmap d0 iova=0x100000 size=0x10000 expect-log rrr\n";
    }
    std::vector<TraceOp> ops = test::parse_ops(text);
    // A value longer than a block (an expect-log of a trace is at most 256
    // bytes: set after the parse).
    for (TraceOp& op : ops)
        if (op.kop.expect_log == "rrr")
            op.kop.expect_log = std::string(70000, 'r');
    ASSERT_GT(ops.size(), 12000u);
    expect_each_back(ops);
}

// Values of every encoded length (1 to 10 bytes: each power of two and the
// value below it), read back in the block (a word at a time up to 8 bytes)
// and at its end (a byte at a time).
TEST(TraceSpool, ValuesOfEveryLengthComeBack)
{
    std::string text;
    for (unsigned k = 0; k < 64; k++)
        text += fmt::format("mem write64 {:#x} {:#x}\nmem write64 {:#x} {:#x}\n", uint64_t(8) << k, uint64_t(1) << k,
                            (uint64_t(8) << k) - 8, (uint64_t(1) << k) - 1);
    text += fmt::format("mem write64 0x8 {:#x}\n", ~uint64_t(0));
    const std::vector<TraceOp> ops = test::parse_ops(text);
    ASSERT_EQ(ops.size(), 129u);
    expect_each_back(ops);
}
