// SPDX-License-Identifier: GPL-2.0-only
// Checks on the compiled kernel code itself: no instruction that needs
// kernel privilege or a kernel trap handler, and the manifest of upstream
// files matches the tree it was built from.
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

std::string run(const std::string& cmd, int* status = nullptr)
{
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return out;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
        out.append(buf, n);
    int st = pclose(p);
    if (status)
        *status = st;
    return out;
}

std::vector<std::string> kernel_objects()
{
    std::vector<std::string> v;
    std::ifstream in(SMMUSIM_KERNEL_OBJECT_LIST);
    for (std::string l; std::getline(in, l);)
        if (!l.empty())
            v.push_back(l);
    return v;
}

TEST(KernelObjects, NoPrivilegedOrTrappingInstructions)
{
    const auto objs = kernel_objects();
    ASSERT_GE(objs.size(), 8u);
    // ud2 (BUG/WARN traps), interrupt flag and SMAP instructions, segment
    // (per-CPU) accesses, port I/O, halts and MSR/CR accesses.
    const std::regex bad(
        R"(\s(ud2|ud1|cli|sti|pushf[qw]?|popf[qw]?|stac|clac|hlt|swapgs|rdmsr|wrmsr|in|out|lgdt|lidt|invlpg|iretq?|sysret[ql]?)(\s|$)|%gs:|%fs:|mov\s+%[a-z0-9]+,%cr[0-9]|mov\s+%cr[0-9])");
    for (const auto& o : objs) {
        int st = 0;
        // Only the code that runs: alternative replacements (never patched
        // in) live in .altinstr_replacement and are not disassembled.
        const std::string dis = run("objdump -d --no-show-raw-insn -j .text -j .text.unlikely -j .init.text "
                                    "-j .exit.text -j .noinstr.text -j .text.hot '" + o + "' 2>/dev/null",
                                    &st);
        ASSERT_FALSE(dis.empty()) << "objdump failed on " << o;
        std::istringstream in(dis);
        unsigned hits = 0;
        std::string first;
        for (std::string line; std::getline(in, line);) {
            if (std::regex_search(line, bad)) {
                if (!hits)
                    first = line;
                hits++;
            }
        }
        EXPECT_EQ(hits, 0u) << o << ": " << first;
    }
}

TEST(KernelObjects, UpstreamObjectsHaveNoBugTable)
{
    // asm/bug.h is shadowed: WARN/BUG must be calls, not ud2 + __bug_table.
    for (const auto& o : kernel_objects()) {
        const std::string h = run("objdump -h '" + o + "'");
        EXPECT_EQ(h.find("__bug_table"), std::string::npos) << o;
    }
}

TEST(KernelManifest, HashesMatchTheTree)
{
    const std::string tree = SMMUSIM_KERNEL_TREE;
    const std::string shim = SMMUSIM_KERNEL_SHIM_DIR;
    int st = -1;
    // The simulator's files, then the KUnit build's (kernel_shim/kunit).
    const std::string m = run("'" + shim + "/kernel-manifest.sh' '" + tree + "' '" + shim + "/upstream-files.txt' '" +
                                  shim + "/kunit/upstream-files.txt'",
                              &st);
    ASSERT_EQ(st, 0) << m;
    std::istringstream in(m);
    std::string first;
    std::getline(in, first);
    EXPECT_EQ(first, std::string("linux ") + SMMUSIM_KERNEL_VERSION);

    std::map<std::string, std::string> listed;
    for (std::string l; std::getline(in, l);) {
        ASSERT_GT(l.size(), 66u) << l;
        listed[l.substr(66)] = l.substr(0, 64);
    }
    for (const char* required : {"drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c",
                                 "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-iommufd.c",
                                 "drivers/iommu/arm/arm-smmu-v3/tegra241-cmdqv.c", "drivers/iommu/io-pgtable-arm.c",
                                 "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3-test.c", "lib/kunit/test.c",
                                 "lib/kunit/try-catch.c"})
        EXPECT_EQ(listed.count(required), 1u) << required;
    // Each hash, recomputed independently from the tree.
    for (const auto& [path, hash] : listed) {
        const std::string out = run("sha256sum '" + tree + "/" + path + "'");
        ASSERT_GE(out.size(), 64u) << path;
        EXPECT_EQ(out.substr(0, 64), hash) << path;
    }
    // And every listed file is one the build compiled.
    std::string objs;
    for (const auto& o : kernel_objects())
        objs += o + "\n";
    for (const auto& [path, hash] : listed) {
        const auto slash = path.rfind('/');
        const std::string base = path.substr(slash + 1);
        EXPECT_NE(objs.find("/" + base + ".o"), std::string::npos) << path << " was not compiled";
    }
}

}  // namespace
