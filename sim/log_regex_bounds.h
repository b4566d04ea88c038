// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// What an `expect-log` expression may hold, beyond what regcomp() accepts:
// the bounds under which compiling and matching it stays fast and small
// (traces/FORMAT.md, "expect-log").
#include <cstddef>
#include <string>

namespace smmusim {

struct LogRegexFault {
    std::string what;  // "" when the expression is within the bounds
    size_t at = 0;     // the byte of the expression it names
};

// The longest expression, in bytes.
inline constexpr size_t kLogRegexMaxBytes = 256;
// The largest bound of an interval ('{M,N}').
inline constexpr unsigned kLogRegexMaxRepeat = 16;

// No back-reference ('\' and a digit outside a bracket expression), no
// interval whose operand repeats ('*', '+', '?', an interval), no bound past
// kLogRegexMaxRepeat, no more than kLogRegexMaxBytes bytes.
LogRegexFault log_regex_bounds(const std::string& re);

}  // namespace smmusim
