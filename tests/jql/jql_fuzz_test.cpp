// Random and mutated JQL through parse -> compile -> execute on SQLite: no
// crash (this runs under ASan/UBSan in CI), only JqlError for bad queries,
// never a database error, and no input value in the SQL text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/jql/sql_compiler.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/store_test_support.hpp"
#include "common/store/ticket_labels.hpp"

namespace jirasync {
namespace {

// Every generated value carries "zq", which the compiler never writes: if
// "zq" shows up in SQL text, an input value got there.
const std::vector<std::string> kFields = {
    "project",        "key",           "id",         "summary",   "description", "text",
    "status",         "priority",      "assignee",   "reporter",  "issuetype",   "labels",
    "component",      "fixVersion",    "resolution", "created",   "updated",     "resolved",
    "statusCategory", "parent",        "cf[10010]",  "local.tag", "local.link",  "local.note",
    "local.change",   "local.changed", "duedate",    "sprint",    "nosuch",      "\"Story Points\"",
    "type",           "issuekey",      "createdDate"};
const std::vector<std::string> kOperators = {
    "=", "!=", ">", ">=", "<", "<=", "~", "!~", "in", "not in", "is", "is not", "was", "changed"};
const std::vector<std::string> kValues = {"zqA",
                                          "\"zq b\"",
                                          "ZQ-1",
                                          "zq-12",
                                          "10001",
                                          "EMPTY",
                                          "null",
                                          "-7d",
                                          "\"-4w 2d\"",
                                          "\"2025-01-02\"",
                                          "2025/01/02",
                                          "\"2025-01-02 10:30\"",
                                          "startOfDay()",
                                          "endOfMonth(-1)",
                                          "startOfWeek(\"+1d\")",
                                          "now()",
                                          "currentUser()",
                                          "membersOf(zqg)",
                                          "\"zq*\"",
                                          "\"\\\"zq phrase\\\"\"",
                                          "\"zq's\"",
                                          "High",
                                          "Unresolved",
                                          "\"To Do\"",
                                          "significant",
                                          "\"testcase:zq-1\"",
                                          "subTaskIssueTypes()",
                                          "zqfn(1, 2)",
                                          "1735689600000",
                                          "\"\\u00e9zq\"",
                                          "\"zq%_!\"",
                                          "(zq1, zq2)",
                                          "(EMPTY, zq3)",
                                          "()"};
const std::vector<std::string> kGlue = {" AND ",   " OR ",       " and not ", " OR NOT ",
                                        ") AND (", " order by ", ", ",        " asc",
                                        " desc",   "(",          ")"};

std::string pick(std::mt19937_64& rng, const std::vector<std::string>& from) {
  return from[rng() % from.size()];
}

// Clauses that compile, so that most queries reach the database.
const std::vector<std::string> kValid = {"project = zqA",
                                         "project in (ZQ, zqB)",
                                         "key = ZQ-1",
                                         "key in (ZQ-2, 10003)",
                                         "issuekey > ZQ-5",
                                         "id <= 10010",
                                         "summary ~ zqword",
                                         "summary ~ \"zq*\"",
                                         "description !~ \"\\\"zq one\\\"\"",
                                         "text ~ \"zq two\"",
                                         "summary is empty",
                                         "status = zqOpen",
                                         "status not in (zqA, zqB)",
                                         "statusCategory = \"To Do\"",
                                         "priority >= High",
                                         "priority in (zqP, EMPTY)",
                                         "priority is not empty",
                                         "assignee = currentUser()",
                                         "assignee in (zqA, EMPTY)",
                                         "reporter != zqR",
                                         "issuetype in subTaskIssueTypes()",
                                         "type = zqBug",
                                         "labels = zqA",
                                         "labels is empty",
                                         "component not in (zqC)",
                                         "fixVersion = \"zq 1.0\"",
                                         "affectedVersion is not empty",
                                         "resolution = Unresolved",
                                         "resolution in (zqFixed, EMPTY)",
                                         "created >= -7d",
                                         "updated < \"2025-01-02\"",
                                         "created = \"2025/01/02 10:30\"",
                                         "resolved >= startOfWeek(-1)",
                                         "updated > endOfMonth(\"+1\")",
                                         "duedate <= now()",
                                         "duedate = \"2025-02-03\"",
                                         "creator = zqU",
                                         "environment ~ zqE",
                                         "comment ~ zqC",
                                         "parent = ZQ-1",
                                         "parent in (ZQ-2, 10001)",
                                         "cf[10010] = zqA",
                                         "cf[10011] > 3",
                                         "cf[10010] ~ zqA",
                                         "\"Story Points\" is empty",
                                         "local.tag = zqT",
                                         "local.link = \"zqt:ZQ-1\"",
                                         "local.note ~ zqN",
                                         "local.change in (moved, deleted)",
                                         "local.changed >= startOfDay()",
                                         "local.change = significant and local.changed > -1w",
                                         "created in (\"2025-01-01\", -1d)"};

std::string clause(std::mt19937_64& rng) {
  if (rng() % 3 != 0) return pick(rng, kValid);
  return pick(rng, kFields) + " " + pick(rng, kOperators) + " " + pick(rng, kValues);
}

std::string query(std::mt19937_64& rng) {
  std::string q = clause(rng);
  const int more = static_cast<int>(rng() % 4);
  for (int i = 0; i < more; ++i) q += (rng() % 2 ? " AND " : " OR ") + clause(rng);
  if (rng() % 3 == 0) q = "NOT (" + q + ")";
  if (rng() % 3 == 0) q += " ORDER BY " + pick(rng, kFields) + (rng() % 2 ? " DESC" : "");
  return q;
}

std::string mutate(std::mt19937_64& rng, std::string q) {
  static const std::string kBytes = "()=!<>~,\"'\\ []*%$#\n\tazqZQ09-.:/+&|\xc3\xa9\xff";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    const size_t at = q.empty() ? 0 : rng() % q.size();
    switch (rng() % 5) {
      case 0:
        q.insert(at, 1, kBytes[rng() % kBytes.size()]);
        break;
      case 1:
        if (!q.empty()) q.erase(at, 1 + rng() % 3);
        break;
      case 2:
        if (!q.empty()) q[at] = kBytes[rng() % kBytes.size()];
        break;
      case 3:
        q.insert(at, pick(rng, kGlue));
        break;
      default:
        q.insert(at, pick(rng, kValues));
        break;
    }
  }
  return q;
}

std::string random_text(std::mt19937_64& rng) {
  std::string s;
  const size_t n = rng() % 40;
  for (size_t i = 0; i < n; ++i) s += static_cast<char>(rng() % 256);
  return s;
}

int iterations() {
  const char* env = std::getenv("JQL_FUZZ_ITERATIONS");
  return env ? std::atoi(env) : 100'000;
}

TEST(JqlFuzz, ParseCompileExecuteNeverCrashesAndKeepsValuesOutOfSql) {
  testing::ScratchDatabase scratch(Backend::kSqlite);
  auto db = scratch.db();
  {
    auto lock = db->lock();
    // The columns migration 5 (issue-fields) adds, when this schema predates it.
    if (SqlQuery("SELECT COUNT(*) FROM pragma_table_info('tickets') WHERE name = 'due_date'")
            .fetch_one(db->session(), "i")
            ->i64(0) == 0) {
      for (const char* ddl :
           {"ALTER TABLE tickets ADD COLUMN due_date TEXT",
            "ALTER TABLE tickets ADD COLUMN creator_id TEXT",
            "ALTER TABLE tickets ADD COLUMN creator_name TEXT",
            "ALTER TABLE tickets ADD COLUMN affected_versions TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE tickets ADD COLUMN environment_text TEXT NOT NULL DEFAULT ''",
            "CREATE TABLE ticket_comments (ticket_id TEXT NOT NULL, comment_id TEXT NOT NULL, "
            "author_id TEXT, author_name TEXT, body_text TEXT NOT NULL DEFAULT '', "
            "created_ms BIGINT, updated_ms BIGINT)"}) {
        SqlQuery(ddl).execute(db->session());
      }
    }
    for (int i = 1; i <= 40; ++i) {
      SqlQuery(
          "INSERT INTO tickets (id, key, project, status, priority, assignee_id, labels, summary, "
          "description_text, custom_fields, created_ms, updated_ms, content_hash, first_seen_ms, "
          "last_synced_ms) VALUES (?, ?, 'ZQ', 'Open', ?, ?, ?, ?, 'zq desc', ?, ?, ?, 'h', 0, 0)")
          .arg(std::to_string(10000 + i))
          .arg("ZQ-" + std::to_string(i))
          .arg(i % 3 ? std::optional<std::string>("High") : std::nullopt)
          .arg(i % 2 ? std::optional<std::string>("zqA") : std::nullopt)
          .arg(i % 4 ? std::string(R"(["zqA","b"])") : std::string("[]"))
          .arg("zq summary " + std::to_string(i))
          .arg(i % 5 ? std::string(R"({"customfield_10010":{"value":"zqA"}})") : std::string("{}"))
          .arg(static_cast<int64_t>(1735689600000LL - i * 86400000LL))
          .arg(static_cast<int64_t>(1735689600000LL - i * 3600000LL))
          .execute(db->session());
    }
    fill_ticket_labels_from_json(db->session());  // as the writer keeps them
  }
  SqlIssueSearch search(db);
  JqlContext context;
  context.account_id = "zqme";
  context.time_zone = "Asia/Tokyo";
  context.now_ms = 1'735'700'000'000;

  std::mt19937_64 rng(20251129);
  const int n = iterations();
  int parsed = 0, compiled = 0, executed = 0;
  for (int i = 0; i < n; ++i) {
    const int kind = i % 10;
    const std::string q = kind < 3   ? query(rng)
                          : kind < 9 ? mutate(rng, query(rng))
                                     : random_text(rng);
    JqlQuery syntax;
    try {
      syntax = parse_jql(q);
      ++parsed;
      for (Backend b : {Backend::kSqlite, Backend::kPostgres}) {
        const CompiledJql c = compile_jql(syntax, b, context);
        ASSERT_EQ(c.where.find("zq"), std::string::npos) << q << "\n" << c.where;
        ASSERT_EQ(c.where.find("ZQ"), std::string::npos) << q << "\n" << c.where;
        for (const auto& o : c.order) ASSERT_EQ(o.sql.find("zq"), std::string::npos) << q;
      }
      ++compiled;
    } catch (const JqlError& e) {
      ASSERT_GT(std::string(e.what()).size(), 0u);
      continue;
    }
    // Executing every compiled query costs too much under the sanitizers
    // (Debug ASan stays under ~30 s); one in three still runs thousands.
    if (i % 3 != 0) continue;
    try {
      const auto page = search.search(syntax, context, 5, "");
      if (!page.next_cursor.empty()) (void)search.search(syntax, context, 5, page.next_cursor);
      ++executed;
    } catch (const JqlError&) {
      FAIL() << "compiled, but failed when run: " << q;
    } catch (const std::exception& e) {
      FAIL() << "database error for: " << q << "\n" << e.what();
    }
  }
  std::printf("%d queries: %d parsed, %d compiled, %d executed\n", n, parsed, compiled, executed);
  EXPECT_GT(compiled, n / 20);
  EXPECT_GT(executed, 1000);
}

}  // namespace
}  // namespace jirasync
