// SPDX-License-Identifier: GPL-2.0-only
// The expect-log expressions, which are matched without backtracking (the
// errno table is tested in tests/platform/errno_names_test.cc).
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

// newcomer16's expressions, which the old checks let through to regcomp()
// (gigabytes, or minutes): glibc reads '\,' as an interval's comma, and
// zero-width assertions in a repeated group multiply its automaton. Each
// is refused at the byte that leaves the subset, as past the limits (they
// are valid POSIX for glibc).
TEST(ExpectLogRegex, OnlyTheSubsetReachesRegcomp)
{
    auto repeat = [](const std::string& s, int n) {
        std::string r;
        for (int i = 0; i < n; i++)
            r += s;
        return r;
    };
    const std::pair<std::string, long> cases[] = {
        {"((a{0\\,255}){0\\,255}){0\\,255}", 5},  // the '\' in the interval
        {"(.|.|.|.|.|.|.|.){0\\,32767}", 19},
        {"(a*){2\\,3}", 6},
        {repeat("(^|$){16}", 7), 1},  // '^' in a group
        {repeat("(\\b|\\B){16}", 5), 1},
        {repeat("(\\<|\\>){16}", 23), 1},
        {"\\<CMD\\>{2}", 0},
        {"a\\0", 1},  // glibc: a literal 0, not a back-reference
        {"a\\d", 1},
        {"a\\w", 1},
        {"a{x}", 2},
        {"a}", 1},
        {"a)", 1},
        {"a^b", 1},
        {"a$b", 1},
        {"(a$)", 2},
        {"[[=a=]]", 1},
        {"[[.a.]]", 1},
        // positions once each interval has copied its operand: 32 x 16 = 512
        {"(" + std::string(32, '.') + "){16}", -1},
        {"(" + std::string(33, '.') + "){16}", 35},
        {repeat(".{16}", 32), -1},
        {repeat(".{16}", 32) + "a", 160},
        {"a{0,16}" + std::string(497, 'b'), 256},  // the 257th byte, the length bound first
    };
    for (const auto& [re, at] : cases) {
        size_t where = 0;
        bool past_limits = false;
        const std::string e = log_regex_error(re, &where, &past_limits);
        EXPECT_EQ(e.empty() ? -1 : static_cast<long>(where), at) << re << ": " << e;
        if (at >= 0)
            EXPECT_TRUE(past_limits) << re << ": " << e;
    }
}

// What is not valid POSIX either is said so (past_limits false), at its byte.
TEST(ExpectLogRegex, InvalidExpressionsAreNotCalledPastTheLimits)
{
    const std::pair<std::string, long> cases[] = {
        {"(", 0}, {"a(b", 1}, {"[a", 0}, {"abc\\", 3}, {"*a", 0}, {"a|+b", 2},
        {"^*", 1}, {"a{3,2}", 1}, {"a{", 1}, {"a{}", 2}, {"[[:foo:]]", 1}, {"[z-a]", 0},
    };
    for (const auto& [re, at] : cases) {
        size_t where = 0;
        bool past_limits = true;
        const std::string e = log_regex_error(re, &where, &past_limits);
        EXPECT_FALSE(e.empty()) << re;
        EXPECT_EQ(static_cast<long>(where), at) << re << ": " << e;
        EXPECT_FALSE(past_limits) << re << ": " << e;
    }
}

// The subset still takes what expect-log lines use, and they match as
// before.
TEST(ExpectLogRegex, TheSubsetTakesAndMatchesAsBefore)
{
    const struct {
        const char* re;
        const char* text;
        bool hit;
    } cases[] = {
        {"CMD_SYNC timeout", "kernel error: arm-smmu-v3 x: CMD_SYNC timeout at 0x1", true},
        {"^kernel error: arm-smmu-v3 .*: CMD_SYNC timeout at", "kernel error: arm-smmu-v3 a.0: CMD_SYNC timeout at 0x1", true},
        {"^kernel error: arm-smmu-v3 .*: CMD_SYNC timeout at", "x kernel error: arm-smmu-v3 a.0: CMD_SYNC timeout at", false},
        {"soft lockup|CPU.0", "BUG: soft lockup - CPU#0 stuck", true},
        {"CMDQ timeout$", "CMDQ timeout at 0x1", false},
        {"CMDQ timeout$", "a CMDQ timeout", true},
        {"^a|b$", "xbx", false},
        {"^a|b$", "xb", true},
        {"0x[0-9a-f]{16}|(ab|c){0,16}", "0x0123456789abcdef", true},
        {"0x[0-9a-f]{16}x", "0x0123456789abcdeX", false},
        {"x{16}(ab|[^}]){0,16}a*b{,3}c{2,}", "xxxxxxxxxxxxxxxxabzbbcc", true},
        {"[[:digit:]]{2}\\.[]x]", "v12.]", true},
        {"\\.\\[\\]\\(\\)\\*\\+\\?\\{\\}\\|\\^\\$\\\\", ".[]()*+?{}|^$\\", true},
        {"(.*)*(.*)*(.*)*(.*)*(.*)*(.*)*Z", "no capital zed", false},
        {"(|)x", "x", true},
        {"a]b", "a]b", true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(log_regex_error(c.re), "") << c.re;
        EXPECT_EQ(log_regex_search(c.re, c.text), c.hit) << c.re << " on " << c.text;
    }
}

// Nested quantifiers backtrack exponentially in a backtracking matcher
// (ECMAScript's std::regex takes hours on this); glibc's regexec does not.
TEST(ExpectLogRegex, NestedQuantifiersDoNotBacktrackExponentially)
{
    const std::string re = "(.*)*(.*)*(.*)*(.*)*(.*)*(.*)*Z";
    const std::string text = "kernel error: arm-smmu-v3 arm-smmu-v3.0.auto: CMD_SYNC timeout at 0x00000001";
    // A backtracking matcher would take 2^(6 x 77) steps here and never
    // return: the suite's per-test timeout is what catches it (no host
    // time is asserted in a test).
    EXPECT_FALSE(log_regex_search(re, text));
    EXPECT_TRUE(log_regex_search(re, text + "Z"));
}

}  // namespace
}  // namespace smmusim
