#include "common/jira/retry_after.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;  // Tue, 14 Nov 2023 22:13:20 GMT

TEST(RetryAfter, ReadsDelaySeconds) {
  EXPECT_EQ(parse_retry_after_ms("7", kNow), 7000);
  EXPECT_EQ(parse_retry_after_ms(" 0 ", kNow), 0);
  EXPECT_EQ(parse_retry_after_ms("120", kNow), 120000);
}

TEST(RetryAfter, ReadsAnHttpDateAgainstNow) {
  EXPECT_EQ(parse_retry_after_ms("Tue, 14 Nov 2023 22:13:50 GMT", kNow), 30000);
  EXPECT_EQ(parse_retry_after_ms("Wed, 15 Nov 2023 00:00:00 GMT", kNow), 6'400'000);
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", kNow), 0);  // past: go now
}

TEST(RetryAfter, RejectsAnythingElse) {
  EXPECT_EQ(parse_retry_after_ms("", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("-5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("1.5", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("soon", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("Tue, 14 Foo 2023 22:13:50 GMT", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("Tue, 14 Nov 2023 22:13:50 PST", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("99999999999999999999", kNow), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("864000", kNow), std::nullopt);  // ten days: not a rate limit
}

}  // namespace
}  // namespace jirasync
