// SPDX-License-Identifier: GPL-2.0-only
// The trace lexer: lines into words, numbers, fields and located errors.
#include "lexer.h"

#include <cstring>

#include <fmt/format.h>

#include "platform/params.h"

namespace smmusim {

// The block, zeroed (split_to_newline() reads whole words of it), with kPad
// more bytes after it; the empty block's end marked.
Lexer::Lexer(std::istream& in, std::string file)
    : in_(in), file_(std::move(file)), buf_(new char[kBlock + kPad]())
{
    buf_[0] = '\n';
}

void Lexer::carried_line()
{
    const size_t n = carry_.size();
    carry_.push_back('\n');
    carry_.append(kPad - 1, '\0');
    text_ = std::string_view(carry_.data(), n);
}

bool Lexer::fill()
{
    pos_ = 0;
    len_ = 0;
    buf_[0] = '\n';  // the block's end, also if nothing is read
    // What the stream's buffer holds, after one underflow if it holds
    // nothing: a read error (an exception in the buffer: badbit) then
    // loses nothing read before.
    if (in_.rdbuf()->in_avail() <= 0 && in_.peek() == std::istream::traits_type::eof())
        return false;
    len_ = static_cast<size_t>(in_.readsome(buf_.get(), kBlock));
    buf_[len_] = '\n';
    return len_ > 0;
}

bool Lexer::next_line()
{
    words_.clear();
    // The common case: a line whole in the block, split as its end is
    // found. Anything else (a line that goes on in the next block, a byte
    // that is no text) is read whole below first.
    const char* const block_end = buf_.get() + len_;
    const char* bad = nullptr;
    if (const char* nl = split_to_newline(buf_.get() + pos_, block_end, bad); nl && nl != block_end) {
        const auto len = static_cast<size_t>(nl - (buf_.get() + pos_));
        text_ = std::string_view(buf_.get() + pos_, len);
        pos_ += len + 1;
        lineno_++;
        return true;
    }
    words_.clear();
    carry_.clear();
    for (;;) {
        const char* b = buf_.get() + pos_;
        const size_t n = len_ - pos_;
        if (const auto* nl = static_cast<const char*>(std::memchr(b, '\n', n))) {
            const auto len = static_cast<size_t>(nl - b);
            pos_ += len + 1;
            if (carry_.empty()) {
                text_ = std::string_view(b, len);
                break;
            }
            carry_.append(b, len);
            carried_line();
            break;
        }
        bool failed = false;
        try {
            carry_.append(b, n);
        } catch (const std::exception&) {  // no memory for the line
            failed = true;
        }
        if (failed || in_.bad() || !fill()) {
            if (failed || in_.bad())  // at the line that could not be read (too long for memory, an I/O error)
                throw TraceError(fmt::format("{}:{}:1: read error: the line could not be read whole", file_,
                                             lineno_ + 1));
            if (carry_.empty())
                return false;
            carried_line();  // the last line, with no newline
            break;
        }
    }
    lineno_++;
    if (!split_to_newline(text_.data(), text_.data() + text_.size(), bad)) {
        const auto col = static_cast<unsigned>(bad - text_.data() + 1);
        // A CR is otherwise a blank: this one is in a comment, with more after it.
        if (*bad == '\r')
            fail_plain(col, "a lone CR ends no line: trace lines end with LF or CRLF");
        fail_plain(col, "unexpected character (traces are ASCII text)");
    }
    return true;
}

namespace {

// What each byte is to split_to_newline(): a character of a word, a blank, the start
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

Char cls(const char* p) { return kChars.of[static_cast<unsigned char>(*p)]; }

// The first CR of the comment [p, nl) if anything but blanks follows it
// (the lines of an old Mac file, which a comment would swallow), else null.
const char* lone_cr_in_comment(const char* p, const char* nl)
{
    const auto* cr = static_cast<const char*>(std::memchr(p, '\r', static_cast<size_t>(nl - p)));
    if (!cr)
        return nullptr;
    for (const char* q = cr + 1; q < nl; q++)
        if (*q != ' ' && *q != '\t' && *q != '\r')
            return cr;
    return nullptr;
}

// The 8 bytes at `p` as one word whose least significant byte is p[0]:
// word_bytes() counts from that end. A little-endian load is that already;
// a big-endian host loads p[0] as the most significant byte, so the word is
// byte-swapped there.
uint64_t load_first_byte_lowest(const char* p)
{
    uint64_t x;
    std::memcpy(&x, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#elif !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the trace lexer needs a little- or big-endian host (__BYTE_ORDER__)"
#endif
    return x;
}

// The first byte of the 8 at `p` that is no character of a word (below
// 0x21, above 0x7e, or "#"), 8 if all are: each test's lowest flagged byte
// is exact (a borrow only flags bytes above a true one).
unsigned word_bytes(const char* p)
{
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    const uint64_t x = load_first_byte_lowest(p);
    const uint64_t below = (x - kOnes * 0x21) & ~x;
    const uint64_t above = (x + kOnes * (0x7f - 0x7e)) | x;
    const uint64_t h = x ^ (kOnes * '#');
    const uint64_t hash = (h - kOnes) & ~h;
    const uint64_t stop = (below | above | hash) & kHigh;
    return stop ? static_cast<unsigned>(__builtin_ctzll(stop)) / 8 : 8;
}

}  // namespace

const char* Lexer::split_to_newline(const char* s, const char* end, const char*& bad)
{
    const char* p = s;
    for (;;) {
        Char c;
        while ((c = cls(p)) == Char::Blank)
            p++;
        if (c == Char::Comment) {  // to the end of the line, at `end` at the latest
            const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p) + 1));
            if (const char* cr = lone_cr_in_comment(p, nl ? nl : end)) {
                bad = cr;
                return nullptr;
            }
            return nl;
        }
        if (c == Char::Bad) {
            if (*p == '\n')
                return p;
            bad = p;
            return nullptr;
        }
        const char* w = p;
        // A word's bytes 8 at a time: kPad readable bytes follow `end`, and
        // the '\n' there stops the scan.
        unsigned k;
        while ((k = word_bytes(p)) == 8)
            p += 8;
        p += k;
        words_.push_back(Token{std::string_view(w, static_cast<size_t>(p - w)), static_cast<unsigned>(w - s + 1)});
    }
}

void Lexer::fail_at(unsigned col, const std::string& what) const
{
    // A CR with more of the line after it was meant to end a line (a file
    // with old Mac line endings): the line's words run on past it. One in
    // the comment ('#' is in no word: the first starts it) is not among
    // the words: next_line() refused it if more than blanks follow.
    const std::string_view code = text_.substr(0, text_.find('#'));
    const size_t cr = code.find('\r'), last = text_.find_last_not_of(" \t\r");
    const bool lone_cr = cr != std::string_view::npos && last != std::string_view::npos && cr < last;
    if (!lone_cr)
        fail_plain(col, what);
    fail_plain(col, what + " (this line holds a lone CR, which does not end a line: trace lines end with LF or CRLF)");
}

void Lexer::fail_plain(unsigned col, const std::string& what) const
{
    throw TraceError(fmt::format("{}:{}:{}: {}", file_, lineno_, col, what));
}

namespace {

// Each byte's value as a hex digit, 0xff if it is none.
struct HexDigits {
    uint8_t of[256];
    HexDigits()
    {
        for (unsigned u = 0; u < 256; u++)
            of[u] = u >= '0' && u <= '9' ? static_cast<uint8_t>(u - '0')
                  : u >= 'a' && u <= 'f' ? static_cast<uint8_t>(u - 'a' + 10)
                  : u >= 'A' && u <= 'F' ? static_cast<uint8_t>(u - 'A' + 10)
                                         : 0xff;
    }
};
const HexDigits kHex;

}  // namespace

bool Lexer::short_number(std::string_view s, uint64_t& v)
{
    const bool hex = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const std::string_view d = hex ? s.substr(2) : s;
    if (d.empty() || d.size() > (hex ? 16u : 19u))
        return false;
    uint64_t n = 0;
    if (hex) {
        for (const char c : d) {
            const unsigned x = kHex.of[static_cast<unsigned char>(c)];
            if (x > 15)
                return false;
            n = n << 4 | x;
        }
    } else {
        for (const char c : d) {
            const unsigned x = kHex.of[static_cast<unsigned char>(c)];
            if (x > 9)
                return false;
            n = n * 10 + x;
        }
    }
    v = n;
    return true;
}

// parse_number (the rules' one home) decides.
uint64_t Lexer::long_number(const Token& t, const char* what) const
{
    uint64_t v = 0;
    if (parse_number(std::string(t.text), v))
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
