// SPDX-License-Identifier: GPL-2.0-only
// The expect-log expressions, which are matched without backtracking (the
// errno table is tested in tests/platform/errno_names_test.cc).
#include <chrono>
#include <string>

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

// glibc's ERE takes back-references, which backtrack: refused, at the
// backslash; in a bracket expression '\1' is two members.
TEST(ExpectLogRegex, BackReferencesAreRefused)
{
    size_t at = 99;
    EXPECT_NE(log_regex_error("(a)x\\1", &at), "");
    EXPECT_EQ(at, 4u);
    EXPECT_NE(log_regex_error("(a)\\0"), "");
    EXPECT_EQ(log_regex_error("[\\1]"), "");
    EXPECT_EQ(log_regex_error("[]\\1]x"), "");
    EXPECT_EQ(log_regex_error("[[:digit:]\\1]"), "");
    EXPECT_NE(log_regex_error("[[:digit:]]\\1"), "");
}

// Within these bounds regcomp() stays fast and small (traces/FORMAT.md).
TEST(ExpectLogRegex, BoundsOfLengthAndIntervals)
{
    size_t at = 99;
    EXPECT_EQ(log_regex_error(std::string(256, 'a')), "");
    EXPECT_NE(log_regex_error(std::string(257, 'a'), &at), "");
    EXPECT_EQ(at, 256u);
    EXPECT_EQ(log_regex_error("x{16}(ab|[^}]){0,16}a*b{,3}c{2,}"), "");
    EXPECT_NE(log_regex_error("ab{0,17}", &at), "");
    EXPECT_EQ(at, 5u);
    EXPECT_NE(log_regex_error("(a*){2}", &at), "");
    EXPECT_EQ(at, 4u);
    EXPECT_NE(log_regex_error("a{2}{3}"), "");
    EXPECT_NE(log_regex_error("((a{2})b){3}"), "");
    EXPECT_NE(log_regex_error("((.*)*|(.*)*){16}"), "");
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
