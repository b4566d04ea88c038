// SPDX-License-Identifier: GPL-2.0-only
// Whether this build's kernel and compiler are the ones the exact figures of
// the shim's tests were taken with (cycle counts of the real code, the names
// of functions the compiler may inline). On another kernel or GCC a test
// asserts what still holds there, or skips saying why, as the goldens do.
#pragma once

#include <string>

#include <gtest/gtest.h>

namespace smmusim::kshim {

inline bool exact_figures_hold()
{
    return std::string(SMMUSIM_KERNEL_VERSION) == "7.3.4" && std::string(__VERSION__) == "12.2.0";
}

}  // namespace smmusim::kshim

// Skips the test, naming this build's kernel and compiler, unless
// exact_figures_hold().
#define SKIP_UNLESS_EXACT_FIGURES_HOLD()                                                                   \
    if (!::smmusim::kshim::exact_figures_hold())                                                          \
    GTEST_SKIP() << "exact figures taken with Linux 7.3.4 and GCC 12.2.0; this build: Linux "             \
                 << SMMUSIM_KERNEL_VERSION << ", GCC " << __VERSION__
