// SPDX-License-Identifier: GPL-2.0-only
// Where a trace comes from (sim/trace.h TraceInput): a trace that can be
// read only once (a pipe, /dev/stdin, a FIFO) is read once, into memory,
// and every pass sees all of it; and cycles -> time never wraps.
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/clock.h"
#include "trace.h"

using namespace smmusim;

namespace {

const char* const kText = "wait 5\nwrite32 smmu.CR0 0x8\n\nread32 smmu.CR0 expect 8\n";

// Every op of `in` (one pass), as kind/line pairs.
std::vector<std::pair<TraceOp::Kind, unsigned>> pass(const TraceInput& in)
{
    TraceReader r(in);
    std::vector<std::pair<TraceOp::Kind, unsigned>> ops;
    TraceOp op;
    while (r.next(op))
        ops.emplace_back(op.kind, op.loc.line);
    return ops;
}

const std::vector<std::pair<TraceOp::Kind, unsigned>> kOps = {
    {TraceOp::Kind::Wait, 1}, {TraceOp::Kind::Write, 2}, {TraceOp::Kind::Read, 4}};

}  // namespace

TEST(TraceInput, APipeIsReadOnceAndEveryPassSeesItAll)
{
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    ASSERT_EQ(write(fds[1], kText, strlen(kText)), static_cast<ssize_t>(strlen(kText)));
    close(fds[1]);
    const TraceInput in("/dev/fd/" + std::to_string(fds[0]));
    close(fds[0]);
    EXPECT_TRUE(in.in_memory());
    EXPECT_EQ(pass(in), kOps);  // the check pass
    EXPECT_EQ(pass(in), kOps);  // the run: not 0 operations
}

TEST(TraceInput, AFifoIsReadOnceWithoutBlockingTheSecondPass)
{
    char dir[] = "/tmp/smmusim-fifo-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string fifo = std::string(dir) + "/t.fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] {
        FILE* f = fopen(fifo.c_str(), "w");
        fputs(kText, f);
        fclose(f);
    });
    const TraceInput in(fifo);
    writer.join();
    EXPECT_TRUE(in.in_memory());
    EXPECT_EQ(pass(in), kOps);
    EXPECT_EQ(pass(in), kOps);  // a second open() of the FIFO would wait for a writer forever
    remove(fifo.c_str());
    rmdir(dir);
}

// A trace made in memory (the fuzzer, tests) and any std::istream read as a
// file would be, under the name they are given.
TEST(TraceInput, ATraceInMemoryOrAnyStreamIsReadAsAFile)
{
    const TraceInput in = TraceInput::from_text("mem.trace", kText);
    EXPECT_TRUE(in.in_memory());
    EXPECT_EQ(pass(in), kOps);
    EXPECT_EQ(pass(in), kOps);
    std::istringstream stream(std::string(kText) + "frob\n");
    TraceReader r(stream, "stream.trace");
    TraceOp op;
    for (size_t i = 0; i < kOps.size(); i++) {
        ASSERT_TRUE(r.next(op));
        EXPECT_EQ(*op.loc.file, "stream.trace");
    }
    EXPECT_EQ(r.path(), "stream.trace");
    try {
        r.next(op);
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "stream.trace:5:1: unknown operation 'frob'");
    }
}

TEST(TraceInput, ARegularFileIsStreamedEachPass)
{
    char path[] = "/tmp/smmusim-trace-XXXXXX";
    FILE* f = fdopen(mkstemp(path), "w");
    fputs(kText, f);
    fclose(f);
    const TraceInput in(path);
    EXPECT_FALSE(in.in_memory());
    EXPECT_EQ(pass(in), kOps);
    EXPECT_EQ(pass(in), kOps);
    remove(path);
}

TEST(TraceInput, WhatCannotBeReadIsRefusedWithItsName)
{
    try {
        TraceInput in("/dev/zero");  // endless: more than the in-memory limit
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), "/dev/zero: a trace that is not a regular file is read into memory, and "
                                         "this one is larger than 64 MiB: save it to a file and play that");
    }
    try {
        TraceInput in("/tmp");
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), "/tmp: cannot open trace: it is a directory");
    }
    try {
        TraceInput in("/nonexistent/t.trace");
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/t.trace: cannot open trace: No such file or directory");
    }
}

// Cycles -> time saturates at the largest time SystemC holds instead of
// wrapping (2^55 cycles of 1000 ps wrapped to a short wait before).
TEST(Clock, CyclesToTimeNeverWraps)
{
    const ClockDomain ghz("c", 1000);  // 1000 ps
    EXPECT_EQ(ghz.max_cycles(), UINT64_MAX / 1000);
    EXPECT_EQ(ghz.cycles(7).value(), 7000u);
    EXPECT_EQ(ghz.cycles(ghz.max_cycles()).value(), ghz.max_cycles() * 1000);
    EXPECT_EQ(ghz.cycles(ghz.max_cycles() + 1), sc_core::sc_max_time());
    EXPECT_EQ(ghz.cycles(1ull << 55), sc_core::sc_max_time());
    EXPECT_EQ(ghz.cycles(UINT64_MAX), sc_core::sc_max_time());
    const ClockDomain slow("s", 1);  // 1 MHz: 10^6 ps
    EXPECT_EQ(slow.max_cycles(), UINT64_MAX / 1000000);
    EXPECT_EQ(slow.cycles(slow.max_cycles() + 1), sc_core::sc_max_time());
    EXPECT_EQ(ghz.cycles_left(), ghz.max_cycles());  // at time 0
}
