#include "common/json/utf8_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jirasync {
namespace {

constexpr auto npos = std::string_view::npos;

TEST(Utf8TextTest, AcceptsAsciiAndEveryValidSequenceLength) {
  EXPECT_EQ(find_invalid_utf8(""), npos);
  EXPECT_EQ(find_invalid_utf8("plain ascii text that is longer than eight bytes"), npos);
  EXPECT_EQ(find_invalid_utf8("\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"), npos);
  EXPECT_EQ(find_invalid_utf8("\xED\x9F\xBF \xEE\x80\x80 \xEF\xBF\xBF"),
            npos);  // around surrogates
}

TEST(Utf8TextTest, FindsTheFirstBadByteWhereverItIs) {
  for (std::size_t pos = 0; pos < 20; ++pos) {
    std::string text(24, 'a');
    text[pos] = '\xFF';
    EXPECT_EQ(find_invalid_utf8(text), pos) << pos;
  }
}

TEST(Utf8TextTest, EveryPositionAndLengthAroundTheBlockScan) {
  // The scan takes 16 and 8 bytes at a time: a bad byte, a NUL, a valid
  // sequence or a truncated one at every offset of texts of every length.
  for (std::size_t length = 1; length <= 50; ++length) {
    EXPECT_EQ(find_invalid_utf8(std::string(length, 'a')), npos) << length;
    std::string view_of_prefix(length + 8, 'b');  // never read past the view
    view_of_prefix[length] = '\xFF';
    EXPECT_EQ(find_invalid_utf8(std::string_view(view_of_prefix.data(), length)), npos) << length;
    for (std::size_t pos = 0; pos < length; ++pos) {
      std::string text(length, 'a');
      text[pos] = '\xFF';
      EXPECT_EQ(find_invalid_utf8(text), pos) << length << " " << pos;
      text[pos] = '\0';
      EXPECT_EQ(find_invalid_utf8(text), pos) << length << " " << pos;
      if (pos + 3 <= length) {
        text.replace(pos, 3, "\xE2\x9C\x93");
        EXPECT_EQ(find_invalid_utf8(text), npos) << length << " " << pos;
      } else {
        text.replace(pos, length - pos, std::string("\xE2\x9C\x93").substr(0, length - pos));
        EXPECT_EQ(find_invalid_utf8(text), pos) << length << " " << pos;
      }
    }
  }
}

TEST(Utf8TextTest, RefusesOverlongSurrogatesTooLargeAndTruncated) {
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);  // overlong '/'
  EXPECT_EQ(find_invalid_utf8("ab\xC1\xBF"), 2u);
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x80\xAF"), 2u);      // overlong
  EXPECT_EQ(find_invalid_utf8("ab\xF0\x80\x80\xAF"), 2u);  // overlong
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);      // U+D800
  EXPECT_EQ(find_invalid_utf8("ab\xF4\x90\x80\x80"), 2u);  // U+110000
  EXPECT_EQ(find_invalid_utf8("ab\xF5\x80\x80\x80"), 2u);
  EXPECT_EQ(find_invalid_utf8("ab\x80"), 2u);  // lone continuation
  EXPECT_EQ(find_invalid_utf8("ab\xC3"), 2u);  // truncated at the end
  EXPECT_EQ(find_invalid_utf8("ab\xE2\x9C"), 2u);
  EXPECT_EQ(find_invalid_utf8("ab\xE2(\x93"), 2u);  // bad continuation
}

TEST(Utf8TextTest, RefusesNulBytes) {
  EXPECT_EQ(find_invalid_utf8(std::string_view("abc\0def", 7)), 3u);
  EXPECT_EQ(find_invalid_utf8(std::string_view("0123456789\0", 11)), 10u);
}

}  // namespace
}  // namespace jirasync
