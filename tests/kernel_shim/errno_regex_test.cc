// SPDX-License-Identifier: GPL-2.0-only
// The one errno table (sim/kernel_ops.h) that `expect=` reads and failures
// and the kernel's %pe print, and the expect-log expressions, which are
// matched without backtracking.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "kernel_ops.h"

namespace smmusim {
namespace {

TEST(ErrnoNames, EveryUserErrnoRoundTripsThroughItsName)
{
    int named = 0;
    for (int e = 1; e < 512; e++) {
        const char* n = errno_name_or_null(e);
        if (!n)
            continue;
        named++;
        EXPECT_EQ(errno_by_name(n), e) << n;
        EXPECT_EQ(errno_name(e), n);
    }
    EXPECT_GE(named, 130);  // Linux has 133 user-space errnos
    EXPECT_EQ(errno_by_name("EADDRINUSE"), EADDRINUSE);
    EXPECT_EQ(errno_name(EADDRINUSE), "EADDRINUSE");
    EXPECT_EQ(errno_by_name("EOVERFLOW"), EOVERFLOW);
}

TEST(ErrnoNames, TheKernelsOwnErrnosAndSecondNames)
{
    EXPECT_EQ(errno_by_name("EPROBE_DEFER"), 517);
    EXPECT_EQ(errno_by_name("ENOTSUPP"), 524);
    EXPECT_EQ(errno_name(517), "EPROBE_DEFER");
    EXPECT_EQ(errno_name(512), "ERESTARTSYS");
    EXPECT_EQ(errno_by_name("EWOULDBLOCK"), EAGAIN);
    EXPECT_EQ(errno_by_name("ENOTSUP"), EOPNOTSUPP);
    EXPECT_EQ(errno_by_name("0"), 0);
    EXPECT_EQ(errno_by_name("EFOO"), -1);
    EXPECT_EQ(errno_by_name("einval"), -1);  // names are upper case, as the kernel's
    EXPECT_EQ(errno_name(520), "errno 520");  // unused by Linux
    EXPECT_EQ(errno_name_or_null(4096), nullptr);
}

TEST(ExpectLogRegex, PosixExtendedSearchedAnywhere)
{
    EXPECT_TRUE(log_regex_search("soft lockup|CPU.0", "kernel soft-lockup: BUG: soft lockup - CPU#0 stuck"));
    EXPECT_TRUE(log_regex_search("^kernel error: .*CMD_SYNC timeout", "kernel error: arm-smmu-v3 x: CMD_SYNC timeout"));
    EXPECT_FALSE(log_regex_search("CMDQ timeout$", "CMDQ timeout at 0x1"));
    EXPECT_NE(log_regex_error("("), "");
    EXPECT_EQ(log_regex_error("(a|b)*c"), "");
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
