#include "tests/jirasim/json_writer.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/jirasim/adf_document.hpp"

namespace jirasim {
namespace {

// A raw byte below 0x20 makes the document invalid JSON (RFC 8259 section 7).
std::string raw_control_bytes(const std::string& json) {
  std::string found;
  for (char c : json) {
    if (static_cast<unsigned char>(c) < 0x20) found += std::to_string(static_cast<int>(c)) + " ";
  }
  return found;
}

// Long enough that the writer scans most of it in aligned 16-byte blocks,
// with the control byte at every offset of those blocks.
std::vector<std::string> texts_with(char control) {
  std::vector<std::string> out;
  for (size_t at = 0; at < 64; ++at) {
    std::string text(80, 'a');
    text[at] = control;
    out.push_back(text);
  }
  return out;
}

TEST(JsonWriter, EscapesEveryControlCharacterAtEveryOffset) {
  for (int control = 1; control < 0x20; ++control) {
    for (const std::string& text : texts_with(static_cast<char>(control))) {
      rapidjson::StringBuffer buf;
      JsonWriter w(buf);
      write_string(w, text);
      const std::string json = buf.GetString();
      ASSERT_EQ(raw_control_bytes(json), "") << "control byte " << control;
      rapidjson::Document doc;
      doc.Parse(json.c_str(), json.size());
      ASSERT_FALSE(doc.HasParseError());
      ASSERT_EQ(std::string(doc.GetString(), doc.GetStringLength()), text);
    }
  }
}

TEST(JsonWriter, TerminalEscapeInAnAdfDescriptionIsEscaped) {
  const std::string text =
      "Red alert from the build log: \x1b[31mFAILED\x1b[0m and a bell \x07 at the end.";
  const std::string adf = adf_from_text(text);
  EXPECT_EQ(raw_control_bytes(adf), "") << adf;
  EXPECT_NE(adf.find("\\u001B[31m"), std::string::npos) << adf;
  EXPECT_EQ(adf_to_text(adf), text);
}

TEST(JsonWriter, ErrorBodyEscapesControlCharacters) {
  const std::string body =
      error_body(std::string(40, 'x') + "\x1b]0;title\x07" + std::string(40, 'y'));
  EXPECT_EQ(raw_control_bytes(body), "") << body;
}

}  // namespace
}  // namespace jirasim
