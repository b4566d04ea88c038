// SPDX-License-Identifier: GPL-2.0-only
// The trace lexer: lines into words, numbers, fields and located errors.
#include "lexer.h"

#include <fmt/format.h>

#include "platform/params.h"

namespace smmusim {

bool split_field(const Token& t, KeyValue& f)
{
    const auto eq = t.text.find('=');
    if (eq == std::string_view::npos || eq == 0)
        return false;
    f.key = t.text.substr(0, eq);
    f.value = t.tail(eq + 1);
    return true;
}

Lexer::Lexer(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}

bool Lexer::next_line()
{
    words_.clear();
    if (!std::getline(in_, text_)) {
        if (in_.bad())
            throw TraceError(fmt::format("{}: read error", file_));
        return false;
    }
    lineno_++;
    split();
    return true;
}

void Lexer::split()
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    size_t i = 0;
    while (i < text_.size() && text_[i] != '#') {
        if (blank(text_[i])) {
            i++;
            continue;
        }
        size_t j = i;
        for (; j < text_.size() && !blank(text_[j]) && text_[j] != '#'; j++) {
            const unsigned char u = static_cast<unsigned char>(text_[j]);
            if (u < 0x20 || u >= 0x7f)
                fail_at(static_cast<unsigned>(j + 1), "unexpected character (traces are ASCII text)");
        }
        words_.push_back(Token{std::string_view(text_).substr(i, j - i), static_cast<unsigned>(i + 1)});
        i = j;
    }
}

void Lexer::fail_at(unsigned col, const std::string& what) const
{
    throw TraceError(fmt::format("{}:{}:{}: {}", file_, lineno_, col, what));
}

namespace {

// The common NUMBERs read in place: up to 19 decimal digits or 0x and up to
// 16 hex digits, which cannot overflow. False for anything else, which
// parse_number (the rules' one home) decides.
bool short_number(std::string_view s, uint64_t& v)
{
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const std::string_view d = hex ? s.substr(2) : s;
    if (d.empty() || d.size() > (hex ? 16u : 19u))
        return false;
    uint64_t n = 0;
    for (const char c : d) {
        unsigned x;
        if (c >= '0' && c <= '9')
            x = static_cast<unsigned>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            x = static_cast<unsigned>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
            x = static_cast<unsigned>(c - 'A' + 10);
        else
            return false;
        n = hex ? n << 4 | x : n * 10 + x;
    }
    v = n;
    return true;
}

}  // namespace

uint64_t Lexer::number(const Token& t, const char* what) const
{
    uint64_t v = 0;
    if (!short_number(t.text, v) && !parse_number(std::string(t.text), v))
        fail(t, fmt::format("expected {} (a number), got '{}'", what, t.text));
    return v;
}

unsigned Lexer::index(const Token& t, const char* what) const
{
    const uint64_t v = number(t, what);
    if (v > 0xffffffffull)
        fail(t, fmt::format("'{}' is too large for {}", t.text, what));
    return static_cast<unsigned>(v);
}

}  // namespace smmusim
