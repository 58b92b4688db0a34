#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {

// Everything the writer role is told, built once where the role is wired up.
struct WriterSettings {
  std::string topic_prefix = KafkaSettings{}.topic_prefix;
  int batch_size = 500;                         // writer.batch_size: decisions per transaction
  int64_t linger_ms = 50;                       // writer.linger_ms: how long a partial batch waits
  std::chrono::milliseconds poll_timeout{100};  // longest idle wait for one record
  std::chrono::milliseconds flush_timeout{30000};  // dead-letter acknowledgement deadline
  int64_t retry_backoff_ms = 200;                  // after a database failure, doubling
  int64_t retry_backoff_max_ms = 30000;
  int64_t lag_refresh_ms = 5000;  // how often the consumer lag gauge is refreshed
  // Apply each batch on the writer's apply thread while the next one is
  // read and decoded: the database's work and the writer's then overlap. Off: every
  // apply finishes inside the step that starts it (deterministic tests).
  bool apply_in_background = true;

  // The writer's part of `config`. Throws ConfigError for an unusable
  // writer.batch_size or writer.linger_ms: validate_config() checks a loaded
  // file under the same keys, and this refuses a Config built in code.
  static WriterSettings from(const Config& config);
};

}  // namespace jirasync
