// librdkafka's own log lines reach the process log (format and redaction),
// not stderr, for every client the bus builds.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "common/bus/group_lag.hpp"
#include "common/bus/kafka_bus.hpp"
#include "common/log/logging.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;

// Keeps what was written; read under the sink's own lock (librdkafka logs
// from its threads while the test reads).
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string text() {
    std::lock_guard lk(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    text_.append(line.data(), line.size());
  }
  void flush_() override {}

 private:
  std::string text_;
};

class KafkaLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    init_logging("debug", "bussvc", sink_);
    set_log_format(LogFormat::kJson);
    // Nothing listens on port 1: every client logs its failed connections.
    settings_.brokers = "127.0.0.1:1";
    settings_.api_version_request = "false";
    settings_.broker_version_fallback = "0.9.0.1";
  }
  void TearDown() override {
    set_log_format(LogFormat::kText);
    init_logging("warn", "bussvc");
  }

  // Polls the captured log until a line names the broker (deadline 10 s).
  bool logged_broker_line() {
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < until) {
      if (captured().find("127.0.0.1:1") != std::string::npos) return true;
      std::this_thread::yield();
    }
    return false;
  }
  std::string captured() { return sink_->text(); }

  std::shared_ptr<CapturingSink> sink_ = std::make_shared<CapturingSink>();
  KafkaSettings settings_;
};

TEST_F(KafkaLogTest, TheCheckClientsLinesGoThroughTheLog) {
  KafkaBus bus(settings_);
  EXPECT_THROW(bus.topic_names(500ms), BusError);
  EXPECT_TRUE(logged_broker_line()) << captured();
  EXPECT_EQ(captured().rfind("{\"time\":", 0), 0u) << "not JSON lines:\n" << captured();
}

TEST_F(KafkaLogTest, TheLagReadersLinesGoThroughTheLog) {
  GroupLagReader reader(settings_, "log-test-group");
  EXPECT_THROW(reader.read({"t"}, 500ms), BusError);
  EXPECT_TRUE(logged_broker_line()) << captured();
}

}  // namespace
}  // namespace jirasync
