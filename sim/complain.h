// SPDX-License-Identifier: GPL-2.0-only
// What the program says on standard error when it refuses or fails
// something: "smmusim: " and the message, with every quoted word of more
// than kLongWord characters (a trace's word, a parameter's name or value,
// echoed in the message between single quotes) cut to its first
// kShownChars characters, "..." and its length, so that a word of 100 000
// characters does not fill the terminal. It does not compose messages
// (each check words its own) and writes nowhere but stderr.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smmusim {

constexpr size_t kLongWord = 64;
constexpr size_t kShownChars = 40;

// `message` with each 'WORD' (no blank inside the quotes) longer than
// kLongWord shown as 'FIRST40...' (N characters).
std::string cut_long_words(std::string_view message);

// Prints "smmusim: " + cut_long_words(message) and a newline on stderr.
void complain(std::string_view message);

}  // namespace smmusim
