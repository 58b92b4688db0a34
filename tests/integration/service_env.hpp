#pragma once

#include <string>

#include "common/config/config.hpp"

namespace jirasync::integration {

// The value of a JIRASYNC_TEST_* variable exported by `scripts/services.sh env`.
// Throws std::runtime_error naming the variable (and how to set it) when absent:
// an integration test without its services must fail, never pass quietly.
std::string required_env(const std::string& name);

// Kafka settings for the services.sh broker (0.9: no ApiVersion request).
KafkaSettings test_kafka_settings();

// Turns JIRASYNC_TEST_PG_URL (postgresql://user[:password]@host:port/dbname)
// into libpq keywords (SOCI 4.0.3 does not pass URLs through to libpq intact).
// Throws std::invalid_argument naming the part that is wrong.
std::string pg_connect_string(const std::string& url);

// A name no earlier run used: <stem>_<pid>_<milliseconds>_<counter>.
std::string unique_name(const std::string& stem);

}  // namespace jirasync::integration
