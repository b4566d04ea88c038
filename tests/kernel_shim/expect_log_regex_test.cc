// SPDX-License-Identifier: GPL-2.0-only
// The expect-log expressions, which are matched without backtracking (the
// errno table is tested in tests/platform/errno_names_test.cc).
#include <chrono>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "kernel_ops.h"

namespace smmusim {
namespace {

TEST(ExpectLogRegex, PosixExtendedSearchedAnywhere)
{
    EXPECT_TRUE(log_regex_search("soft lockup|CPU.0", "kernel soft-lockup: BUG: soft lockup - CPU#0 stuck"));
    EXPECT_TRUE(log_regex_search("^kernel error: .*CMD_SYNC timeout", "kernel error: arm-smmu-v3 x: CMD_SYNC timeout"));
    EXPECT_FALSE(log_regex_search("CMDQ timeout$", "CMDQ timeout at 0x1"));
    EXPECT_NE(log_regex_error("("), "");
    EXPECT_EQ(log_regex_error("(a|b)*c"), "");
}

// Where log_regex_error() refuses `re`: the byte it names, or -1 when it
// takes it.
long refused_at(const std::string& re)
{
    size_t at = 0;
    return log_regex_error(re, &at).empty() ? -1 : static_cast<long>(at);
}

// glibc's ERE takes back-references, which backtrack: refused, at the
// backslash; in a bracket expression '\1' is two members. Within the
// length and interval bounds regcomp() stays fast and small
// (traces/FORMAT.md).
TEST(ExpectLogRegex, BackReferencesAndBoundsAreRefusedAtTheirByte)
{
    const std::pair<std::string, long> cases[] = {
        {"(a)x\\1", 4},       {"(a)\\0", 3},          {"[\\1]", -1},
        {"[]\\1]x", -1},      {"[[:digit:]\\1]", -1}, {"[[:digit:]]\\1", 11},
        {std::string(256, 'a'), -1},                {std::string(257, 'a'), 256},
        {"x{16}(ab|[^}]){0,16}a*b{,3}c{2,}", -1},   {"ab{0,17}", 5},
        {"(a*){2}", 4},         {"a{2}{3}", 4},         {"((a{2})b){3}", 9},
        {"((.*)*|(.*)*){16}", 13},
    };
    for (const auto& [re, at] : cases)
        EXPECT_EQ(refused_at(re), at) << re;
}

// Nested quantifiers backtrack exponentially in a backtracking matcher
// (ECMAScript's std::regex takes hours on this); glibc's regexec does not.
TEST(ExpectLogRegex, NestedQuantifiersDoNotBacktrackExponentially)
{
    const std::string re = "(.*)*(.*)*(.*)*(.*)*(.*)*(.*)*Z";
    const std::string text = "kernel error: arm-smmu-v3 arm-smmu-v3.0.auto: CMD_SYNC timeout at 0x00000001";
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(log_regex_search(re, text));
    EXPECT_TRUE(log_regex_search(re, text + "Z"));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

}  // namespace
}  // namespace smmusim
