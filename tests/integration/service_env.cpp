#include "tests/integration/service_env.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace jirasync::integration {
namespace {

std::string optional_env(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}

}  // namespace

std::string required_env(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') {
    throw std::runtime_error(name +
                             " is not set: start the test services and export their settings "
                             "with `scripts/services.sh start && eval \"$(scripts/services.sh "
                             "env)\"` (scripts/test.sh does this)");
  }
  return v;
}

KafkaSettings test_kafka_settings() {
  KafkaSettings s;
  s.brokers = required_env("JIRASYNC_TEST_KAFKA_BROKERS");
  s.topic_prefix = required_env("JIRASYNC_TEST_TOPIC_PREFIX");
  s.api_version_request = optional_env("JIRASYNC_KAFKA_API_VERSION_REQUEST", "false");
  s.broker_version_fallback = optional_env("JIRASYNC_KAFKA_BROKER_VERSION_FALLBACK", "0.9.0.1");
  s.session_timeout_ms = std::stoi(optional_env("JIRASYNC_KAFKA_SESSION_TIMEOUT_MS", "10000"));
  return s;
}

std::string pg_connect_string(const std::string& url) {
  const std::string scheme = "postgresql://";
  if (url.rfind(scheme, 0) != 0) {
    throw std::invalid_argument("JIRASYNC_TEST_PG_URL: expected " + scheme +
                                "user@host:port/dbname, got a different scheme");
  }
  std::string rest = url.substr(scheme.size());
  auto at = rest.find('@');
  auto slash = rest.find('/', at == std::string::npos ? 0 : at);
  if (at == std::string::npos || slash == std::string::npos) {
    throw std::invalid_argument("JIRASYNC_TEST_PG_URL: expected " + scheme +
                                "user@host:port/dbname (user or database missing)");
  }
  std::string user = rest.substr(0, at);
  std::string password;
  if (auto colon = user.find(':'); colon != std::string::npos) {
    password = user.substr(colon + 1);
    user.resize(colon);
  }
  std::string hostport = rest.substr(at + 1, slash - at - 1);
  std::string host = hostport, port = "5432";
  if (auto colon = hostport.rfind(':'); colon != std::string::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  std::string out =
      "host=" + host + " port=" + port + " dbname=" + rest.substr(slash + 1) + " user=" + user;
  if (!password.empty()) out += " password=" + password;
  return out;
}

std::string unique_name(const std::string& stem) {
  static std::atomic<int> counter{0};
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(ms) + "_" +
         std::to_string(counter++);
}

}  // namespace jirasync::integration
