// SPDX-License-Identifier: GPL-2.0-only
// The column of the word at fault, for the checks that run on an operation
// after it is parsed (TracePlayer's checks against the configuration: a
// VINTF, LVCMDQ or VCMDQ past the CMDQV's, a `map` past 2^52, ...). They see
// the operation's values, not its words, so they find the word in the line
// the reader read last (TraceReader::words()) and name it FILE:LINE:COL, as
// the reader's own errors do. A finder that finds no such word answers the
// operation's own column (its verb's). Used on the error path only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "lexer.h"

namespace smmusim {

struct TraceOp;

class WordAtFault {
public:
    // `words`: the line `op` was parsed from (valid while this is used).
    WordAtFault(const TraceOp& op, const std::vector<Token>& words) : op_(op), words_(words) {}

    // "FILE:LINE:COL".
    std::string at(unsigned col) const;
    // The word after the first word `w` (`vintf N`, `map L`, `sid S`,
    // `endpoint NAME`).
    unsigned after(std::string_view w) const;
    // The value of the first KEY=VALUE word with this key, from its
    // character `skip` on (`queue=cmdqv.vcmdqN`'s N: skip 11).
    unsigned value(std::string_view key, size_t skip = 0) const;
    // The n-th (from 0) comma-separated item of that value (`sid=A,B,C`).
    unsigned item(std::string_view key, size_t n) const;
    // The line's queue name vintfN.lvcmdqL, its VINTF number N and its
    // LVCMDQ number L.
    unsigned queue() const;
    unsigned queue_vintf() const;
    unsigned queue_lvcmdq() const;

private:
    const Token* key_word(std::string_view key) const;
    const Token* queue_word() const;
    unsigned own() const;

    const TraceOp& op_;
    const std::vector<Token>& words_;
};

}  // namespace smmusim
