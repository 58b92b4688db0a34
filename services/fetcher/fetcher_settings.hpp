#pragma once

#include <cstdint>
#include <string>

#include "common/config/config.hpp"

namespace jirasync {

// Everything the fetcher role is told, built once where the role is wired up.
struct FetcherSettings {
  std::string topic_prefix = KafkaSettings{}.topic_prefix;
  JiraSettings jira;                 // jira.*: paging, retries, the shared rate, concurrency
  int max_run_attempts = 3;          // runs.max_attempts: a failed attempt is retried up to this
  int64_t run_retry_base_ms = 5000;  // first wait before a run's next attempt, doubling
  // Spread a listed run's bulkfetch chunks over every fetcher as slices on
  // fetch.slices (and fetch the slices this fetcher is given). Off: a listed
  // run fetches its chunks itself (unit tests that drive one step at a time).
  bool slices = true;

  // The fetcher's part of `config`. Throws ConfigError for an unusable
  // jira.concurrency or runs.max_attempts: validate_config() checks a loaded
  // file under the same keys, and this refuses a Config built in code.
  static FetcherSettings from(const Config& config);
};

}  // namespace jirasync
