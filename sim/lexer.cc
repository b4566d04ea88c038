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
        if (in_.bad())  // at the line that could not be read (too long for memory, an I/O error)
            throw TraceError(fmt::format("{}:{}:1: read error: the line could not be read whole", file_,
                                         lineno_ + 1));
        return false;
    }
    lineno_++;
    split();
    return true;
}

namespace {

// What each byte is to split(): a character of a word, a blank, the start
// of a comment, or a byte that is not ASCII text.
enum class Char : uint8_t { Word, Blank, Comment, Bad };
struct CharClasses {
    Char of[256];
    CharClasses()
    {
        for (unsigned u = 0; u < 256; u++)
            of[u] = u < 0x20 || u >= 0x7f ? Char::Bad : Char::Word;
        of[static_cast<unsigned char>(' ')] = of[static_cast<unsigned char>('\t')] =
            of[static_cast<unsigned char>('\r')] = Char::Blank;
        of[static_cast<unsigned char>('#')] = Char::Comment;
    }
};
const CharClasses kChars;

}  // namespace

void Lexer::split()
{
    const char* s = text_.data();
    const size_t n = text_.size();
    auto cls = [&](size_t i) { return kChars.of[static_cast<unsigned char>(s[i])]; };
    size_t i = 0;
    while (i < n) {
        const Char c = cls(i);
        if (c == Char::Blank) {
            i++;
            continue;
        }
        if (c == Char::Comment)
            return;
        size_t j = i;
        while (j < n && cls(j) == Char::Word)
            j++;
        if (j < n && cls(j) == Char::Bad)
            fail_at(static_cast<unsigned>(j + 1), "unexpected character (traces are ASCII text)");
        words_.push_back(Token{std::string_view(s + i, j - i), static_cast<unsigned>(i + 1)});
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
    if (short_number(t.text, v) || parse_number(std::string(t.text), v))
        return v;
    // A well-formed number that is too large is said to be one.
    const std::string_view s = t.text;
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const std::string_view d = hex ? s.substr(2) : s;
    if (!d.empty() && d.find_first_not_of(hex ? "0123456789abcdefABCDEF" : "0123456789") == std::string_view::npos)
        fail(t, fmt::format("{} '{}' does not fit in 64 bits (at most 0xffffffffffffffff)", what, t.text));
    fail(t, fmt::format("expected {} (a number), got '{}'", what, t.text));
}

unsigned Lexer::index(const Token& t, const char* what) const
{
    const uint64_t v = number(t, what);
    if (v > 0xffffffffull)
        fail(t, fmt::format("'{}' is too large for {}", t.text, what));
    return static_cast<unsigned>(v);
}

}  // namespace smmusim
