// `jirasync replay` rebuilds the cache's derived rows from issues.raw: into an
// emptied cache, over a column a migration left empty, and after a kill -9 in
// the middle; user state (local edits, notes, tags, links, conflicts) stays.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "tests/e2e/pipeline_harness.hpp"

namespace jirasync::e2e {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kIssues = 10000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Every row of a query whose only column is text.
std::vector<std::string> texts(Database& db, const std::string& sql) {
  auto lock = db.lock();
  soci::rowset<std::string> rows = db.session().prepare << sql;
  return {rows.begin(), rows.end()};
}

void execute(Database& db, const std::string& sql) {
  auto lock = db.lock();
  db.session() << sql;
}

// Starts `role` and waits until its consumer holds partitions (it is then a group member).
void start_and_wait_for_assignment(PipelineHarness& h, const std::string& role) {
  const std::string log = h.dir() + "/" + role + ".log";
  std::error_code ignored;
  const auto from = std::filesystem::exists(log) ? std::filesystem::file_size(log, ignored) : 0;
  h.start_service(role);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        std::ifstream in(log, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(from));
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return text.find("assigned") != std::string::npos;
      },
      60s))
      << role << " never got its partitions\n"
      << h.logs();
}

int64_t ticket_count(Database& db) {
  auto lock = db.lock();
  long long n = 0;
  db.session() << "SELECT COUNT(*) FROM tickets", soci::into(n);
  return n;
}

// Every index of the cache's tables, with its definition.
std::vector<std::string> index_definitions(Database& db) {
  return texts(db,
               "SELECT indexname || ': ' || indexdef FROM pg_indexes "
               "WHERE schemaname = current_schema() ORDER BY indexname");
}

// Indexes a replay dropped and has not built again.
int64_t deferred_index_count(Database& db) {
  auto lock = db.lock();
  long long n = 0;
  db.session() << "SELECT COUNT(*) FROM deferred_indexes", soci::into(n);
  return n;
}

// Every column of every ticket but the cache's own clock readings (first
// seen, last synced, deleted at): a rebuild restores what Jira said, not when.
// New columns are compared without being named here.
std::vector<std::string> derived_rows(Database& db) {
  return texts(db,
               "SELECT (to_jsonb(t) - 'first_seen_ms' - 'last_synced_ms' - 'deleted_ms')::text "
               "FROM tickets t ORDER BY id");
}

// Every comment, link, sub-task, attachment and label row, as JSON.
std::vector<std::string> list_rows(Database& db) {
  std::vector<std::string> out;
  for (const char* table : {"ticket_comments", "ticket_links", "ticket_subtasks",
                            "ticket_attachments", "ticket_labels"}) {
    for (auto& row : texts(db, std::string("SELECT '") + table + "' || to_jsonb(t)::text FROM " +
                                   table + " t ORDER BY 1")) {
      out.push_back(std::move(row));
    }
  }
  return out;
}

std::vector<std::string> user_rows(Database& db) {
  std::vector<std::string> out;
  for (const char* sql : {"SELECT to_jsonb(t)::text FROM local_edits t ORDER BY ticket_id, field",
                          "SELECT to_jsonb(t)::text FROM notes t ORDER BY id",
                          "SELECT to_jsonb(t)::text FROM tags t ORDER BY ticket_id, tag",
                          "SELECT to_jsonb(t)::text FROM links t ORDER BY 1",
                          "SELECT to_jsonb(t)::text FROM conflicts t ORDER BY id",
                          "SELECT to_jsonb(t)::text FROM ticket_keys t ORDER BY 1"}) {
    for (auto& row : texts(db, sql)) out.push_back(std::move(row));
  }
  return out;
}

// A synced cache of 10,000 + 200 issues with a move, a sweep deletion, a
// manual conflict, local edits, notes, tags and links; the reconciler and the
// writer stopped (the scheduler and fetcher keep running).
class Replay : public ::testing::Test {
 protected:
  void SetUp() override {
    h.start_simulator("WRKA:" + std::to_string(kIssues) + ",WMB:200");
    h.configure({.projects = {{"WRKA"}, {"WMB", "MANUAL"}}});
    h.start_all_services();
    ASSERT_EQ(h.sync({"--full"}).size(), 2u);

    for (const auto& args :
         std::vector<std::vector<std::string>>{{"edit", "WRKA-1", "summary", "my own summary"},
                                               {"edit", "WMB-5", "summary", "local summary"},
                                               {"note", "WRKA-2", "seen failing on staging"},
                                               {"tag", "WRKA-2", "flaky", "e2e"},
                                               {"link", "WRKA-3", "testcase:TC-17"},
                                               {"link", "WMB-6", "testcase:TC-18"}}) {
      const auto r = h.cli(args);
      ASSERT_EQ(r.exit_code, 0) << r.output;
    }
    h.sim().update_issue("WMB-5", R"({"summary":"changed in Jira"})");  // MANUAL: stays open
    h.sim().control("POST", "/__sim/issues/WMB-6/move", R"({"project":"WRKA"})");
    h.sim().control("DELETE", "/__sim/issues/WMB-7");
    ASSERT_EQ(h.sync({"--full"}).size(), 2u);
    ASSERT_EQ(h.tickets().conflicts("", true).size(), 1u);

    h.stop_service("reconciler");
    h.stop_service("writer");
    tickets_before = derived_rows(h.database());
    lists_before = list_rows(h.database());
    user_before = user_rows(h.database());
    indexes_before = index_definitions(h.database());
    ASSERT_EQ(static_cast<int64_t>(tickets_before.size()), kIssues + 200);
  }

  void expect_rebuilt(const testing::CommandResult& replay) {
    std::printf("%s", replay.output.c_str());  // the summary, for whoever reads the test log
    const auto after = derived_rows(h.database());
    ASSERT_EQ(after.size(), tickets_before.size());
    size_t differing = 0;
    for (size_t i = 0; i < after.size(); ++i) {
      if (after[i] != tickets_before[i] && differing++ < 3) {
        ADD_FAILURE() << "ticket differs after the replay:\n  before " << tickets_before[i]
                      << "\n  after  " << after[i];
      }
    }
    EXPECT_EQ(differing, 0u);
    // Compared whole only when equal in number, to keep a failure's output short.
    const auto lists_after = list_rows(h.database());
    ASSERT_EQ(lists_after.size(), lists_before.size());
    EXPECT_TRUE(lists_after == lists_before) << "a comment, link, sub-task, attachment or label "
                                                "row differs after the replay";
    EXPECT_EQ(user_rows(h.database()), user_before);
  }

  // The pipeline carries on from the rebuilt cache.
  // A replay in batches of 20 (so that it has a middle), once it has written
  // 2,000 tickets of the emptied cache.
  std::unique_ptr<testing::ChildProcess> replay_in_its_middle(const std::string& log) {
    auto replay = std::make_unique<testing::ChildProcess>(
        std::vector<std::string>{testing::binary_path("jirasync"), "--config",
                                 h.dir() + "/jirasync.yaml", "replay", "--batch-size", "20"},
        std::map<std::string, std::string>{{"JIRA_API_TOKEN", "jirasim-demo-token"}},
        h.dir() + "/" + log);
    EXPECT_TRUE(testing::wait_until([&] { return ticket_count(h.database()) >= 2000; }, 120s))
        << replay->log_tail();
    return replay;
  }

  void expect_pipeline_resumes() {
    h.start_service("reconciler");
    h.start_service("writer");
    h.sim().update_issue("WRKA-10", R"({"summary":"after the replay"})");
    ASSERT_EQ(h.sync({"--project", "WRKA"}).size(), 1u);
    h.expect_cache_equals_jira("WRKA");
    EXPECT_EQ(h.duplicated_changes(), std::vector<std::string>{});
  }

  PipelineHarness h;
  std::vector<std::string> tickets_before;
  std::vector<std::string> lists_before;
  std::vector<std::string> user_before;
  std::vector<std::string> indexes_before;
};

TEST_F(Replay, RefusesWhileTheReconcilerOrWriterRuns) {
  start_and_wait_for_assignment(h, "writer");
  auto r = h.cli({"replay"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the writer is running"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("the reconciler is running"), std::string::npos) << r.output;
  start_and_wait_for_assignment(h, "reconciler");
  r = h.cli({"replay"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("the reconciler is running"), std::string::npos) << r.output;
  EXPECT_EQ(derived_rows(h.database()), tickets_before);
}

TEST_F(Replay, RebuildsAnEmptiedCacheAndLeavesUserStateAlone) {
  execute(h.database(), "DELETE FROM tickets");
  const auto r = h.cli({"replay"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("0 before, " + std::to_string(kIssues + 200) + " now"), std::string::npos)
      << r.output;
  // The emptied cache's comments and other list rows belonged to no ticket:
  // emptied first, each snapshot brings its ticket's back (expect_rebuilt).
  EXPECT_NE(r.output.find("label rows that belonged to none"), std::string::npos) << r.output;
  // Into an empty cache the secondary indexes are built after the rows: all back, as they were.
  EXPECT_NE(r.output.find("built over the rows afterwards"), std::string::npos) << r.output;
  EXPECT_EQ(index_definitions(h.database()), indexes_before);
  EXPECT_EQ(deferred_index_count(h.database()), 0);
  expect_rebuilt(r);
  expect_pipeline_resumes();
}

TEST_F(Replay, FillsADerivedColumnThatAMigrationLeftEmpty) {
  // As a migration adding a column would leave it: empty on every row, the
  // content hash unchanged (so a sync would skip every issue).
  execute(h.database(), "UPDATE tickets SET description_text = '', custom_fields = '{}'");
  ASSERT_NE(derived_rows(h.database()), tickets_before);
  const auto r = h.cli({"replay"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_rebuilt(r);
  expect_pipeline_resumes();
}

TEST_F(Replay, KilledInTheMiddleThenRunAgainRebuildsEverything) {
  execute(h.database(), "DELETE FROM tickets");
  replay_in_its_middle("replay-killed.log")->kill_hard();
  const int64_t partial = ticket_count(h.database());
  ASSERT_LT(partial, kIssues + 200) << "the replay ended before it was killed";
  const auto r = h.cli({"replay"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_rebuilt(r);
  expect_pipeline_resumes();
}

TEST_F(Replay, KilledWhileItsIndexesWaitThenTheNextProcessBuildsThem) {
  execute(h.database(), "DELETE FROM tickets");
  replay_in_its_middle("replay-killed.log")->kill_hard();
  ASSERT_LT(ticket_count(h.database()), kIssues + 200) << "the replay ended before it was killed";
  // Killed mid-way: the ticket tables' secondary indexes are gone, their
  // definitions wait (the primary keys the upserts need stayed).
  EXPECT_GE(deferred_index_count(h.database()), 15);
  const auto while_waiting = index_definitions(h.database());
  EXPECT_LT(while_waiting.size(), indexes_before.size());
  for (const auto& index : while_waiting) {
    EXPECT_NE(std::find(indexes_before.begin(), indexes_before.end(), index), indexes_before.end())
        << index;
  }

  // The next process that opens the cache builds them (a read command here;
  // the roles run the same step when they start).
  const auto status = h.cli({"status"});
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_EQ(index_definitions(h.database()), indexes_before);
  EXPECT_EQ(deferred_index_count(h.database()), 0);

  const auto r = h.cli({"replay"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("indexes kept"), std::string::npos) << r.output;
  EXPECT_EQ(index_definitions(h.database()), indexes_before);
  expect_rebuilt(r);
  expect_pipeline_resumes();
}

TEST_F(Replay, StoppedInTheMiddleBuildsItsIndexesBeforeItExits) {
  execute(h.database(), "DELETE FROM tickets");
  auto replay_process = replay_in_its_middle("replay-stopped.log");
  testing::ChildProcess& replay = *replay_process;
  ASSERT_GE(deferred_index_count(h.database()), 15) << replay.log_tail();
  EXPECT_EQ(replay.stop(std::chrono::seconds(120)), 1) << replay.log_tail();  // SIGTERM
  ASSERT_LT(ticket_count(h.database()), kIssues + 200) << "the replay ended before it was stopped";
  EXPECT_NE(replay.log_tail().find("stopped: interrupted"), std::string::npos) << replay.log_tail();
  EXPECT_EQ(deferred_index_count(h.database()), 0);
  EXPECT_EQ(index_definitions(h.database()), indexes_before);
}

TEST(ReplayEmbedded, SaysThatTheInProcessBusKeepsNoTopic) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("jirasync-replay-embedded-" + std::to_string(now_ms()));
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "jirasync.yaml").string();
  std::ofstream(config) << "bus: inprocess\ndatabase_url: sqlite:" << (dir / "cache.db").string()
                        << "\njira:\n  base_url: http://127.0.0.1:9\n  email: a@b.test\n"
                        << "projects:\n  - key: WRKA\n";
  const auto r =
      testing::run_to_exit({testing::binary_path("jirasync"), "--config", config, "replay"},
                           {{"JIRA_API_TOKEN", "x"}}, (dir / "replay.log").string(), 60s);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("in-process bus"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("sync --refetch"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace jirasync::e2e
