// SPDX-License-Identifier: GPL-2.0-only
// The run's output files are checked before anything is simulated
// (sim/outputs.h): writable, distinct, and never an input.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outputs.h"

using namespace smmusim;

namespace {

std::string error_of(const std::vector<OutputFile>& outs, const std::vector<std::string>& ins = {})
{
    try {
        check_outputs(outs, ins);
    } catch (const OutputError& e) {
        return e.what();
    }
    return "";
}

void write_file(const std::string& p, const char* text)
{
    FILE* f = fopen(p.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text, f);
    fclose(f);
}

bool exists(const std::string& p)
{
    struct stat st {};
    return stat(p.c_str(), &st) == 0;
}

}  // namespace

TEST(Outputs, AreWritableAndLeftAsTheyWere)
{
    char dir[] = "/tmp/smmusim-out-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d = dir;
    EXPECT_EQ(error_of({{"--stats", d + "/s.json"}, {"--timeline", ""}, {"--vcd", d + "/w.vcd"}}), "");
    EXPECT_FALSE(exists(d + "/s.json"));  // the probe is removed again
    EXPECT_EQ(error_of({{"--stats", d + "/no/such/dir/s.json"}}),
              "--stats " + d + "/no/such/dir/s.json: cannot be created: No such file or directory");
    EXPECT_EQ(error_of({{"--vcd", d}}), "--vcd " + d + ": is a directory");
    // An existing file is not truncated by the check.
    FILE* f = fopen((d + "/old.json").c_str(), "w");
    fputs("keep", f);
    fclose(f);
    EXPECT_EQ(error_of({{"--stats", d + "/old.json"}}), "");
    struct stat st {};
    ASSERT_EQ(stat((d + "/old.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 4);
    remove((d + "/old.json").c_str());
    rmdir(dir);
}

TEST(Outputs, TwoOutputsToOneFileOrOntoAnInputAreRefused)
{
    char dir[] = "/tmp/smmusim-out-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d = dir;
    EXPECT_EQ(error_of({{"--stats", d + "/a.json"}, {"--timeline", d + "/./a.json"}}),
              "--timeline " + d + "/./a.json: the same file as --stats " + d + "/a.json");
    const std::string trace = d + "/t.trace";
    FILE* f = fopen(trace.c_str(), "w");
    fputs("wait 1\n", f);
    fclose(f);
    EXPECT_EQ(error_of({{"--vcd", trace}}, {trace, ""}), "--vcd " + trace + ": the same file as the input " + trace);
    // Another name of the same file (a hard link) is the same file.
    ASSERT_EQ(link(trace.c_str(), (d + "/link.trace").c_str()), 0);
    EXPECT_EQ(error_of({{"--stats", d + "/link.trace"}}, {trace}),
              "--stats " + d + "/link.trace: the same file as the input " + trace);
    remove((d + "/link.trace").c_str());
    remove(trace.c_str());
    rmdir(dir);
}

// An output onto an existing trace or configuration that is not this run's
// input is the slip of an option whose value was forgotten (`run --stats
// T.trace`): refused, the file left as it was. A new file of that name, or
// an output that is itself a trace (--emit-trace's), is written.
TEST(Outputs, AnExistingInputOfAnotherRunIsRefused)
{
    char dir[] = "/tmp/smmusim-out-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d = dir;
    const std::string trace = d + "/t.trace", config = d + "/c.toml";
    write_file(trace, "mine\n");
    write_file(config, "mine\n");
    EXPECT_EQ(error_of({{"--stats", trace}}), "--stats " + trace + ": " + trace +
                                                  " is a trace (an input), not written over; did you mean `run " +
                                                  trace + " --stats FILE.json`?");
    EXPECT_EQ(error_of({{"--vcd", trace}}), "--vcd " + trace + ": " + trace +
                                                " is a trace (an input), not written over; did you mean `run " +
                                                trace + " --vcd FILE.vcd`?");
    EXPECT_EQ(error_of({{"--json", trace}}), "--json " + trace + ": " + trace +
                                                 " is a trace (an input), not written over; did you mean `--json "
                                                 "FILE.json`?");
    EXPECT_EQ(error_of({{"--timeline", config}}), "--timeline " + config + ": " + config +
                                                      " is a configuration (an input), not written over; did you "
                                                      "mean `--config " + config + " --timeline FILE.json`?");
    EXPECT_EQ(error_of({{"--emit-trace", trace, true}}), "");
    EXPECT_EQ(error_of({{"--stats", d + "/new.trace"}}), "");
    // The suffix in any case (an upper-case .TRACE was written over).
    const std::string upper = d + "/T.TRACE";
    write_file(upper, "mine\n");
    EXPECT_EQ(error_of({{"--stats", upper}}), "--stats " + upper + ": " + upper +
                                                  " is a trace (an input), not written over; did you mean `run " +
                                                  upper + " --stats FILE.json`?");
    remove(upper.c_str());
    struct stat st {};
    ASSERT_EQ(stat(trace.c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 5);
    remove(trace.c_str());
    remove(config.c_str());
    rmdir(dir);
}

// An input's kind is judged by the file a path leads to: a symbolic link
// named .json to a trace or a configuration (newcomer16's out01, out02) is
// refused, and so are upper-case names. A hard link under another name is
// the same file only for an input of this run (its inode).
TEST(Outputs, AnInputReachedThroughALinkOrInUpperCaseIsRefused)
{
    char dir[] = "/tmp/smmusim-out-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d = dir;
    const std::string victim = d + "/victim.trace", config = d + "/my.toml", upper = d + "/BIG.TRACE",
                      upper_toml = d + "/c.Toml";
    for (const auto& p : {victim, config, upper, upper_toml})
        write_file(p, "mine\n");
    ASSERT_EQ(symlink("victim.trace", (d + "/link.json").c_str()), 0);
    ASSERT_EQ(symlink("my.toml", (d + "/rows.json").c_str()), 0);
    ASSERT_EQ(link(victim.c_str(), (d + "/hard.json").c_str()), 0);
    EXPECT_EQ(error_of({{"--stats", d + "/link.json"}}),
              "--stats " + d + "/link.json: is a symbolic link to " + victim +
                  ", which is a trace (an input), not written over");
    EXPECT_EQ(error_of({{"--json", d + "/rows.json"}}),
              "--json " + d + "/rows.json: is a symbolic link to " + config +
                  ", which is a configuration (an input), not written over");
    EXPECT_NE(error_of({{"--stats", upper}}).find("is a trace (an input), not written over"), std::string::npos);
    EXPECT_NE(error_of({{"--vcd", upper_toml}}).find("is a configuration (an input), not written over"),
              std::string::npos);
    EXPECT_EQ(error_of({{"--stats", d + "/hard.json"}}, {victim}),
              "--stats " + d + "/hard.json: the same file as the input " + victim);
    EXPECT_EQ(error_of({{"--stats", d + "/hard.json"}}), "");  // cannot be told by its name
    struct stat st {};
    ASSERT_EQ(stat(victim.c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 5);
    ASSERT_EQ(stat(config.c_str(), &st), 0);
    EXPECT_EQ(st.st_size, 5);
    for (const auto& p : {victim, config, upper, upper_toml, d + "/link.json", d + "/rows.json", d + "/hard.json"})
        remove(p.c_str());
    rmdir(dir);
}

// A dangling symbolic link, a loop of them, and a path ending in '/' are
// said as what they are (O_EXCL's "File exists" and open()'s "Is a
// directory" would mislead), whichever output option names them; the link
// is left as it was, and nothing is created.
TEST(Outputs, BrokenLinksAndTrailingSlashesSayWhatTheyAre)
{
    char dir[] = "/tmp/smmusim-out-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::string d = dir;
    const std::string dangling = d + "/dangling.json", loop = d + "/loop.json", file = d + "/file.json";
    ASSERT_EQ(symlink((d + "/nowhere/s.json").c_str(), dangling.c_str()), 0);
    ASSERT_EQ(symlink(loop.c_str(), loop.c_str()), 0);
    FILE* f = fopen(file.c_str(), "w");
    fclose(f);
    for (const char* option : {"--stats", "--timeline", "--vcd", "--json"}) {
        const std::string o = option;
        EXPECT_EQ(error_of({{o, dangling}}), o + " " + dangling + ": is a dangling symbolic link (to " + d +
                                                 "/nowhere/s.json, which does not exist): remove the link, or give "
                                                 "the file's own path");
        EXPECT_EQ(error_of({{o, loop}}), o + " " + loop + ": is a symbolic link in a loop (Too many levels of "
                                                          "symbolic links): remove the link, or give the file's own "
                                                          "path");
        for (const std::string& p : {file + "/", d + "/new.json/"})
            EXPECT_EQ(error_of({{o, p}}), o + " " + p + ": the path names a directory (it ends in '/'), and an "
                                                        "output is a file: give it without the '/'");
    }
    EXPECT_FALSE(exists(d + "/nowhere"));
    EXPECT_FALSE(exists(d + "/new.json"));
    struct stat st {};
    EXPECT_EQ(lstat(dangling.c_str(), &st), 0);
    remove(dangling.c_str());
    remove(loop.c_str());
    remove(file.c_str());
    rmdir(dir);
}

TEST(Outputs, CharacterDevicesMayBeShared)
{
    // /dev/null is no file one output could overwrite.
    EXPECT_EQ(error_of({{"--stats", "/dev/null"}, {"--vcd", "/dev/null"}, {"--timeline", "/dev/null"}}), "");
}

TEST(OutputWriter, AWriteErrorNamesTheOptionAndThePath)
{
    OutputWriter w("--stats", "/dev/full");
    w.write(std::string(1 << 16, 'x'));  // larger than stdio's buffer: the write itself fails
    EXPECT_FALSE(w.close());
    EXPECT_EQ(w.error(), "--stats /dev/full: cannot write: No space left on device");
    EXPECT_FALSE(w.close());  // the same answer again
}

TEST(OutputWriter, AnErrorFoundOnlyAtTheFlushIsReported)
{
    OutputWriter w("--vcd", "/dev/full");
    w.write("small");  // buffered: fails at close
    EXPECT_EQ(w.error(), "");
    EXPECT_FALSE(w.close());
    EXPECT_EQ(w.error(), "--vcd /dev/full: cannot write: No space left on device");
}

TEST(OutputWriter, AGoodFileIsWrittenWhole)
{
    char name[] = "/tmp/smmusim-outXXXXXX";
    const int fd = mkstemp(name);
    ASSERT_GE(fd, 0);
    close(fd);
    {
        OutputWriter w("--timeline", name);
        w.write("[\n");
        w.write("]\n");
        EXPECT_TRUE(w.close());
        EXPECT_EQ(w.error(), "");
    }
    FILE* f = fopen(name, "r");
    ASSERT_NE(f, nullptr);
    char buf[16] = {};
    EXPECT_EQ(fread(buf, 1, sizeof(buf), f), 4u);
    fclose(f);
    EXPECT_STREQ(buf, "[\n]\n");
    unlink(name);
}

TEST(OutputWriter, CannotBeCreatedThrowsNamingOptionAndPath)
{
    try {
        OutputWriter w("--stats", "/no/such/dir/s.json");
        FAIL() << "no exception";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), "--stats /no/such/dir/s.json: cannot be created: No such file or directory");
    }
}

// A path of thousands of characters is cut in every output error (as a long
// word of a message is: sim/complain.h), not printed whole.
TEST(Outputs, AVeryLongPathIsCutInTheError)
{
    const std::string p = std::string(5000, 'd') + "/s.json";
    const std::string shown = "'" + std::string(40, 'd') + "...' (5007 characters)";
    EXPECT_EQ(error_of({{"--stats", p}}), "--stats " + shown + ": cannot be created: File name too long");
    try {
        OutputWriter w("--vcd", p);
        FAIL() << "no exception";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), "--vcd " + shown + ": cannot be created: File name too long");
    }
}

TEST(JsonText, BytesThatAreNotUtf8BecomeReplacementCharacters)
{
    const nlohmann::json j = {{"trace", "bad\xffname.trace"}};
    EXPECT_EQ(json_text(j), "{\"trace\":\"bad\xef\xbf\xbdname.trace\"}");
    EXPECT_NO_THROW(json_text(j, 2));
}
