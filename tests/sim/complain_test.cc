// SPDX-License-Identifier: GPL-2.0-only
// sim/complain.h: long quoted words in a message are cut to their first 40
// characters, "..." and their length; everything else is kept as it is.
#include <string>

#include <gtest/gtest.h>

#include "complain.h"

namespace smmusim {
namespace {

TEST(CutLongWords, ShortWordsAndProseAreKept)
{
    EXPECT_EQ(cut_long_words("unknown operation 'bogus'"), "unknown operation 'bogus'");
    const std::string w64(64, 'w');
    EXPECT_EQ(cut_long_words("x '" + w64 + "' y"), "x '" + w64 + "' y");
    EXPECT_EQ(cut_long_words(""), "");
    EXPECT_EQ(cut_long_words("no quote at all"), "no quote at all");
}

TEST(CutLongWords, AWordOf65CharactersIsCut)
{
    const std::string w(65, 'w');
    EXPECT_EQ(cut_long_words("got '" + w + "'"), "got '" + std::string(40, 'w') + "...' (65 characters)");
}

TEST(CutLongWords, EveryLongWordOfAMessageIsCut)
{
    const std::string a(100, 'a'), b(1000, 'b');
    EXPECT_EQ(cut_long_words("f:1:2: '" + a + "' and '" + b + "', 'c'"),
              "f:1:2: '" + std::string(40, 'a') + "...' (100 characters) and '" + std::string(40, 'b') +
                  "...' (1000 characters), 'c'");
}

// A path named unquoted (an output's) is kept whole up to 256 characters
// and cut past them in the form of a long word.
TEST(ShownPath, APathPast256CharactersIsCutAsALongWordIs)
{
    const std::string p256 = "/" + std::string(255, 'p'), p5000 = "/" + std::string(4999, 'p');
    EXPECT_EQ(shown_path(p256), p256);
    EXPECT_EQ(shown_path(p5000), "'/" + std::string(39, 'p') + "...' (5000 characters)");
    EXPECT_EQ(shown_path(p5000), cut_long_words("'" + p5000 + "'"));
    EXPECT_EQ(shown_word(std::string(65, 'w')), "'" + std::string(40, 'w') + "...' (65 characters)");
}

TEST(CutLongWords, AnApostropheIsNotAQuote)
{
    // Blanks end a would-be word: the apostrophe of "SMMU's" opens nothing,
    // and the quoted word after it is still found.
    const std::string w(80, 'w');
    EXPECT_EQ(cut_long_words("the SMMU's queue '" + w + "'"),
              "the SMMU's queue '" + std::string(40, 'w') + "...' (80 characters)");
    // A quote never closed is kept as it is.
    EXPECT_EQ(cut_long_words("it's " + w), "it's " + w);
    EXPECT_EQ(cut_long_words("'" + w), "'" + w);
}

}  // namespace
}  // namespace smmusim
