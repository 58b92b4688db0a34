// A project's sync scope end to end, in the single-process mode against
// jirasim: only matching issues are kept; an issue edited out of the scope is
// marked out of scope by the next full sync (not deleted, left out of
// searches, `out_of_scope` in the change feed), and one edited back in is
// restored by the full sync after that.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "common/store/database.hpp"
#include "common/store/sql_query.hpp"
#include "tests/e2e/simulator_process.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::CommandResult;
using jirasync::testing::run_to_exit;

const std::map<std::string, std::string> kEnv{{"JIRA_API_TOKEN", "jirasim-demo-token"}};

class SyncScope : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("jirasync-scope-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    sim = std::make_unique<e2e::SimulatorProcess>(dir.string(), "TEAM:30");
    // The team's issues: TEAM-1..5 carry its label, the rest none.
    for (int n = 1; n <= 30; ++n) {
      sim->update_issue("TEAM-" + std::to_string(n),
                        n <= 5 ? R"({"labels":["team-a"]})" : R"({"labels":[]})");
    }
    config = (dir / "jirasync.yaml").string();
    std::ofstream(config) << "jira:\n  base_url: " << sim->base_url()
                          << "\n  email: demo@jirasim.test\n"
                          << "projects:\n  - key: TEAM\n    jql: \"labels = team-a\"\n"
                          << "database_url: sqlite:" << (dir / "cache.db").string()
                          << "\nbus: inprocess\n";
  }
  void TearDown() override {
    sim.reset();
    if (!HasFailure()) fs::remove_all(dir);
  }
  CommandResult jirasync(std::vector<std::string> args) {
    args.insert(args.begin(), {binary_path("jirasync"), "-c", config});
    return run_to_exit(args, kEnv, (dir / ("cli-" + std::to_string(++calls) + ".log")).string(),
                       std::chrono::seconds(120));
  }
  void full_sync() {
    const auto r = jirasync({"sync", "--project", "TEAM", "--full", "--wait"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  int64_t count(const std::string& sql) {
    auto db = Database::open("sqlite:" + (dir / "cache.db").string());
    return SqlQuery(sql).fetch_one(db->session(), "i")->i64(0);
  }
  // The keys `search` prints for `jql` (first column of the table).
  std::string keys(const std::string& jql) {
    const auto r = jirasync({"search", jql + " ORDER BY key ASC", "--format", "csv"});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::string out;
    size_t at = 0;
    while (at < r.output.size()) {
      const size_t end = r.output.find('\n', at);
      const std::string line = r.output.substr(at, end - at);
      at = end == std::string::npos ? r.output.size() : end + 1;
      if (!line.starts_with("TEAM-")) continue;
      out += (out.empty() ? "" : " ") + line.substr(0, line.find(','));
    }
    return out;
  }

  fs::path dir;
  std::string config;
  int calls = 0;
  std::unique_ptr<e2e::SimulatorProcess> sim;
};

TEST_F(SyncScope, AnIssueEditedOutOfScopeIsMarkedNotDeletedAndComesBackWhenEditedBackIn) {
  full_sync();
  EXPECT_EQ(keys("project = TEAM"), "TEAM-1 TEAM-2 TEAM-3 TEAM-4 TEAM-5")
      << "only the scope is kept";
  EXPECT_EQ(count("SELECT COUNT(*) FROM tickets"), 5);

  sim->update_issue("TEAM-3", R"({"labels":["team-b"]})");
  full_sync();
  EXPECT_EQ(keys("project = TEAM"), "TEAM-1 TEAM-2 TEAM-4 TEAM-5");
  EXPECT_EQ(count("SELECT COUNT(*) FROM tickets WHERE key = 'TEAM-3' AND deleted = 0 AND "
                  "out_of_scope = 1"),
            1)
      << "out of scope, not deleted in Jira";
  EXPECT_EQ(count("SELECT COUNT(*) FROM tickets WHERE deleted = 1"), 0);
  EXPECT_EQ(keys("local.change = out_of_scope"), "TEAM-3");
  const auto feed = jirasync({"changes", "--since", "1h", "--format", "json"});
  ASSERT_EQ(feed.exit_code, 0) << feed.output;
  EXPECT_NE(feed.output.find("out_of_scope"), std::string::npos) << feed.output;
  EXPECT_EQ(feed.output.find("\"deleted\":true"), std::string::npos) << feed.output;

  sim->update_issue("TEAM-3", R"({"labels":["team-a"]})");
  full_sync();
  EXPECT_EQ(keys("project = TEAM"), "TEAM-1 TEAM-2 TEAM-3 TEAM-4 TEAM-5");
  EXPECT_EQ(count("SELECT out_of_scope FROM tickets WHERE key = 'TEAM-3'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ticket_changes c JOIN tickets t ON t.id = c.ticket_id "
                  "WHERE t.key = 'TEAM-3' AND c.change = 'in_scope'"),
            1);
}

TEST_F(SyncScope, AnIssueDeletedInJiraIsStillADeletion) {
  full_sync();
  sim->control("DELETE", "/__sim/issues/TEAM-2");
  full_sync();
  EXPECT_EQ(count("SELECT COUNT(*) FROM tickets WHERE key = 'TEAM-2' AND deleted = 1 AND "
                  "out_of_scope = 0"),
            1);
}

}  // namespace
}  // namespace jirasync
