// SPDX-License-Identifier: GPL-2.0-only
// The one errno table (models/platform/errno_names.h) that `expect=` reads
// and failures and the kernel's %pe print.
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "platform/errno_names.h"

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

}  // namespace
}  // namespace smmusim
