#include "services/fetcher/fetcher_settings.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(FetcherSettings, TakesTheFetchersPartOfTheConfig) {
  Config config;
  config.kafka.topic_prefix = "acme.";
  config.jira.concurrency = 3;
  config.jira.page_size = 50;
  config.max_run_attempts = 7;
  const FetcherSettings s = FetcherSettings::from(config);
  EXPECT_EQ(s.topic_prefix, "acme.");
  EXPECT_EQ(s.jira.concurrency, 3);
  EXPECT_EQ(s.jira.page_size, 50);
  EXPECT_EQ(s.max_run_attempts, 7);
  EXPECT_TRUE(s.slices);
}

TEST(FetcherSettings, RefusesAConfigBuiltInCodeThatNamesNoUsableValue) {
  Config config;
  config.jira.concurrency = 0;
  try {
    FetcherSettings::from(config);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "jira.concurrency");
  }
  config.jira.concurrency = 8;
  config.max_run_attempts = 0;
  try {
    FetcherSettings::from(config);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "runs.max_attempts");
  }
}

}  // namespace
}  // namespace jirasync
