// log.format: json — one JSON object per line, redaction on every field.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "common/log/logging.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

constexpr const char* kSecret = "ATATT3xJsonLogSecretValue0123456789abcdefABCDEF";

class JsonLogFormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SecretRedactor::process().add_secret(kSecret);
    init_logging("debug", "jsonsvc", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    set_log_format(LogFormat::kJson);
  }
  void TearDown() override { set_log_format(LogFormat::kText); }

  std::vector<std::string> lines() {
    spdlog::default_logger()->flush();
    std::vector<std::string> out;
    std::istringstream in(out_.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
  std::ostringstream out_;
};

TEST_F(JsonLogFormatTest, EachMessageIsOneJsonObjectOnOneLine) {
  spdlog::info("two\nlines, a \"quote\", a tab\t, a bell \x07 and a backslash \\");
  spdlog::warn("second");
  const auto got = lines();
  ASSERT_EQ(got.size(), 2u) << out_.str();
  rapidjson::Document doc;
  doc.Parse(got[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << got[0];
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["level"].GetString(), "info");
  EXPECT_STREQ(doc["logger"].GetString(), "jsonsvc");
  EXPECT_STREQ(doc["message"].GetString(),
               "two\nlines, a \"quote\", a tab\t, a bell \x07 and a backslash \\");
  const std::string time = doc["time"].GetString();
  EXPECT_EQ(time.size(), 24u) << time;  // 2024-05-01T10:00:00.123Z
  EXPECT_EQ(time.back(), 'Z') << time;
  doc.Parse(got[1].c_str());
  EXPECT_STREQ(doc["level"].GetString(), "warning");  // as in text lines
}

TEST_F(JsonLogFormatTest, SecretsAreRedactedInEveryField) {
  get_logger(std::string("x") + kSecret)->error("token {}", kSecret);
  const auto got = lines();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].find(kSecret), std::string::npos) << got[0];
  rapidjson::Document doc;
  doc.Parse(got[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << got[0];
  EXPECT_STREQ(doc["message"].GetString(), "token [REDACTED]");
}

TEST_F(JsonLogFormatTest, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  spdlog::info("caf\xc3\xa9 \xff\xfe end \xe2\x82");
  const auto got = lines();
  ASSERT_EQ(got.size(), 1u);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(got[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << got[0];
  EXPECT_STREQ(doc["message"].GetString(),
               "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd\xef\xbf\xbd");
}

TEST_F(JsonLogFormatTest, TextFormatComesBack) {
  set_log_format(LogFormat::kText);
  spdlog::info("plain");
  const auto got = lines();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].find("info [jsonsvc] plain"), std::string::npos) << got[0];
}

TEST(LogFormatTest, ParsesTextAndJsonAndNamesTheKeyOtherwise) {
  EXPECT_EQ(parse_log_format("json"), LogFormat::kJson);
  EXPECT_EQ(parse_log_format("text"), LogFormat::kText);
  try {
    parse_log_format("xml");
    FAIL() << "xml accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("log.format"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace jirasync
