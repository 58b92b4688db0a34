#include "services/writer/pending_batch.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

BusMessage message(int32_t partition, int64_t offset) {
  return BusMessage{"jirasync.issues.decided", partition, offset, "k", "v"};
}

Decision decision(const std::string& id) {
  Decision d;
  d.kind = DecisionKind::kInsert;
  d.issue_id = id;
  d.item_key = id;
  return d;
}

TEST(PendingBatch, CoversTheNextOffsetOfEveryPartitionIncludingDeadLetters) {
  PendingBatch batch;
  EXPECT_TRUE(batch.empty());
  batch.add(message(0, 4), decision("1"), 1000);
  batch.add(message(1, 9), decision("2"), 1005);
  batch.add_dead_letter(message(0, 5), "decision: bad", 1010);

  EXPECT_EQ(batch.records(), 3);
  EXPECT_EQ(batch.started_ms(), 1000);
  ASSERT_EQ(batch.decisions().size(), 2u);
  ASSERT_EQ(batch.dead_letters().size(), 1u);
  EXPECT_EQ(batch.dead_letters()[0].reason, "decision: bad");

  auto stored = batch.stored_offsets();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].partition, 0);
  EXPECT_EQ(stored[0].next_offset, 6);
  EXPECT_EQ(stored[1].partition, 1);
  EXPECT_EQ(stored[1].next_offset, 10);
  auto commits = batch.commit_offsets();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].offset, 6);
  EXPECT_EQ(commits[1].topic, "jirasync.issues.decided");
  EXPECT_EQ(commits[1].offset, 10);
}

TEST(PendingBatch, ClearStartsAFreshLinger) {
  PendingBatch batch;
  batch.add(message(0, 0), decision("1"), 1000);
  batch.clear();
  EXPECT_TRUE(batch.empty());
  EXPECT_TRUE(batch.stored_offsets().empty());
  batch.add(message(0, 1), decision("2"), 2000);
  EXPECT_EQ(batch.started_ms(), 2000);
}

}  // namespace
}  // namespace jirasync
