// SPDX-License-Identifier: GPL-2.0-only
// Where the trace spool (sim/trace_spool.h) keeps its file: in $TMPDIR, as
// mktemp(1) and the C library's other users of it do (std::tmpfile()
// would always use /tmp); a TMPDIR that cannot hold it leaves the spool
// not ok(), so that the run reads the trace again. Not the spool's
// encoding: the player's tests play traces through it.
#include <cstdlib>
#include <string>

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

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
