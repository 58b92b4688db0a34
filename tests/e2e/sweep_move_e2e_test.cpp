// A full sync of the project an issue left must not record the move as a
// deletion: the old project's sweep no longer lists the issue, but Jira
// still has it under the new project.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

TEST(PipelineSweepMove, AMoveIsNotCountedAsADeletionByTheOldProjectsSweep) {
  PipelineHarness h;
  h.start_simulator("WRKA:60,WMB:40");
  h.configure({.projects = {{"WRKA"}, {"WMB"}}});
  h.start_all_services();
  ASSERT_EQ(h.sync({"--full"}).size(), 2u);

  struct Move {
    std::string id, old_key, new_key;
  };
  std::vector<Move> moves;
  for (const std::string old_key : {"WRKA-3", "WRKA-4", "WRKA-5"}) {
    const auto cached = h.tickets().find_by_key(old_key);
    ASSERT_TRUE(cached) << old_key << " was not synced by the first full run";
    auto moved =
        h.sim().control("POST", "/__sim/issues/" + old_key + "/move", R"({"project":"WMB"})");
    moves.push_back({cached->id, old_key, moved["key"].GetString()});
  }
  for (const std::string key : {"WRKA-20", "WRKA-21"})
    h.sim().control("DELETE", "/__sim/issues/" + key);

  // The old project first: its sweep runs while the cache still files the
  // moved issues under WRKA (the order that showed the bug), then the new one.
  const auto old_run = h.sync({"--full", "--project", "WRKA"});
  ASSERT_EQ(old_run.size(), 1u);
  const auto new_run = h.sync({"--full", "--project", "WMB"});
  ASSERT_EQ(new_run.size(), 1u);

  EXPECT_EQ(h.run(old_run[0])->stats.deleted, 2) << "Jira deleted 2 issues of WRKA";
  EXPECT_EQ(h.run(new_run[0])->stats.deleted, 0);
  for (const Move& m : moves) {
    for (const TicketChange& c : h.tickets().changes(m.id))
      EXPECT_NE(c.change, "deleted") << m.old_key << " was recorded as deleted by run " << c.run_id;
    const auto now = h.tickets().find_by_key(m.new_key);
    ASSERT_TRUE(now) << m.new_key << " (moved from " << m.old_key << ") is not in the cache";
    EXPECT_EQ(now->id, m.id);
    EXPECT_FALSE(now->deleted) << m.new_key;
    EXPECT_EQ(now->issue.project_key, "WMB");
  }
  for (const std::string key : {"WRKA-20", "WRKA-21"}) {
    const auto gone = h.tickets().find_by_key(key);
    EXPECT_TRUE(!gone || gone->deleted) << key << " was deleted in Jira but not in the cache";
  }
  h.expect_cache_equals_jira("WRKA");
  h.expect_cache_equals_jira("WMB");
  EXPECT_TRUE(h.duplicated_changes().empty());
}

}  // namespace
}  // namespace jirasync::e2e
