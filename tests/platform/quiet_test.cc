// SPDX-License-Identifier: GPL-2.0-only
// quiet.h's one rule for a quiet window, ends_before(): busy time from a
// local time ends strictly before the horizon, never at it, and the test
// stays right where a sum would wrap (a horizon of sc_max_time(), nothing
// pending) or where the local time is not before the horizon (no window).
// Not here: the windows' use by the models (tests/cmdqv/quiet_window_test.cc,
// the kernel CPU's in tests/kernel_shim/cpu_window_test.cc).
#include <gtest/gtest.h>
#include <systemc>

#include "platform/quiet.h"

using namespace smmusim;
using sc_core::SC_NS;
using sc_core::sc_time;

TEST(QuietEndsBefore, StrictlyBeforeTheHorizonOnly)
{
    const sc_time from(10, SC_NS), horizon(16, SC_NS);
    EXPECT_TRUE(ends_before(from, sc_time(5, SC_NS), horizon));
    EXPECT_FALSE(ends_before(from, sc_time(6, SC_NS), horizon));  // at the horizon: another process wakes too
    EXPECT_FALSE(ends_before(from, sc_time(7, SC_NS), horizon));
    EXPECT_TRUE(ends_before(from, sc_core::SC_ZERO_TIME, horizon));
}

TEST(QuietEndsBefore, NoWindowAtOrPastTheHorizon)
{
    const sc_time horizon(16, SC_NS);
    EXPECT_FALSE(ends_before(horizon, sc_core::SC_ZERO_TIME, horizon));
    EXPECT_FALSE(ends_before(sc_time(17, SC_NS), sc_core::SC_ZERO_TIME, horizon));
    EXPECT_FALSE(ends_before(sc_time(17, SC_NS), sc_time(1, SC_NS), horizon));
}

TEST(QuietEndsBefore, NoWrapWithNothingPending)
{
    const sc_time horizon = sc_core::sc_max_time();
    const sc_time from(10, SC_NS);
    EXPECT_TRUE(ends_before(from, sc_time(5, SC_NS), horizon));
    // from + busy would wrap past the largest time and compare below it.
    EXPECT_FALSE(ends_before(from, horizon, horizon));
    EXPECT_FALSE(ends_before(from, horizon - sc_time(10, SC_NS), horizon));
    EXPECT_TRUE(ends_before(from, horizon - sc_time(11, SC_NS), horizon));
}
