#include "common/log/logging.hpp"

#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "common/log/base64.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {
namespace {

// Shaped like an Atlassian API token; not a real one.
constexpr const char* kToken =
    "ATATT3xFfGF0Wq8ZrT2yUiOpLkJhGfDsA1s2D3f4G5h6J7k8L9z0XcVbNm-QwErTy_UiOp.9f8E7d6C";
constexpr const char* kEmail = "qa.lead@example.com";

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SecretRedactor::process().add_basic_auth(kEmail, kToken);
    init_logging("debug", "testsvc", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  }
  std::string captured() {
    spdlog::default_logger()->flush();
    return out_.str();
  }
  std::ostringstream out_;
};

TEST_F(LoggingTest, LinesCarryLevelAndLoggerName) {
  spdlog::info("fetched {} issues", 42);
  const std::string text = captured();
  EXPECT_NE(text.find("info [testsvc] fetched 42 issues"), std::string::npos) << text;
}

TEST_F(LoggingTest, TokenLoggedDirectlyIsMasked) {
  spdlog::warn("token is {}", kToken);
  const std::string text = captured();
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_NE(text.find("token is [REDACTED]"), std::string::npos) << text;
}

TEST_F(LoggingTest, TokenInsideExceptionMessageIsMasked) {
  try {
    throw std::runtime_error(std::string("jira said no to ") + kToken);
  } catch (const std::exception& e) {
    spdlog::error("request failed: {}", e.what());
  }
  const std::string text = captured();
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_NE(text.find("request failed"), std::string::npos) << text;
}

TEST_F(LoggingTest, Base64BasicHeaderIsMasked) {
  const std::string b64 = base64_encode(std::string(kEmail) + ":" + kToken);
  spdlog::debug("sending Authorization: Basic {}", b64);
  const std::string text = captured();
  EXPECT_EQ(text.find(b64), std::string::npos) << text;
  EXPECT_NE(text.find("Authorization: [REDACTED]"), std::string::npos) << text;
}

TEST_F(LoggingTest, UnregisteredBasicCredentialIsMaskedByPattern) {
  const std::string b64 = base64_encode("someone@example.com:ATATT3xOtherUnregisteredToken0042");
  spdlog::info("retrying with Basic {}", b64);
  EXPECT_EQ(captured().find(b64), std::string::npos);
}

TEST_F(LoggingTest, TokenAndPasswordInsideUrlsAreMasked) {
  spdlog::info("GET https://jira.example.com/rest?token={} failed", kToken);
  spdlog::info("db postgresql://jirasync:Pg-Pass-0042@127.0.0.1:5433/jirasync unreachable");
  const std::string text = captured();
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_EQ(text.find("Pg-Pass-0042"), std::string::npos) << text;
  EXPECT_NE(text.find("jirasync:[REDACTED]@127.0.0.1"), std::string::npos) << text;
}

TEST_F(LoggingTest, NamedLoggersGoThroughTheSameRedaction) {
  auto log = get_logger("jira");
  EXPECT_EQ(log->name(), "testsvc.jira");
  EXPECT_EQ(get_logger("jira"), log);
  log->info("auth {}", kToken);
  const std::string text = captured();
  EXPECT_EQ(text.find(kToken), std::string::npos) << text;
  EXPECT_NE(text.find("[testsvc.jira] auth [REDACTED]"), std::string::npos) << text;
}

TEST_F(LoggingTest, LevelFiltersLines) {
  init_logging("warn", "testsvc", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
  spdlog::info("quiet line");
  spdlog::warn("loud line");
  const std::string text = captured();
  EXPECT_EQ(text.find("quiet line"), std::string::npos);
  EXPECT_NE(text.find("loud line"), std::string::npos);
}

TEST(LogLevelTest, ParsesKnownAndRejectsUnknown) {
  EXPECT_EQ(parse_log_level("error"), spdlog::level::err);
  EXPECT_EQ(parse_log_level("trace"), spdlog::level::trace);
  EXPECT_THROW(parse_log_level("verbose"), std::invalid_argument);
  EXPECT_THROW(init_logging("loud", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace jirasync
