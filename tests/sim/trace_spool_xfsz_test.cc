// SPDX-License-Identifier: GPL-2.0-only
// The spool's fallback (sim/trace_spool.h): when the checked operations
// cannot be kept, because the temporary file cannot grow past the process's
// file-size limit (RLIMIT_FSIZE, `ulimit -f`; SIGXFSZ ignored, as the
// program ignores it, so the write fails with EFBIG), the run reads the
// trace again and plays it with the same result as the run that kept them.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "player.h"
#include "support/testbench.h"

using namespace smmusim;
using smmusim::test::TestBench;

namespace {

constexpr rlim_t kLimit = 4096;  // bytes: far less than the spool of kTrace

// About 700 operations (a spool of some 20 KiB): batches of range TLBIs and
// a CMD_SYNC, each checked by an `expect executed`, and one expectation
// that fails, so the result has a failure to compare too.
std::string trace()
{
    std::string t = "cmdq enable log2size=4\n";
    for (unsigned i = 0; i < 80; i++) {
        if (i % 8 == 7)
            t += fmt::format("wait {}\n", 100 + i);
        for (unsigned k = 0; k < 4; k++)
            t += fmt::format("cmd cmdq TLBI_NH_VA asid={} addr={:#x} tg=1 ttl=3 num={} leaf=1\n", i, 0x100000 + k * 0x10000,
                             k);
        t += "cmd cmdq CMD_SYNC\ndoorbell cmdq\nwait consumed cmdq\n";
        t += fmt::format("expect executed TLBI_NH_VA asid={} count=4\n", i);
    }
    return t + "expect executed CMD_SYNC count=2\n";
}

std::string temp_trace()
{
    char name[] = "/tmp/smmusim-xfsz-XXXXXX";
    const int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    const std::string t = trace();
    EXPECT_EQ(write(fd, t.data(), t.size()), static_cast<ssize_t>(t.size()));
    close(fd);
    return name;
}

// Plays `path`, its check pass under `limit` bytes of file size if not 0:
// whether the checked operations were kept, then what the run came to.
std::string play(const std::string& path, rlim_t limit)
{
    TestBench b;  // DRAM's memory file is sized before the limit
    TracePlayer player(b.soc(), path);
    rlimit old{};
    getrlimit(RLIMIT_FSIZE, &old);
    void (*old_handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
    if (limit) {
        rlimit small = old;
        small.rlim_cur = limit;
        setrlimit(RLIMIT_FSIZE, &small);
    }
    player.validate();  // writes the spool
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, old_handler);
    const bool kept = player.keeps_checked_ops();
    player.start();
    sc_core::sc_start();
    std::string r = fmt::format("{}\nfinished={} ops={} end={}\n", kept ? "kept" : "read again", player.finished(),
                                player.ops(), sc_core::sc_time_stamp().to_string());
    for (const std::string& f : player.failures())
        r += f + "\n";
    return r;
}

}  // namespace

TEST(TraceSpoolXfsz, ARunWhoseSpoolCannotGrowReadsTheTraceAgainWithTheSameResult)
{
    const std::string path = temp_trace();
    // A SystemC simulation runs once per process: the limited run in a
    // child, which hands its result back through a pipe.
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    fflush(stdout);
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        const std::string r = play(path, kLimit);
        const bool sent = write(fds[1], r.data(), r.size()) == static_cast<ssize_t>(r.size());
        _exit(sent ? 0 : 1);
    }
    close(fds[1]);
    std::string limited;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;)
        limited.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << limited;

    const std::string whole = play(path, 0);
    remove(path.c_str());
    ASSERT_EQ(whole.rfind("kept\n", 0), 0u) << whole;
    ASSERT_EQ(limited.rfind("read again\n", 0), 0u) << limited;  // the fallback was taken
    EXPECT_EQ(limited.substr(limited.find('\n')), whole.substr(whole.find('\n')));
    // The run got somewhere: every operation played, the one failing
    // expectation failed.
    EXPECT_NE(whole.find("finished=true ops=571"), std::string::npos) << whole;
    EXPECT_NE(whole.find(":652:1: CMD_SYNC executed 1 times, expected 2 (of 5 commands in the window)\n"),
              std::string::npos)
        << whole;
}
