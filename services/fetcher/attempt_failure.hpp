#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>

#include "common/store/run_retry.hpp"

namespace jirasync {

// What becomes of a run whose attempt failed: another attempt after the run
// backoff, or failed for good — when its attempts are used up, or when Jira
// rejected the credentials (waiting does not mend a token; retrying only
// delays the message the user needs).
struct AttemptFailure {
  std::string reason;                      // what the run records and shows
  std::optional<int64_t> next_attempt_ms;  // nullopt: the run fails now
};

AttemptFailure attempt_failure(const std::exception& error, int attempt,
                               const RunRetryPolicy& policy, int64_t now_ms);

}  // namespace jirasync
