#include <gtest/gtest.h>

#include <algorithm>

#include "common/store/sql_query.hpp"
#include "common/store/store_test_support.hpp"
#include "services/fetcher/cached_issue_ids.hpp"

namespace jirasync {
namespace {

class SqlCachedIssueIdsTest : public testing::StoreTest {
 protected:
  void ticket(const std::string& id, const std::string& project, bool deleted) {
    auto lock = db()->lock();
    SqlQuery(
        "INSERT INTO tickets (id, key, project, created_ms, updated_ms, content_hash, "
        "first_seen_ms, last_synced_ms, deleted) VALUES (?, ?, ?, 1, 2, 'h', 3, 4, ?)")
        .arg(id)
        .arg(project + "-" + id)
        .arg(project)
        .arg(deleted ? 1 : 0)
        .execute(db()->session());
  }
};

TEST_P(SqlCachedIssueIdsTest, ListsTheLiveTicketsOfOneProject) {
  ticket("10001", "WRKA", false);
  ticket("10002", "WRKA", true);  // deleted: the sweep must fetch it if Jira has it
  ticket("10003", "WRKA", false);
  ticket("10004", "WMB", false);
  SqlCachedIssueIds ids(scratch_->open_another());
  auto live = ids.live_ids("WRKA");
  std::sort(live.begin(), live.end());
  EXPECT_EQ(live, (std::vector<std::string>{"10001", "10003"}));
  EXPECT_TRUE(ids.live_ids("NONE").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlCachedIssueIdsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
