// SPDX-License-Identifier: GPL-2.0-only
#include "complain.h"

#include <cstdio>

#include <fmt/format.h>

namespace smmusim {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string shown_word(std::string_view word, size_t longest)
{
    if (word.size() <= longest)
        return std::string(word);
    return fmt::format("'{}...' ({} characters)", word.substr(0, kShownChars), word.size());
}

std::string cut_long_words(std::string_view message)
{
    std::string out;
    out.reserve(message.size() < 1024 ? message.size() : 1024);
    size_t i = 0;
    while (i < message.size()) {
        const size_t open = message.find('\'', i);
        if (open == std::string_view::npos)
            break;
        // The word runs to the next quote, unless a blank comes first (an
        // apostrophe in prose: "the SMMU's").
        size_t close = open + 1;
        while (close < message.size() && message[close] != '\'' && !blank(message[close]))
            close++;
        if (close >= message.size() || message[close] != '\'') {
            out.append(message.substr(i, close - i));
            i = close;
            continue;
        }
        const std::string_view word = message.substr(open + 1, close - open - 1);
        out.append(message.substr(i, open - i));
        out += word.size() > kLongWord ? shown_word(word) : fmt::format("'{}'", word);
        i = close + 1;
    }
    if (i < message.size())
        out.append(message.substr(i));
    return out;
}

void complain(std::string_view message) { fmt::print(stderr, "smmusim: {}\n", cut_long_words(message)); }

}  // namespace smmusim
