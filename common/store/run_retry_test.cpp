#include "common/store/run_retry.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(RunRetryPolicy, DoublesTheWaitUntilTheAttemptsAreUsedUp) {
  const RunRetryPolicy policy{3, 5000};
  EXPECT_EQ(policy.next_attempt_ms(1, 100), 5100);
  EXPECT_EQ(policy.next_attempt_ms(2, 100), 10100);
  EXPECT_EQ(policy.next_attempt_ms(3, 100), std::nullopt);
  EXPECT_EQ(RunRetryPolicy{1}.next_attempt_ms(1, 100), std::nullopt);
}

TEST(RunRetryPolicy, ManyAttemptsDoNotOverflow) {
  const RunRetryPolicy policy{1000, 5000};
  EXPECT_EQ(policy.next_attempt_ms(999, 0), 5000 * (int64_t{1} << 20));
}

}  // namespace
}  // namespace jirasync
