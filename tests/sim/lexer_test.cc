// SPDX-License-Identifier: GPL-2.0-only
// The one lexer of the trace grammars (sim/lexer.h): words and their
// columns, comments, numbers, KEY=VALUE fields and FILE:LINE:COL errors,
// from any std::istream.
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "lexer.h"
#include "platform/params.h"

using namespace smmusim;

namespace {

// "text@col" of every word of every line.
std::vector<std::string> words_of(const std::string& text)
{
    std::istringstream in(text);
    Lexer lx(in, "t");
    std::vector<std::string> out;
    while (lx.next_line())
        for (const Token& t : lx.words())
            out.push_back(std::string(t.text) + "@" + std::to_string(lx.line()) + ":" + std::to_string(t.col));
    return out;
}

std::string error_of(const std::string& text)
{
    std::istringstream in(text);
    Lexer lx(in, "t");
    try {
        while (lx.next_line()) {
        }
    } catch (const TraceError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Lexer, WordsHaveTheirLineAndColumn)
{
    EXPECT_EQ(words_of("  wait\t10 # a comment\n\n@5#x\r\nmem write32 0x8 7"),
              (std::vector<std::string>{"wait@1:3", "10@1:8", "@5@3:1", "mem@4:1", "write32@4:5", "0x8@4:13",
                                        "7@4:17"}));
    EXPECT_TRUE(words_of("# only a comment\n \t\r\n").empty());
}

TEST(Lexer, OnlyAsciiTextIsAWord)
{
    EXPECT_EQ(error_of("wait 1\nwait 1\x01\n"), "t:2:7: unexpected character (traces are ASCII text)");
    EXPECT_EQ(error_of("w\xc3\xa9\n"), "t:1:2: unexpected character (traces are ASCII text)");
    EXPECT_EQ(error_of("wait 1 # caf\xc3\xa9\n"), "");  // a comment is not read
}

// A CR is a blank, so a file whose lines end with CR alone reads as one
// line: an error on such a line says a lone CR does not end a line. A
// CRLF line (its CR last) and a CR among trailing blanks do not.
TEST(Lexer, AnErrorOnALineWithALoneCrSaysItEndsNoLine)
{
    std::istringstream in("wait 1\rwait 2\r\nwait 3\r\nwait 4 \r \r\n");
    Lexer lx(in, "t");
    auto error_at = [&](size_t word) -> std::string {
        try {
            lx.fail(lx.words().at(word), "what");
        } catch (const TraceError& e) {
            return e.what();
        }
        return "";
    };
    ASSERT_TRUE(lx.next_line());
    EXPECT_EQ(error_at(2), "t:1:8: what (this line holds a lone CR, which does not end a line: trace lines end with "
                           "LF or CRLF)");
    ASSERT_TRUE(lx.next_line());
    EXPECT_EQ(error_at(0), "t:2:1: what");
    ASSERT_TRUE(lx.next_line());
    EXPECT_EQ(error_at(1), "t:3:6: what");
}

// A comment may hold any byte but a lone CR: an old Mac file's lines after
// one would be read as comment, silently. A CR with only blanks after it
// (a CRLF line's) is fine. The error names the CR's column and gives no
// second hint; the hint of other errors is about CRs among the words only.
TEST(Lexer, ACommentHoldingALoneCrIsRefusedAtTheCr)
{
    const std::string lone = "t:2:7: a lone CR ends no line: trace lines end with LF or CRLF";
    EXPECT_EQ(error_of("wait 1\n# note\rwait 2\rwait 3\n"), lone);
    EXPECT_EQ(error_of("wait 1\n# note\rwait 2"), lone);                       // the last line, no LF
    EXPECT_EQ(error_of("wait 1\n# note\r \t\r\n# b\r\nwait 1 # c \r\n"), "");  // blanks only after it
    EXPECT_EQ(error_of("wait 1\n# note\r\xff\n"), lone);
    // A line longer than the block, read whole: the same error.
    EXPECT_EQ(error_of("wait 1\n# note\r" + std::string(200000, 'x') + "\n"), lone);

    std::istringstream in("wait 1 # a\r \nwait\r2\x01\n");
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    try {
        lx.fail(lx.words().at(1), "what");
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "t:1:6: what");  // the CR is in the comment
    }
    try {
        lx.next_line();
        ADD_FAILURE() << "a bad byte";
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "t:2:7: unexpected character (traces are ASCII text)");  // no CR hint
    }
}

TEST(Lexer, NumbersFollowTheProjectsOneRule)
{
    std::istringstream in("x\n");
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    EXPECT_EQ(lx.number(Token{"010", 1}, "n"), 10u);  // a leading 0 is decimal
    EXPECT_EQ(lx.number(Token{"0x1F", 1}, "n"), 0x1fu);
    EXPECT_EQ(lx.index(Token{"4294967295", 1}, "an index"), 0xffffffffu);
    try {
        lx.number(Token{"-1", 4}, "a count");
        FAIL();
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "t:1:4: expected a count (a number), got '-1'");
    }
    try {
        lx.index(Token{"4294967296", 2}, "an index");
        FAIL();
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "t:1:2: '4294967296' is too large for an index");
    }
    EXPECT_EQ(lx.end_col(), 2u);
}

TEST(Lexer, FieldsSplitAtTheirFirstEquals)
{
    KeyValue kv;
    ASSERT_TRUE(split_field(Token{"covers=0x1000+0x10=", 7}, kv));
    EXPECT_EQ(kv.key, "covers");
    EXPECT_EQ(kv.value.text, "0x1000+0x10=");
    EXPECT_EQ(kv.value.col, 14u);
    EXPECT_EQ(kv.value.tail(7).col, 21u);
    EXPECT_FALSE(split_field(Token{"=5", 1}, kv));
    EXPECT_FALSE(split_field(Token{"enable", 1}, kv));
}

// traces/FORMAT.md's lexical rules: a comment may hold any byte (the ASCII
// rule is for words), in a line read in place and in one carried across
// blocks; hexadecimal takes 0x or 0X and digits in either case.
TEST(Lexer, CommentsHoldAnyByteAndHexTakesEitherX)
{
    std::string any;  // every byte but LF, and CR last (a lone CR: ACommentHoldingALoneCrIsRefusedAtTheCr)
    for (int c = 0; c < 256; c++)
        if (c != '\n' && c != '\r')
            any += static_cast<char>(c);
    any += '\r';
    const std::vector<std::string> want{"wait@1:1", "1@1:6", "wait@2:1", "2@2:6"};
    EXPECT_EQ(words_of("wait 1 #" + any + "\nwait 2\n"), want);
    EXPECT_EQ(words_of("wait 1 #" + std::string(70 * 1024, 'c') + any + "\nwait 2"), want);
    std::istringstream in("x\n");
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    EXPECT_EQ(lx.number(Token{"0X1f", 1}, "n"), 0x1fu);
    EXPECT_EQ(lx.number(Token{"0xAbC", 1}, "n"), 0xabcu);
}

// Short numbers are read in place, longer ones by parse_number: both give
// what parse_number gives, at the limits of each (19 decimal and 16 hex
// digits read in place; 2^64 and past it refused).
TEST(Lexer, NumbersReadInPlaceAgreeWithParseNumber)
{
    std::istringstream in("x\n");
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    for (const char* s : {"0", "00", "9999999999999999999", "10000000000000000000", "18446744073709551615",
                          "18446744073709551616", "0x0", "0xffffffffffffffff", "0XFfFf", "0x0000000000000000001",
                          "0x10000000000000000", "0x", "0xg", "1a", "x1", "+1", "1 ", "0b1", "00000000000000000000000007"}) {
        uint64_t want = 0;
        const bool ok = parse_number(s, want);
        try {
            EXPECT_EQ(lx.number(Token{s, 1}, "n"), want) << s;
            EXPECT_TRUE(ok) << s;
        } catch (const TraceError& e) {
            EXPECT_FALSE(ok) << s;
            const std::string v = s;
            if (v == "18446744073709551616" || v == "0x10000000000000000")  // a number, too large
                EXPECT_EQ(std::string(e.what()), fmt::format("t:1:1: n '{}' does not fit in 64 bits (at most "
                                                             "0xffffffffffffffff)",
                                                             s));
            else
                EXPECT_EQ(std::string(e.what()), fmt::format("t:1:1: expected n (a number), got '{}'", s));
        }
    }
}

// A line that cannot be read (here a stream that fails in its middle, as
// one too long for memory does: getline() sets badbit) is an error at that
// line, not a bare "read error" of the file.
TEST(Lexer, AReadErrorNamesTheLineItHappenedIn)
{
    struct FailingBuf : std::streambuf {
        std::string text = "wait 1\nwai";
        bool given = false;
        int_type underflow() override
        {
            if (given)
                throw std::runtime_error("no memory");
            given = true;
            setg(text.data(), text.data(), text.data() + text.size());
            return traits_type::to_int_type(text[0]);
        }
    } buf;
    std::istream in(&buf);
    Lexer lx(in, "t");
    ASSERT_TRUE(lx.next_line());
    try {
        lx.next_line();
        FAIL() << "no error";
    } catch (const TraceError& e) {
        EXPECT_STREQ(e.what(), "t:2:1: read error: the line could not be read whole");
    }
}

// The lexer reads its stream a block (64 KiB) at a time: a line across two
// blocks, one longer than a block, and a last line with no newline are
// read whole, with their line numbers and columns.
TEST(Lexer, LinesAcrossAndLongerThanItsBlocksAreReadWhole)
{
    const std::string pad(65530, 'x');  // the second line crosses the first block's end
    const std::string longword(200000, 'y');
    const auto w = words_of(pad + "\nwait 12345\n" + longword + " z\nlast 7");
    ASSERT_EQ(w.size(), 7u);
    EXPECT_EQ(w[0], pad + "@1:1");
    EXPECT_EQ(w[1], "wait@2:1");
    EXPECT_EQ(w[2], "12345@2:6");
    EXPECT_EQ(w[3], longword + "@3:1");
    EXPECT_EQ(w[4], "z@3:200002");
    EXPECT_EQ(w[5], "last@4:1");
    EXPECT_EQ(w[6], "7@4:6");
    // A bad byte is found where it is, in a line across blocks too.
    EXPECT_EQ(error_of(pad + "\nwait 1\x01\n"), "t:2:7: unexpected character (traces are ASCII text)");
    EXPECT_EQ(error_of(longword + "\x7f"), "t:1:200001: unexpected character (traces are ASCII text)");
    // A NUL ends no line: it is a bad byte wherever it is.
    EXPECT_EQ(error_of(std::string("wait 1", 6) + std::string(1, '\0') + "\n"),
              "t:1:7: unexpected character (traces are ASCII text)");
    EXPECT_TRUE(words_of("").empty());
    EXPECT_TRUE(words_of("\n").empty());
}
