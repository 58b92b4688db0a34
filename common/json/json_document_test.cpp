#include "common/json/json_document.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "common/json/payload_error.hpp"
#include "common/json/utf8_text.hpp"

namespace jirasync {
namespace {

TEST(JsonDocument, BracketsInsideStringsDoNotCountAsNesting) {
  rapidjson::Document d;
  std::string json = R"({"a":")" + std::string(1000, '[') + R"(\"]"})";
  parse_json_text(json, d, "x", 4);
  EXPECT_TRUE(d.IsObject());
  EXPECT_THROW(parse_json_text("[[[[[1]]]]]", d, "x", 4), PayloadError);
  EXPECT_NO_THROW(parse_json_text("[[[[1]]]]", d, "x", 4));
}

TEST(JsonDocument, FullPrecisionReadsNumbersExactly) {
  // RapidJSON's fast path is one ulp off on this one (found by search).
  const char* text = "[0.88048577503494824]";
  const double exact = std::strtod("0.88048577503494824", nullptr);
  rapidjson::Document d;
  parse_json_text(text, d, "x", kMaxJsonDepth, JsonNumbers::kFullPrecision);
  EXPECT_EQ(d[0].GetDouble(), exact);
  parse_json_text(text, d, "x");
  EXPECT_NE(d[0].GetDouble(), exact) << "the fast path is exact now: pick another number";
}

TEST(JsonDocument, HostileNestingIsRefusedWithoutRecursion) {
  std::string objects;
  for (int i = 0; i < 30000; ++i) objects += R"({"a":)";
  for (const std::string& text : {std::string(150000, '['), objects}) {
    rapidjson::Document d;
    try {
      parse_json_text(text, d, "body");
      ADD_FAILURE() << "no error";
    } catch (const PayloadError& e) {
      EXPECT_EQ(e.field(), "body");
      EXPECT_EQ(std::string(e.what()).rfind("body: JSON nested deeper than 512 levels", 0), 0u)
          << e.what();
    }
  }
  rapidjson::Document d;
  EXPECT_NO_THROW(parse_json_text(std::string(512, '[') + std::string(512, ']'), d, "x"));
  EXPECT_THROW(parse_json_text(std::string(513, '[') + std::string(513, ']'), d, "x"),
               PayloadError);
}

TEST(JsonDocument, NulAndInvalidUtf8AreRefusedNamingTheOffset) {
  rapidjson::Document d;
  try {
    parse_json_text(std::string_view("{\"a\":1}\0{", 9), d, "body");
    ADD_FAILURE() << "no error";
  } catch (const PayloadError& e) {
    EXPECT_STREQ(e.what(), "body: invalid UTF-8 or a NUL byte at offset 7");
  }
  EXPECT_THROW(parse_json_text("[\"\xC3\x28\"]", d, "x"), PayloadError);
}

TEST(JsonDocument, LoneSurrogateEscapesBecomeTheReplacementCharacter) {
  // RapidJSON decodes a lone low surrogate escape into bytes that are not
  // UTF-8; written out again they made every later parse refuse the text.
  rapidjson::Document d;
  parse_json_text(R"({"\uDFFF":["a\uDC00b","\uD55C","\uD83D\uDE00"]})", d, "x");
  const std::string text = compact_json(d);
  EXPECT_EQ(find_invalid_utf8(text), std::string_view::npos) << text;
  EXPECT_EQ(text,
            "{\"\xEF\xBF\xBD\":[\"a\xEF\xBF\xBD"
            "b\",\"\xED\x95\x9C\",\"\xF0\x9F\x98\x80\"]}");
}

TEST(JsonDocument, LowercaseAndEscapedBackslashSurrogateLookalikes) {
  // Lowercase hex is an escape too; "\\uD800" is a backslash, then text.
  rapidjson::Document d;
  parse_json_text(R"(["\udc00"])", d, "x");
  EXPECT_EQ(compact_json(d), "[\"\xEF\xBF\xBD\"]");
  parse_json_text(R"(["\\uD800"])", d, "x");
  EXPECT_EQ(compact_json(d), R"(["\\uD800"])");
  parse_json_text(R"({"x\\\udfff":1})", d, "x");
  EXPECT_EQ(compact_json(d), "{\"x\\\\\xEF\xBF\xBD\":1}");
}

TEST(JsonDocument, StringsInOneBufferReadAsCopiedOnesAndOutliveTheText) {
  const char* const texts[] = {
      R"({"a":"plain","b":["esc\"aped\n\u00e9\t",1.5,-7,1e300,true,null],"c":{}})",
      R"({"\uDFFF":["a\uDC00b","\uD55C","\uD83D\uDE00"],"k\\uD800":"\\\udfff"})", R"("root")", "[]",
      "123456789012345678901234567890"};
  for (const char* source : texts) {
    for (JsonNumbers numbers : {JsonNumbers::kFast, JsonNumbers::kFullPrecision}) {
      rapidjson::Document copied;
      parse_json_text(std::string(source), copied, "x", kMaxJsonDepth, numbers);
      rapidjson::Document in_place;
      {
        std::string text(source);
        parse_json_text(text, in_place, "x", kMaxJsonDepth, numbers, JsonStrings::kInOneBuffer);
        text.assign(text.size(), '#');  // the document holds its own copy
      }
      EXPECT_EQ(compact_json(in_place), compact_json(copied)) << source;
    }
  }
  rapidjson::Document bad;
  try {
    parse_json_text(std::string(R"({"a": [1, }")"), bad, "body", kMaxJsonDepth, JsonNumbers::kFast,
                    JsonStrings::kInOneBuffer);
    FAIL() << "accepted invalid JSON";
  } catch (const PayloadError& e) {
    EXPECT_STREQ(e.what(), "body: invalid JSON at offset 10: Invalid value.");
  }
}

TEST(JsonDocument, TrailingGarbageIsAnError) {
  rapidjson::Document d;
  EXPECT_THROW(parse_json_text("{} x", d, "x"), PayloadError);
}

}  // namespace
}  // namespace jirasync
