// When a replay builds the ticket tables' indexes after the rows.
#include "cli/index_deferral.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

IndexDeferralFacts cold() {
  return {.postgres = true, .cached_tickets = 0, .records = 100000, .keep_indexes = false};
}

TEST(IndexDeferralTest, AnEmptyCacheOnPostgresqlDefers) {
  const IndexDeferral d = decide_index_deferral(cold());
  EXPECT_TRUE(d.defer);
  EXPECT_NE(d.reason.find("empty"), std::string::npos) << d.reason;
}

TEST(IndexDeferralTest, ACacheWithRowsKeepsItsIndexes) {
  IndexDeferralFacts f = cold();
  f.cached_tickets = 1;  // even one row: a replay in place must not drop indexes under it
  const IndexDeferral d = decide_index_deferral(f);
  EXPECT_FALSE(d.defer);
  EXPECT_NE(d.reason.find("1 tickets"), std::string::npos) << d.reason;
}

TEST(IndexDeferralTest, SqliteKeepsItsIndexes) {
  IndexDeferralFacts f = cold();
  f.postgres = false;
  EXPECT_FALSE(decide_index_deferral(f).defer);
  EXPECT_NE(decide_index_deferral(f).reason.find("SQLite"), std::string::npos);
}

TEST(IndexDeferralTest, KeepIndexesWins) {
  IndexDeferralFacts f = cold();
  f.keep_indexes = true;
  EXPECT_FALSE(decide_index_deferral(f).defer);
  EXPECT_NE(decide_index_deferral(f).reason.find("--keep-indexes"), std::string::npos);
}

TEST(IndexDeferralTest, NothingToReplayDropsNothing) {
  IndexDeferralFacts f = cold();
  f.records = 0;
  EXPECT_FALSE(decide_index_deferral(f).defer);
}

}  // namespace
}  // namespace jirasync
