// SPDX-License-Identifier: GPL-2.0-only
#pragma once
// What an `expect-log` expression may hold: a subset of POSIX extended
// regular expressions under which compiling (glibc's regcomp()) and matching
// it stays fast and small (traces/FORMAT.md, "expect-log"). Only an
// expression this subset takes reaches regcomp().
#include <cstddef>
#include <string>

namespace smmusim {

struct LogRegexFault {
    std::string what;     // "" when the expression is within the subset
    size_t at = 0;        // the byte of the expression it names
    bool invalid = false; // not a valid POSIX ERE either (else: valid, but past the limits)
};

// The longest expression, in bytes.
inline constexpr size_t kLogRegexMaxBytes = 256;
// The largest bound of an interval ('{M,N}').
inline constexpr unsigned kLogRegexMaxRepeat = 16;
// The most characters, '.'s and bracket expressions the expression holds
// once each interval has copied its operand (what regcomp() builds).
inline constexpr unsigned long kLogRegexMaxPositions = 512;

// Literals, '.', bracket expressions ('[:class:]' in them, not '[=' or
// '[.'), a backslash only before a metacharacter, groups, '|', '*', '+',
// '?', intervals ('{M}', '{M,}', '{M,N}', '{,N}') with bounds of at most
// kLogRegexMaxRepeat and an operand that does not repeat, '^' only at the
// start and '$' only at the end of the expression or of one of its
// top-level alternatives; at most kLogRegexMaxBytes bytes and
// kLogRegexMaxPositions positions.
LogRegexFault log_regex_bounds(const std::string& re);

}  // namespace smmusim
