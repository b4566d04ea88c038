// SPDX-License-Identifier: GPL-2.0-only
// Every file the program writes goes through OutputWriter (sim/outputs.h),
// so that no writer skips its rule (newcomer17: `study --emit-trace` wrote
// through a symbolic link onto another trace). The program's sources are
// searched for any other way of opening a file for writing; a new
// temporary file of the program's own (mkstemp(), which makes a name no
// file has) is no output and is not looked for.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace {

const char* const kProgramDirs[] = {"apps", "sim", "studies", "bench", "kernel_shim/host", "kernel_shim/vmm", "fuzz"};

// A file opened for writing, or made or moved, by any other means.
const std::regex& writer_pattern()
{
    static const std::regex re(
        R"(std::ofstream|std::fstream|\bfopen\s*\(|\bfreopen\s*\(|\bO_WRONLY\b|\bO_RDWR\b|\bO_CREAT\b|\bO_TRUNC\b|\bcreat\s*\(|filesystem::copy|\brename\s*\()");
    return re;
}

}  // namespace

TEST(OutputWriters, NoOtherWayOfWritingAFileInTheProgram)
{
    namespace fs = std::filesystem;
    const fs::path root = fs::path(SMMUSIM_TRACE_DIR).parent_path();
    const std::regex& writer = writer_pattern();
    unsigned files = 0;
    for (const char* dir : kProgramDirs) {
        ASSERT_TRUE(fs::is_directory(root / dir)) << (root / dir);
        for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
            const std::string ext = e.path().extension().string();
            if (!e.is_regular_file() || (ext != ".cc" && ext != ".h"))
                continue;
            files++;
            if (e.path() == root / "sim" / "outputs.cc")
                continue;  // the one writer
            std::ifstream in(e.path());
            std::string line;
            for (unsigned n = 1; std::getline(in, line); n++) {
                const std::string code = line.substr(0, line.find("//"));
                EXPECT_FALSE(std::regex_search(code, writer))
                    << e.path().string() << ":" << n << ": writes a file other than through OutputWriter: " << line;
            }
        }
    }
    EXPECT_GT(files, 50u);  // the search found the sources
}

// The search finds what it looks for.
TEST(OutputWriters, TheSearchFindsAWriter)
{
    const std::regex& writer = writer_pattern();
    EXPECT_TRUE(std::regex_search(std::string("    std::ofstream(path) << x;"), writer));
    EXPECT_TRUE(std::regex_search(std::string("FILE* f = fopen(p, \"w\");"), writer));
    EXPECT_TRUE(std::regex_search(std::string("int fd = ::open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);"), writer));
    EXPECT_FALSE(std::regex_search(std::string("OutputWriter out(\"--json\", path);"), writer));
    EXPECT_FALSE(std::regex_search(std::string("const int fd = mkstemp(path.data());"), writer));
}
