// SPDX-License-Identifier: GPL-2.0-only
// An output file gets its name only when it was written whole
// (sim/outputs.h): one not closed (a run that ended early) leaves the path
// as it was; and every writer applies check_outputs()'s rule to its file.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs.h"

using namespace smmusim;

namespace {

struct TempDir {
    std::string path;
    TempDir()
    {
        char d[] = "/tmp/smmusim-install-XXXXXX";
        path = mkdtemp(d) ? d : "";
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

std::string text_of(const std::string& p)
{
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void put(const std::string& p, const std::string& text)
{
    std::ofstream(p) << text;
}

// The names in `dir` (hidden ones too), but . and ..
std::vector<std::string> names_in(const std::string& dir)
{
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string refusal(const std::string& option, const std::string& path, bool input_kind = false)
{
    try {
        OutputWriter w(option, path, input_kind);
    } catch (const OutputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(OutputInstall, NotClosedLeavesThePathAsItWas)
{
    TempDir d;
    const std::string old = d.path + "/old.json", fresh = d.path + "/new.json";
    put(old, "before");
    {
        OutputWriter a("--stats", old), b("--timeline", fresh);
        a.write(std::string(1 << 16, 'x'));  // past stdio's buffer: written to the file already
        b.write(std::string(1 << 16, 'y'));
        // The run ends early here (an exception, an oops's _exit()).
    }
    EXPECT_EQ(text_of(old), "before");
    EXPECT_EQ(names_in(d.path), std::vector<std::string>{"old.json"});  // no new file, no hidden one
}

TEST(OutputInstall, ClosedReplacesTheFileWholeKeepingItsMode)
{
    TempDir d;
    const std::string p = d.path + "/s.json";
    put(p, "before, and longer than what replaces it");
    ASSERT_EQ(chmod(p.c_str(), 0640), 0);
    {
        OutputWriter w("--stats", p);
        w.write("{}\n");
        EXPECT_EQ(text_of(p), "before, and longer than what replaces it");  // until close()
        EXPECT_TRUE(w.close());
    }
    EXPECT_EQ(text_of(p), "{}\n");
    struct stat st {};
    ASSERT_EQ(stat(p.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
    EXPECT_EQ(names_in(d.path), std::vector<std::string>{"s.json"});
}

TEST(OutputInstall, ALinkToAnOutputIsWrittenThrough)
{
    TempDir d;
    const std::string real = d.path + "/real.json", link = d.path + "/link.json";
    put(real, "old");
    ASSERT_EQ(symlink("real.json", link.c_str()), 0);
    OutputWriter w("--stats", link);
    w.write("new");
    ASSERT_TRUE(w.close());
    EXPECT_EQ(text_of(real), "new");
    struct stat st {};
    ASSERT_EQ(lstat(link.c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));  // still the link
}

// check_outputs()'s rule holds for every writer, whether or not its caller
// checked first (newcomer17: --emit-trace's file was written through a link
// onto another trace).
TEST(OutputInstall, EveryWriterRefusesWhatCheckOutputsRefuses)
{
    TempDir d;
    const std::string trace = d.path + "/victim.trace";
    put(trace, "wait 1\n");
    EXPECT_EQ(refusal("--stats", trace),
              "--stats " + trace + ": " + trace + " is a trace (an input), not written over; did you mean `run " +
                  trace + " --stats FILE.json`?");
    EXPECT_EQ(refusal("--json", d.path), "--json " + d.path + ": is a directory");
    ASSERT_EQ(mkdir((d.path + "/em").c_str(), 0755), 0);
    const std::string kept = d.path + "/em/vcmdq-vs-trap.trace";
    ASSERT_EQ(symlink("../victim.trace", kept.c_str()), 0);
    const std::string want = "--emit-trace " + kept + ": is a symbolic link to " + trace +
                             " (outside its directory), not written through: the output is a file of its own in "
                             "its directory; remove the link";
    EXPECT_EQ(refusal("--emit-trace", kept, true), want);
    try {
        check_outputs({{"--emit-trace", kept, true}}, {});
        ADD_FAILURE() << "not refused";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), want);
    }
    // Inside the directory, onto another trace there.
    put(d.path + "/em/other.trace", "wait 2\n");
    ASSERT_EQ(unlink(kept.c_str()), 0);
    ASSERT_EQ(symlink("other.trace", kept.c_str()), 0);
    EXPECT_NE(refusal("--emit-trace", kept, true).find("(onto an existing input), not written through"),
              std::string::npos);
    EXPECT_EQ(text_of(trace), "wait 1\n");
    EXPECT_EQ(text_of(d.path + "/em/other.trace"), "wait 2\n");
    // Its own earlier copy (a file) is replaced.
    ASSERT_EQ(unlink(kept.c_str()), 0);
    put(kept, "earlier\n");
    OutputWriter w("--emit-trace", kept, true);
    w.write("later\n");
    ASSERT_TRUE(w.close());
    EXPECT_EQ(text_of(kept), "later\n");
}

// A hard link of the output elsewhere keeps the old contents: the output is
// a new file given the name, never written into the old one's inode.
TEST(OutputInstall, AHardLinkElsewhereIsNotWrittenThrough)
{
    TempDir d;
    const std::string kept = d.path + "/k.trace", other = d.path + "/other.trace";
    put(other, "wait 1\n");
    ASSERT_EQ(link(other.c_str(), kept.c_str()), 0);
    OutputWriter w("--emit-trace", kept, true);
    w.write("wait 2\n");
    ASSERT_TRUE(w.close());
    EXPECT_EQ(text_of(kept), "wait 2\n");
    EXPECT_EQ(text_of(other), "wait 1\n");
}
