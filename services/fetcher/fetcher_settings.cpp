#include "services/fetcher/fetcher_settings.hpp"

#include "common/store/run_retry.hpp"

namespace jirasync {

FetcherSettings FetcherSettings::from(const Config& config) {
  if (config.jira.concurrency < 1) {
    throw ConfigError("jira.concurrency",
                      "must be at least 1, got " + std::to_string(config.jira.concurrency));
  }
  if (config.max_run_attempts < 1) {
    throw ConfigError("runs.max_attempts",
                      "must be at least 1, got " + std::to_string(config.max_run_attempts));
  }
  FetcherSettings s;
  s.topic_prefix = config.kafka.topic_prefix;
  s.jira = config.jira;
  s.max_run_attempts = config.max_run_attempts;
  s.run_retry_base_ms = RunRetryPolicy::kDefaultBaseMs;
  return s;
}

}  // namespace jirasync
