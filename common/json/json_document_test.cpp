#include "common/json/json_document.hpp"

#include <gtest/gtest.h>

#include "common/json/payload_error.hpp"

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

TEST(JsonDocument, TrailingGarbageIsAnError) {
  rapidjson::Document d;
  EXPECT_THROW(parse_json_text("{} x", d, "x"), PayloadError);
}

}  // namespace
}  // namespace jirasync
