// SPDX-License-Identifier: GPL-2.0-only
// What the program says on standard error when it refuses or fails
// something: "smmusim: " and the message, with every quoted word of more
// than kLongWord characters (a trace's word, a parameter's name or value,
// echoed in the message between single quotes) cut to its first
// kShownChars characters, "..." and its length, so that a word of 100 000
// characters does not fill the terminal; paths named unquoted are cut the
// same way past kLongPath (shown_path). It does not compose messages
// (each check words its own) and writes nowhere but stderr.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smmusim {

constexpr size_t kLongWord = 64;
constexpr size_t kShownChars = 40;
constexpr size_t kLongPath = 256;

// `word` as a message shows it: as it is up to `longest` characters, else
// 'FIRST40...' (N characters), the form of every cut word.
std::string shown_word(std::string_view word, size_t longest = kLongWord);

// A path a message names unquoted (an output's, sim/outputs.cc): whole up
// to kLongPath characters, so that a checkout's paths stay readable; a
// longer one (thousands of characters) is cut as a long word is.
inline std::string shown_path(std::string_view path) { return shown_word(path, kLongPath); }

// `message` with each 'WORD' (no blank inside the quotes) longer than
// kLongWord shown as shown_word() shows it.
std::string cut_long_words(std::string_view message);

// Prints "smmusim: " + cut_long_words(message) and a newline on stderr.
void complain(std::string_view message);

}  // namespace smmusim
