// Which connection of a replay rebuilds a ticket.
#include "cli/rebuild_shards.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace jirasync {
namespace {

TEST(RebuildShardTest, OneConnectionTakesEveryTicket) {
  EXPECT_EQ(rebuild_shard("10001", 1), 0u);
  EXPECT_EQ(rebuild_shard("", 0), 0u);
}

TEST(RebuildShardTest, ATicketAlwaysGoesToTheSameConnection) {
  EXPECT_EQ(rebuild_shard("10001", 2), rebuild_shard(std::string("10001"), 2));
  // Fixed values (FNV-1a, checked by hand): the same split on every run and platform.
  EXPECT_EQ(rebuild_shard("10001", 2), 1u);
  EXPECT_EQ(rebuild_shard("10002", 2), 0u);
}

TEST(RebuildShardTest, TicketsSpreadOverEveryConnection) {
  for (size_t shards : {2u, 3u, 4u}) {
    std::vector<int> per(shards, 0);
    for (int id = 10000; id < 12000; ++id) {
      const size_t s = rebuild_shard(std::to_string(id), shards);
      ASSERT_LT(s, shards);
      ++per[s];
    }
    for (size_t s = 0; s < shards; ++s) {
      EXPECT_GT(per[s], 2000 / static_cast<int>(shards) / 2) << s << " of " << shards;
    }
  }
}

}  // namespace
}  // namespace jirasync
