// SPDX-License-Identifier: GPL-2.0-only
// The one lexer of the trace grammars (trace.h, kernel_ops.h, cmd_expect.h):
// it reads a trace from any std::istream, line by line, and splits each line
// into words with their columns. Every grammar reads its numbers, KEY=VALUE
// fields and errors through it, so they all follow one set of rules:
//
//   line   := { blank } [ word { blank+ word } ] { blank } [ "#" comment ]
//   blank  := " " | "\t" | "\r"
//   word   := printable ASCII (0x21..0x7e) but "#", one or more
//   field  := KEY "=" VALUE           a word with "=" after its first character
//   NUMBER := decimal | 0x hex         parse_number (platform/params.h): a
//                                      64-bit unsigned value, no sign, a
//                                      leading 0 still decimal
//
// Columns count bytes from 1. An error is a TraceError "FILE:LINE:COL: what".
// A word is a view into the lexer's current line (no copy): it is valid
// until the next line is read. The lexer reads its stream a block at a time
// (what the stream's buffer holds, at most 64 KiB) and a line is a view into
// that block (copied only when it spans two).
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace smmusim {

class TraceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One word of a line (a view into the line) and the column of its first
// character.
struct Token {
    std::string_view text;
    unsigned col = 0;

    // The word from its character `pos` on (a value after "KEY="), or `n`
    // characters of it, with their own column.
    Token tail(size_t pos) const { return Token{text.substr(pos), col + static_cast<unsigned>(pos)}; }
    Token part(size_t pos, size_t n) const { return Token{text.substr(pos, n), col + static_cast<unsigned>(pos)}; }
};

// Words [begin, end) of a line: a view into the lexer's words.
class TokenSpan {
public:
    TokenSpan(const Token* b, const Token* e) : b_(b), e_(e) {}
    const Token* begin() const { return b_; }
    const Token* end() const { return e_; }
    size_t size() const { return static_cast<size_t>(e_ - b_); }
    bool empty() const { return b_ == e_; }

private:
    const Token* b_;
    const Token* e_;
};

// Whether two words are the same: a loop over their few bytes, not a call
// to memcmp (a grammar compares a line's words with its verbs and keys).
inline bool same_word(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i] != b[i])
            return false;
    return true;
}

// KEY=VALUE: false if `t` has no "=" or starts with it. Inline: a `cmd`
// line splits a field or two.
struct KeyValue {
    std::string_view key;
    Token value;
};
inline bool split_field(const Token& t, KeyValue& f)
{
    // A key is a few characters: a loop, not a call to memchr.
    const char* const s = t.text.data();
    const size_t n = t.text.size();
    size_t eq = 0;
    while (eq < n && s[eq] != '=')
        eq++;
    if (eq == n || eq == 0)
        return false;
    f.key = std::string_view(s, eq);
    f.value = Token{std::string_view(s + eq + 1, n - eq - 1), t.col + static_cast<unsigned>(eq + 1)};
    return true;
}

class Lexer {
public:
    // Reads `in` (which must outlive the lexer); `file` names it in errors.
    Lexer(std::istream& in, std::string file);
    Lexer(const Lexer&) = delete;  // locations point at file()
    Lexer& operator=(const Lexer&) = delete;

    // The next line, split into words(); false at the end of the input.
    // Throws TraceError on a read error or a character that is not ASCII
    // text.
    bool next_line();
    const std::vector<Token>& words() const { return words_; }
    const std::string& file() const { return file_; }
    unsigned line() const { return lineno_; }
    // Just after the line's last word (not after trailing blanks, a CRLF
    // line's CR or a comment): where a missing word would go.
    unsigned end_col() const
    {
        return words_.empty() ? 1u : words_.back().col + static_cast<unsigned>(words_.back().text.size());
    }

    // "FILE:LINE:COL: WHAT", and a hint if a lone CR (not in the comment)
    // runs the line's words together.
    [[noreturn]] void fail_at(unsigned col, const std::string& what) const;
    [[noreturn]] void fail(const Token& t, const std::string& what) const { fail_at(t.col, what); }
    // The word as a NUMBER; else "expected WHAT (a number), got 'WORD'".
    uint64_t number(const Token& t, const char* what) const
    {
        uint64_t v;
        return short_number(t.text, v) ? v : long_number(t, what);
    }
    // A NUMBER below 2^32 (an index, a stream ID).
    unsigned index(const Token& t, const char* what) const;

private:
    // The common NUMBERs, read in place: up to 19 decimal digits or 0x and
    // up to 16 hex digits, which cannot overflow. False for anything else,
    // which long_number() decides.
    static bool short_number(std::string_view s, uint64_t& v);
    uint64_t long_number(const Token& t, const char* what) const;
    // The next block of the stream into buf_; false at its end (or on a
    // read error: in_.bad()).
    bool fill();
    // The line in carry_, followed by '\n' and '\0's: kPad bytes
    // (split_to_newline() reads a word 8 bytes at a time).
    void carried_line();
    // Splits the bytes from `s` into words up to the first '\n' (there is
    // one at `end`, and kPad readable bytes from it) and returns where that
    // is; nullptr at a byte that is no ASCII text, or at a comment's CR
    // with more than blanks after it (`bad`: where).
    const char* split_to_newline(const char* s, const char* end, const char*& bad);
    // "FILE:LINE:COL: WHAT", no hint.
    [[noreturn]] void fail_plain(unsigned col, const std::string& what) const;

    static constexpr size_t kBlock = 64 * 1024;
    static constexpr size_t kPad = 8;
    std::istream& in_;
    std::string file_;
    // The current line: in buf_ (then followed by its '\n') or in carry_
    // (then followed by '\n' and '\0's). The byte after the block in buf_
    // is a '\n' too: a scan of a line stops at the block's end.
    std::string_view text_;
    std::unique_ptr<char[]> buf_;
    size_t pos_ = 0, len_ = 0;  // buf_[pos_, len_) is not read yet
    std::string carry_;         // a line that spans blocks, or the last one
    unsigned lineno_ = 0;
    std::vector<Token> words_;
};

// The words of one line, read left to right from a position: what a
// grammar walks a line with (each grammar words its own "missing" and
// "unexpected" errors).
class Words {
public:
    Words(const Lexer& lx, const std::vector<Token>& toks, size_t k) : lx(lx), toks_(toks), k_(k) {}

    const Lexer& lx;
    bool done() const { return k_ >= toks_.size(); }
    // At least n words left.
    bool has(size_t n) const { return k_ + n <= toks_.size(); }
    const Token& peek() const { return toks_[k_]; }
    const Token& next() { return toks_[k_++]; }
    const Token& prev() const { return toks_[k_ - 1]; }
    const Token& last() const { return toks_.back(); }
    // The next word is `w`: then it is taken.
    bool take(const char* w)
    {
        if (done() || toks_[k_].text != w)
            return false;
        k_++;
        return true;
    }
    bool next_starts_with(const char* prefix) const { return !done() && toks_[k_].text.rfind(prefix, 0) == 0; }
    // The words left (all taken): a command's fields, a list of options.
    TokenSpan rest()
    {
        const size_t k = k_;
        k_ = toks_.size();
        return TokenSpan(toks_.data() + k, toks_.data() + toks_.size());
    }

private:
    const std::vector<Token>& toks_;
    size_t k_;
};

}  // namespace smmusim
