#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/model/issue_parser.hpp"

namespace jirasync {

// Everything the reconciler role is told, built once where the role is wired up.
struct ReconcilerSettings {
  std::string topic_prefix = KafkaSettings{}.topic_prefix;
  std::vector<ProjectSettings> projects;  // their conflict strategies
  ParseLimits limits;                     // limits.max_issue_bytes, limits.max_field_bytes
  int max_batch = 500;                    // reconciler.batch_size: records per round
  int64_t linger_ms = 20;  // reconciler.linger_ms: how long a partial batch waits for more
  std::chrono::milliseconds poll_timeout{200};     // idle wait for the first record
  std::chrono::milliseconds flush_timeout{30000};  // producer acknowledgement deadline
  int64_t retry_backoff_ms = 200;                  // after a store or bus failure, doubling
  int64_t retry_backoff_max_ms = 30000;
  int64_t progress_log_ms = 30000;

  // The reconciler's part of `config` (validated by validate_config()).
  static ReconcilerSettings from(const Config& config);
};

}  // namespace jirasync
