// The jirasync command line meets bad input: usage errors exit 2, a bad
// config stops before anything is created, text that would drive a terminal
// is refused on the way in and escaped on the way out, and every read
// command speaks --format json (and csv for lists).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_local_ticket_data.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;
using jirasync::testing::binary_path;
using jirasync::testing::run_to_exit;

constexpr char kEsc = '\x1b';

class CliInput : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() /
          ("jirasync-cli-input-" + std::to_string(getpid()) + "-" + test->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    db_path = dir / "cache.db";
    write_config("");
  }
  void TearDown() override { fs::remove_all(dir); }

  void write_config(const std::string& project_extra) {
    config = (dir / "jirasync.yaml").string();
    std::ofstream(config) << "projects:\n  - key: WRKA\n"
                          << project_extra << "database_url: sqlite:" << db_path.string()
                          << "\nbus: inprocess\n";
  }
  jirasync::testing::CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), {binary_path("jirasync"), "-c", config});
    return run_to_exit(args, {}, (dir / "cli.log").string(), std::chrono::seconds(60));
  }
  jirasync::testing::CommandResult bare(std::vector<std::string> args) {
    args.insert(args.begin(), binary_path("jirasync"));
    return run_to_exit(args, {}, (dir / "cli.log").string(), std::chrono::seconds(60));
  }

  // WRKA-1 as Jira sent it: a summary and description carrying terminal
  // escapes, and an open MANUAL conflict on its priority.
  void seed() {
    auto db = Database::open("sqlite:" + db_path.string());
    migrate(*db);
    SqlDecisionSink store(db);
    SqlLocalTicketData local(db);
    JiraIssue i = jirasync::testing::issue("10101", "WRKA-1", 5'000,
                                           std::string("Login ") + kEsc + "[2J fails");
    i.description_text = std::string("Steps ") + kEsc + "]0;owned" + '\x07' + " here";
    store.apply({jirasync::testing::snapshot("", i)}, "test", {}, 1'700'000'000'000);
    local.put_local_edit({"10101", "priority", "Low", 1'700'000'000'000});
    i.updated_ms = 6'000;
    i.priority = "Highest";
    Decision d = jirasync::testing::snapshot("", i, DecisionKind::kUpdate);
    ConflictResolution c;
    c.field = "priority";
    c.local_value = "Low";
    c.jira_value = std::string("Highest") + kEsc + "[5m";
    c.strategy = ConflictStrategy::kManual;
    c.outcome = "manual";
    d.conflicts = {c};
    store.apply({d}, "test", {}, 1'700'000'000'001);
  }

  static bool has_raw_escape(const std::string& output) {
    return output.find(kEsc) != std::string::npos || output.find('\x07') != std::string::npos;
  }

  fs::path dir;
  fs::path db_path;
  std::string config;
};

TEST_F(CliInput, UsageErrorsExitTwo) {
  const std::vector<std::vector<std::string>> usage_errors = {
      {},
      {"frobnicate"},
      {"runs", "--limit", "0"},
      {"runs", "--format", "xml"},
      {"resolve", "1"},
      {"edit", "WRKA-1", "colour", "red"},
      {"sync", "--keys", ","},
      {"sync", "--full", "--refetch"},
      {"tag", "WRKA-1", "two words"},
      {"link", "WRKA-1", "no-colon"},
      {"links", "BAD TYPE:1"},
      {"show"},
      {"show", "WRKA-1", "--format", "csv"},  // one ticket is not a list
  };
  for (const auto& args : usage_errors) {
    const auto r = cli(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit_code, 2) << joined << "\n" << r.output;
  }
  EXPECT_FALSE(fs::exists(db_path)) << "a usage error opened the cache";
  EXPECT_EQ(bare({"--help"}).exit_code, 0);
  EXPECT_EQ(bare({"--version"}).exit_code, 0);
  EXPECT_EQ(bare({"runs", "--help"}).exit_code, 0);
}

TEST_F(CliInput, DirectoryAsConfigIsRefusedAndCreatesNothing) {
  const fs::path work = dir / "work";
  fs::create_directories(work);
  const auto r = run_to_exit({"/bin/sh", "-c",
                              "cd '" + work.string() + "' && exec '" + binary_path("jirasync") +
                                  "' --config '" + work.string() + "' status"},
                             {}, (dir / "cli.log").string(), std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("is a directory"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(work)) << "created " << fs::directory_iterator(work)->path();
}

TEST_F(CliInput, CheckReadsCronExactlyAsTheSchedulerDoes) {
  write_config("    full_cron: '0 9 * * MON-FRY'\n");
  auto r = cli({"check"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("FAIL  config"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("projects[0].full_cron"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("day of week"), std::string::npos) << r.output;

  write_config("    incremental_cron: '0 9 * * MON-FRI'\n    full_cron: '@daily'\n");
  r = cli({"check"});
  EXPECT_NE(r.output.find("ok    config"), std::string::npos) << r.output;

  write_config("    incremental_cron: '0 25 * * *'\n");
  r = cli({"check"});
  EXPECT_NE(r.output.find("FAIL  config"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("projects[0].incremental_cron"), std::string::npos) << r.output;
}

TEST_F(CliInput, CheckCreatesNoDatabase) {
  const auto r = cli({"check"});
  EXPECT_NE(r.output.find("database"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not created yet"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(db_path)) << r.output;
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_TRUE(entry.path().filename() == "jirasync.yaml" || entry.path().filename() == "cli.log")
        << "check created " << entry.path();
  }
}

TEST_F(CliInput, ConflictsShowTicketKeys) {
  seed();
  const auto r = cli({"conflicts"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("WRKA-1"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("10101"), std::string::npos) << r.output;
}

TEST_F(CliInput, ControlCharactersAreRefusedOnTheWayIn) {
  seed();
  auto r = cli({"note", "WRKA-1", std::string("see ") + kEsc + "[31mred"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("control character"), std::string::npos) << r.output;
  r = cli({"edit", "WRKA-1", "summary", "two\nlines"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = cli({"edit", "WRKA-1", "summary", std::string("C1 \xc2\x9b") + "2J"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = cli({"edit", "WRKA-1", "summary", "bad utf-8 \xff"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // Newlines and tabs are text in a note or a description; so is Unicode.
  r = cli({"note", "WRKA-1", "line one\n\tline two, Grüße 🎉"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = cli({"edit", "WRKA-1", "description", "para one\n\npara two"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = cli({"show", "WRKA-1"});
  EXPECT_NE(r.output.find("Grüße 🎉"), std::string::npos) << r.output;
}

TEST_F(CliInput, JiraTextIsEscapedOnTheWayOut) {
  seed();
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"show", "WRKA-1"},
                                             {"conflicts"},
                                             {"conflicts", "--format", "csv"},
                                             {"conflicts", "--format", "json"},
                                             {"show", "WRKA-1", "--format", "json"}}) {
    const auto r = cli(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << "\n" << r.output;
    EXPECT_FALSE(has_raw_escape(r.output)) << args[0] << "\n" << r.output;
  }
  const auto r = cli({"show", "WRKA-1"});
  EXPECT_NE(r.output.find("Login \\x1B[2J fails"), std::string::npos) << r.output;
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

TEST_F(CliInput, ReadCommandsSpeakJsonAndCsv) {
  seed();
  ASSERT_EQ(cli({"link", "WRKA-1", "testcase:TC-17"}).exit_code, 0);

  auto r = cli({"conflicts", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto doc = parse_json(r.output);
  ASSERT_TRUE(doc.IsArray() && doc.Size() == 1) << r.output;
  EXPECT_STREQ(doc[0]["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(doc[0]["field"].GetString(), "priority");
  EXPECT_STREQ(doc[0]["jira_value"].GetString(), "Highest\x1b[5m");  // escaped in JSON, intact

  r = cli({"conflicts", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.substr(0, r.output.find('\n')),
            "id,key,field,strategy,outcome,local_value,jira_value,open,at");
  EXPECT_NE(r.output.find(",WRKA-1,priority,MANUAL,manual,Low,"), std::string::npos) << r.output;

  r = cli({"show", "WRKA-1", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  doc = parse_json(r.output);
  ASSERT_TRUE(doc.IsObject()) << r.output;
  EXPECT_STREQ(doc["key"].GetString(), "WRKA-1");
  EXPECT_STREQ(doc["priority"].GetString(), "Highest");
  EXPECT_EQ(doc["links"].Size(), 1u);
  EXPECT_EQ(doc["conflicts"].Size(), 1u);

  r = cli({"links", "testcase:TC-17", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  doc = parse_json(r.output);
  ASSERT_TRUE(doc.IsArray() && doc.Size() == 1) << r.output;
  EXPECT_STREQ(doc[0]["key"].GetString(), "WRKA-1");
  r = cli({"links", "testcase:TC-17", "--format", "csv"});
  EXPECT_EQ(r.output.substr(0, r.output.find('\n')), "key,status,summary,deleted,badge")
      << r.output;

  r = cli({"status", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  doc = parse_json(r.output);
  ASSERT_TRUE(doc.IsArray() && doc.Size() == 1) << r.output;
  EXPECT_STREQ(doc[0]["project"].GetString(), "WRKA");
  EXPECT_EQ(doc[0]["tickets"].GetInt64(), 1);
  r = cli({"status", "--format", "csv"});
  EXPECT_EQ(r.output.substr(0, r.output.find('\n')), "project,tickets,cursor,last_run,active_run")
      << r.output;

  // `--json` stays as the alias it always was.
  const auto alias = cli({"runs", "--json"});
  const auto format = cli({"runs", "--format", "json"});
  EXPECT_EQ(alias.exit_code, 0) << alias.output;
  EXPECT_EQ(alias.output, format.output);
  EXPECT_TRUE(parse_json(format.output).IsArray()) << format.output;
  r = cli({"runs", "--format", "csv"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.substr(0, 8), "id,proje") << r.output;
}

}  // namespace
}  // namespace jirasync
