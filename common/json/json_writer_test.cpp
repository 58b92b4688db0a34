#include "common/json/json_writer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/json/json_document.hpp"

namespace jirasync {
namespace {

TEST(JsonWriter, WritesMembersWithTheirLengths) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_string(w, "s", std::string("a\0b\"", 4));
  write_int64(w, "n", -9007199254740993);
  write_bool(w, "b", true);
  write_strings(w, "list", {"x", ""});
  write_optional_string(w, "none", std::nullopt);
  write_optional_string(w, "some", std::string("y"));
  write_optional_int64(w, "no_int", std::nullopt);
  write_optional_int64(w, "int", 7);
  w.EndObject();
  EXPECT_EQ(std::string(buf.GetString(), buf.GetSize()),
            R"({"s":"a\u0000b\"","n":-9007199254740993,"b":true,"list":["x",""],)"
            R"("none":null,"some":"y","no_int":null,"int":7})");
}

TEST(JsonWriter, EscapesEveryControlCharacterWhereverItStands) {
  // RapidJSON 1.1.0's SSE2 scan let 0x1A-0x1F through raw past the first
  // aligned 16 bytes of a string (an ANSI colour code in a pasted log).
  for (size_t at = 0; at < 40; ++at) {
    std::string text(48, 'x');
    text[at] = '\x1b';
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartArray();
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    w.EndArray();
    const std::string out(buf.GetString(), buf.GetSize());
    EXPECT_EQ(out.find('\x1b'), std::string::npos) << "raw ESC at " << at;
    EXPECT_NE(out.find("\\u001B"), std::string::npos) << out;
  }
}

TEST(JsonWriter, CompactJsonEscapesControlCharactersToo) {
  rapidjson::Document d;
  const std::string text =
      "[\"" + std::string(30, 'x') + "\\u001f\\u001a" + std::string(30, 'y') + "\"]";
  parse_json_text(text, d, "x");
  const std::string out = compact_json(d);
  for (char c : out) EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << out;
}

}  // namespace
}  // namespace jirasync
