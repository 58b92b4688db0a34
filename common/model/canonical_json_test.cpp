#include "common/model/canonical_json.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

std::string canon(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  EXPECT_FALSE(d.HasParseError()) << json;
  return canonical_json(d);
}

TEST(CanonicalJson, SortsKeysAtEveryLevelAndDropsWhitespace) {
  EXPECT_EQ(canon(R"( { "b" : 1 , "a" : { "d" : [ 1 , { "z":true, "y":null } ], "c" : "x" } } )"),
            R"({"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1})");
}

TEST(CanonicalJson, ArrayOrderIsKept) {
  EXPECT_EQ(canon("[3,1,2]"), "[3,1,2]");
}

TEST(CanonicalJson, KeysSortByCodePointNotLocale) {
  // 'B' (U+0042) < 'a' (U+0061) < 'é' (U+00E9) < '中' (U+4E2D) < '😀' (U+1F600)
  EXPECT_EQ(canon(R"({"😀":5,"中":4,"é":3,"a":2,"B":1})"), R"({"B":1,"a":2,"é":3,"中":4,"😀":5})");
}

TEST(CanonicalJson, EscapedAndLiteralUnicodeAgree) {
  EXPECT_EQ(canon(R"({"k":"\u00e9\u4e2d"})"), canon(R"({"k":"é中"})"));
  EXPECT_EQ(canon(R"({"k":"line\nbreak \"q\" \\ \/"})"), R"({"k":"line\nbreak \"q\" \\ /"})");
}

TEST(CanonicalJson, NumbersAsRapidJsonWritesThem) {
  EXPECT_EQ(canon(R"([0,-7,1.5,1e3,12345678901234567890,-9223372036854775808])"),
            "[0,-7,1.5,1000.0,12345678901234567890,-9223372036854775808]");
}

TEST(CanonicalJson, ScalarsAtTheRoot) {
  EXPECT_EQ(canon("\"s\""), "\"s\"");
  EXPECT_EQ(canon("null"), "null");
  EXPECT_EQ(canon("false"), "false");
}

TEST(CanonicalJson, DuplicateKeysDoNotDependOnSourceOrder) {
  EXPECT_EQ(canon(R"({"a":2,"a":1})"), canon(R"({"a":1,"a":2})"));
}

TEST(CanonicalJson, DuplicateKeysAreOrderedByTheirCanonicalText) {
  EXPECT_EQ(canon(R"({"z":0,"a":{"y":1,"x":2},"b":true,"a":[3],"a":"s","a":{"x":1}})"),
            R"({"a":"s","a":[3],"a":{"x":1},"a":{"x":2,"y":1},"b":true,"z":0})");
  EXPECT_EQ(canon(R"([{"k":2,"k":1},{"k":[{"b":1,"a":0}]}])"),
            R"([{"k":1,"k":2},{"k":[{"a":0,"b":1}]}])");
}

}  // namespace
}  // namespace jirasync
