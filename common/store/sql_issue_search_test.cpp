#include "common/store/sql_issue_search.hpp"

#include <gtest/gtest.h>

#include <map>

#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/jql/text_terms.hpp"
#include "common/store/sql_field_catalog.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/store_test_support.hpp"
#include "common/store/ticket_labels.hpp"

namespace jirasync {
namespace {

using testing::ScratchDatabase;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'735'700'000'000;  // 2025-01-01T02:53:20Z

struct Row {
  std::string id, key, project, type = "Bug", status = "Open", category = "new";
  std::string priority = "Medium", assignee_id, assignee_name, labels = "[]";
  std::string summary, description, resolution;
  int64_t created_ms = kNow - 10 * kDay, updated_ms = kNow - kDay;
  std::optional<int64_t> resolved_ms;
  std::string custom = "{}";
  std::string parent_id;
};

Row row(const std::string& id, const std::string& key, const std::string& project) {
  Row r;
  r.id = id;
  r.key = key;
  r.project = project;
  return r;
}

JqlContext utc_context() {
  JqlContext c;
  c.account_id = "acc-1";
  c.now_ms = kNow;
  return c;
}

class SqlIssueSearchTest : public ::testing::TestWithParam<Backend> {
 protected:
  SqlIssueSearchTest() : scratch_(GetParam()), search_(scratch_.db()) {}

  void insert(const Row& r) {
    Database& db = *scratch_.db();
    auto lock = db.lock();
    SqlQuery q(
        "INSERT INTO tickets (id, key, project, project_id, issue_type, status, status_category, "
        "priority, assignee_id, assignee_name, labels, summary, description_text, resolution, "
        "resolution_ms, created_ms, updated_ms, custom_fields, parent_id, content_hash, "
        "first_seen_ms, last_synced_ms) VALUES "
        "(?, ?, ?, '100', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'h', 0, 0)");
    q.arg(r.id).arg(r.key).arg(r.project).arg(r.type).arg(r.status).arg(r.category);
    q.arg(r.priority.empty() ? std::optional<std::string>() : r.priority);
    q.arg(r.assignee_id.empty() ? std::optional<std::string>() : r.assignee_id);
    q.arg(r.assignee_name.empty() ? std::optional<std::string>() : r.assignee_name);
    q.arg(r.labels).arg(r.summary).arg(r.description);
    q.arg(r.resolution.empty() ? std::optional<std::string>() : r.resolution);
    q.arg(r.resolved_ms).arg(r.created_ms).arg(r.updated_ms).arg(r.custom);
    q.arg(r.parent_id.empty() ? std::optional<std::string>() : r.parent_id);
    q.execute(db.session());
    // Rows written without the writer: their labels as the writer keeps them.
    fill_ticket_labels_from_json(db.session());
  }

  void sql(const std::string& text) {
    Database& db = *scratch_.db();
    auto lock = db.lock();
    SqlQuery(text).execute(db.session());
  }

  std::vector<std::string> keys(const std::string& jql, int limit = 1000) {
    std::vector<std::string> out;
    std::string after;
    do {
      const IssueSearchPage page = search_.search(parse_jql(jql), context_, limit, after);
      for (const auto& r : page.rows) out.push_back(r.key);
      after = page.next_cursor;
    } while (!after.empty());
    return out;
  }

  void seed() {
    Row a = row("101", "ALPHA-1", "ALPHA");
    a.summary = "Login crashes on startup";
    a.description = "The application crashes when the user logs in";
    a.labels = R"(["backend","Urgent"])";
    a.assignee_id = "acc-1";
    a.assignee_name = "Ada Lovelace";
    a.priority = "High";
    a.custom = R"({"customfield_10010":{"value":"Gold","id":"1"},"customfield_10011":5})";
    insert(a);
    Row b = row("102", "ALPHA-2", "ALPHA");
    b.summary = "Slow report export";
    b.status = "Done";
    b.category = "done";
    b.resolution = "Fixed";
    b.resolved_ms = kNow - 2 * kDay;
    b.priority = "Lowest";
    b.custom = R"({"customfield_10011":12.5})";
    b.created_ms = kNow - 3 * kDay;
    insert(b);
    Row c = row("103", "BETA-10", "BETA");
    c.summary = "Caf\xc3\xa9 menu typo";
    c.priority = "";
    c.parent_id = "101";
    c.type = "Sub-task";
    c.labels = R"(["frontend"])";
    c.updated_ms = kNow - 40 * kDay;
    insert(c);
    sql("UPDATE tickets SET subtask = 1 WHERE id = '103'");
    Row d = row("104", "BETA-9", "BETA");
    d.summary = "Crash in export";
    d.assignee_id = "acc-2";
    d.assignee_name = "Grace";
    insert(d);
    // Moved: BETA-9 was OLD-3 before.
    sql("INSERT INTO ticket_keys (ticket_id, key, from_ms) VALUES ('104', 'OLD-3', 0)");
    // Deleted tickets stay out of searches.
    Row gone = row("105", "ALPHA-3", "ALPHA");
    insert(gone);
    sql("UPDATE tickets SET deleted = 1 WHERE id = '105'");
  }

  ScratchDatabase scratch_;
  SqlIssueSearch search_;
  JqlContext context_ = utc_context();
};

using Keys = std::vector<std::string>;

TEST_P(SqlIssueSearchTest, FieldsOperatorsAndEmpties) {
  seed();
  EXPECT_EQ(keys("project = alpha"), (Keys{"ALPHA-1", "ALPHA-2"}));
  EXPECT_EQ(keys("project in (BETA) order by key"), (Keys{"BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("key = old-3"), (Keys{"BETA-9"}));
  EXPECT_EQ(keys("key > BETA-9"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("id = 102"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("labels = urgent"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("labels is empty"), (Keys{"ALPHA-2", "BETA-9"}));
  EXPECT_EQ(keys("labels != backend"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("labels in (URGENT, frontend) order by key"), (Keys{"ALPHA-1", "BETA-10"}));
  EXPECT_EQ(keys("labels not in (backend, EMPTY)"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("labels is not empty order by key"), (Keys{"ALPHA-1", "BETA-10"}));
  EXPECT_EQ(keys("labels in (frontend, EMPTY) order by key"),
            (Keys{"ALPHA-2", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("not labels = urgent order by key"), (Keys{"ALPHA-2", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("assignee = currentUser()"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("assignee != acc-1"), (Keys{"BETA-9"}));
  EXPECT_EQ(keys("assignee = \"grace\""), (Keys{"BETA-9"}));
  EXPECT_EQ(keys("assignee is empty"), (Keys{"ALPHA-2", "BETA-10"}));
  EXPECT_EQ(keys("not assignee = acc-1"), (Keys{"ALPHA-2", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("priority >= high"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("priority is empty"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("resolution = unresolved"), (Keys{"ALPHA-1", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("resolution != unresolved"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("statusCategory = \"To Do\""), (Keys{"ALPHA-1", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("issuetype in subTaskIssueTypes()"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("parent = ALPHA-1"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("cf[10010] = gold"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("cf[10011] > 6"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("cf[10010] is empty"), (Keys{"ALPHA-2", "BETA-9", "BETA-10"}));
  EXPECT_EQ(keys("cf[10010] != gold"), (Keys{}));
}

TEST_P(SqlIssueSearchTest, CustomFieldsByTheNamesOfTheStoredFieldList) {
  seed();
  SqlFieldCatalog catalog(scratch_.db());
  catalog.replace_all({{"summary", "Summary", false},
                       {"customfield_10010", "Service Tier", true},
                       {"customfield_10011", "Story Points", true}},
                      kNow);
  // Nothing set in the context: the search reads the stored list itself.
  EXPECT_EQ(keys("\"service tier\" = Gold"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("\"Story Points\" > 6 AND project = ALPHA"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(search_.count(parse_jql("\"Story Points\" is not empty"), context_), 2);
  // Numbers match by value, as in Jira (12.5 is stored; 5 is stored as 5).
  EXPECT_EQ(keys("\"Story Points\" in (12.50, \"5.0\") order by key"),
            (Keys{"ALPHA-1", "ALPHA-2"}));
  EXPECT_EQ(keys("cf[10010] = 1"), (Keys{"ALPHA-1"}));  // the option's id, a string
  try {
    keys("\"Story Pointz\" > 6");
    ADD_FAILURE() << "an unknown field searched";
  } catch (const JqlError& e) {
    EXPECT_STREQ(e.what(),
                 "Field 'Story Pointz' does not exist or you do not have permission to view it.");
  }
}

TEST_P(SqlIssueSearchTest, DatesInTheAccountZone) {
  seed();
  EXPECT_EQ(keys("updated < -30d"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("created >= -5d"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("resolved >= startOfDay(-2)"), (Keys{"ALPHA-2"}));
  // ALPHA-2 was resolved 2024-12-30T02:53:20Z: 2024-12-29 evening in Los Angeles.
  EXPECT_EQ(keys("resolved = \"2024-12-30\""), (Keys{"ALPHA-2"}));
  context_.time_zone = "America/Los_Angeles";
  EXPECT_EQ(keys("resolved = \"2024-12-30\""), (Keys{}));
  EXPECT_EQ(keys("resolved = \"2024/12/29\""), (Keys{"ALPHA-2"}));
}

TEST_P(SqlIssueSearchTest, FullText) {
  seed();
  EXPECT_EQ(keys("summary ~ crash"), (Keys{"ALPHA-1", "BETA-9"}));  // crashes, Crash
  EXPECT_EQ(keys("text ~ \"user crash\""), (Keys{"ALPHA-1"}));      // one in each field
  EXPECT_EQ(keys("summary ~ \"exp*\""), (Keys{"ALPHA-2", "BETA-9"}));
  EXPECT_EQ(keys("summary ~ \"\\\"report export\\\"\""), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("summary !~ crash"), (Keys{"ALPHA-2", "BETA-10"}));
  EXPECT_EQ(keys("summary ~ \"caf\xc3\xa9\""), (Keys{"BETA-10"}));
  // The index follows updates.
  sql("UPDATE tickets SET summary = 'Renamed' WHERE id = '104'");
  EXPECT_EQ(keys("summary ~ crash"), (Keys{"ALPHA-1"}));
}

// Migration 11 left one of migration 7's two full-text indexes (summary and
// description together). Every `~` must find what migration 7's expression
// for its field found: for words, prefixes, phrases (also one that runs from
// the end of a summary into its description), stop words, punctuation,
// non-ASCII text, empty fields and !~.
TEST_P(SqlIssueSearchTest, TextSearchFindsWhatMigration7ExpressionsFound) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "the tsvector column is PostgreSQL's";
  const std::vector<std::pair<std::string, std::string>> docs = {
      {"Login crashes after upgrade", "The page crashes when loading the dashboard"},
      {"the of and", "to be or not to be"},
      {"", "only a description here, see /rest/api/3/search?jql=x"},
      {"only a summary", ""},
      {"ends with export", "report starts the description"},
      {"export report in summary", "nothing else"},
      {"x-ray 3.5 v1.2 user@example.com", "Caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9"},
      {"Reports exported", "exporting reports, exports report"},
      {"running runner", "ran runs run"},
  };
  for (size_t i = 0; i < docs.size(); ++i) {
    Row r = row(std::to_string(200 + i), "T-" + std::to_string(i + 1), "T");
    r.summary = docs[i].first;
    r.description = docs[i].second;
    insert(r);
  }
  // Migration 7's index expressions, as compile_jql() used them.
  const auto doc = [](const std::string& text) {
    return "to_tsvector('jirasync_english', regexp_replace(" + text +
           ", '[!-/:-@[-`{-~]+', ' ', 'g'))";
  };
  const std::map<std::string, std::string> old_documents = {
      {"summary", doc("summary")},
      {"description", doc("left(description_text, 250000)")},
      {"text", doc("left(summary || ' ' || description_text, 250000)")},
  };
  // What `~` is given (a quote marks a phrase).
  const std::vector<std::string> searches = {
      "crash",
      "crashes",
      "\"export report\"",
      "\"export report\" starts",
      "expo*",
      "report*",
      "\"starts the description\"",
      "rest api",
      "\"api 3 search\"",
      "3.5",
      "v1.2",
      "example",
      "caf\xc3\xa9",
      "r\xc3\xa9sum\xc3\xa9",
      "run",
      "\"ends with export report\"",
      "summary only",
      "nothing",
  };
  int compared = 0;
  for (const auto& [field, document] : old_documents) {
    for (const std::string& words : searches) {
      for (const char* op : {" ~ ", " !~ "}) {
        if (field == "text" && std::string(op) == " !~ ") continue;  // JQL has no text !~
        std::string quoted;
        for (char ch : words) quoted += ch == '"' ? std::string("\\\"") : std::string(1, ch);
        const std::string jql = field + op + "\"" + quoted + "\" order by key";
        // What the old expression found, through the same tsquery text.
        const auto terms = text_terms(words);
        if (terms.empty()) continue;
        Keys expected;
        {
          Database& db = *scratch_.db();
          auto lock = db.lock();
          for (const SqlRow& r :
               SqlQuery(std::string("SELECT key FROM tickets WHERE project = 'T' AND ") +
                        (std::string(op) == " !~ " ? "NOT " : "") + "(" + document +
                        " @@ to_tsquery('jirasync_english', ?)) "
                        "ORDER BY CAST(substr(key, 3) AS integer)")
                   .arg(ts_query(terms))
                   .fetch(db.session(), "t")) {
            expected.push_back(r.text(0));
          }
        }
        EXPECT_EQ(keys("project = T and " + jql), expected) << jql;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 18 * 5);
}

TEST_P(SqlIssueSearchTest, LocalFields) {
  seed();
  sql("INSERT INTO tags (ticket_id, tag, at_ms) VALUES ('102', 'flaky', 0)");
  sql("INSERT INTO links (entity_type, entity_id, ticket_id) VALUES ('testcase', 'TC-17', '103')");
  sql("INSERT INTO notes (ticket_id, text, at_ms) VALUES ('101', 'Check with QA team', 0)");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('104', 'significant', " +
      std::to_string(kNow - 2 * kDay) + ")");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('104', 'updated', " +
      std::to_string(kNow - 40 * kDay) + ")");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('101', 'significant', " +
      std::to_string(kNow - 40 * kDay) + ")");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('101', 'updated', " +
      std::to_string(kNow - kDay) + ")");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('105', 'deleted', " +
      std::to_string(kNow - kDay) + ")");
  EXPECT_EQ(keys("local.tag = flaky"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("local.link = \"testcase:TC-17\""), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("local.link = testcase"), (Keys{"BETA-10"}));
  EXPECT_EQ(keys("local.note ~ qa"), (Keys{"ALPHA-1"}));
  // One change that is both significant and recent.
  EXPECT_EQ(keys("local.change = significant and local.changed >= -7d"), (Keys{"BETA-9"}));
  EXPECT_EQ(keys("local.change = deleted"), (Keys{"ALPHA-3"}));
}

TEST_P(SqlIssueSearchTest, AnAssigneeNoTicketIsNamedMatchesByAccountIdAlone) {
  seed();
  // No ticket's assignee is displayed as "acc-1": the display-name arm of the
  // OR is left out, so (assignee_id, updated_ms) can yield the order.
  const std::string by_id =
      search_.statement(parse_jql("assignee = acc-1 ORDER BY updated DESC"), context_, 50, "").sql;
  EXPECT_EQ(by_id.find("t.assignee_name IS NOT NULL"), std::string::npos) << by_id;
  EXPECT_EQ(keys("assignee = acc-1 ORDER BY updated DESC"), (Keys{"ALPHA-1"}));
  // A display name some ticket has keeps its arm, and matches.
  const std::string by_name =
      search_.statement(parse_jql("assignee in (grace, acc-1)"), context_, 50, "").sql;
  EXPECT_NE(by_name.find("t.assignee_name IS NOT NULL"), std::string::npos) << by_name;
  EXPECT_EQ(keys("assignee in (grace, acc-1) ORDER BY key"), (Keys{"ALPHA-1", "BETA-9"}));
  EXPECT_EQ(keys("assignee not in (GRACE)"), (Keys{"ALPHA-1"}));
}

// Outside its project's sync scope: kept, but out of searches like a deleted
// ticket, unless the query asks for the out_of_scope change.
TEST_P(SqlIssueSearchTest, OutOfScopeTicketsStayOutUnlessAskedFor) {
  seed();
  sql("UPDATE tickets SET out_of_scope = 1 WHERE id = '102'");
  sql("INSERT INTO ticket_changes (ticket_id, change, at_ms) VALUES ('102', 'out_of_scope', " +
      std::to_string(kNow - kDay) + ")");
  EXPECT_EQ(keys("project = alpha"), (Keys{"ALPHA-1"}));
  EXPECT_EQ(keys("local.change = out_of_scope"), (Keys{"ALPHA-2"}));
  EXPECT_EQ(keys("local.change = out_of_scope or project = alpha"), (Keys{"ALPHA-1", "ALPHA-2"}));
}

TEST_P(SqlIssueSearchTest, KeysetPagingIsStableAndComplete) {
  for (int i = 1; i <= 57; ++i) {
    Row r = row(std::to_string(1000 + i), "P-" + std::to_string(i), "P");
    r.summary = "Issue " + std::to_string(i);
    r.updated_ms = kNow - (i % 5) * kDay;  // many ties
    r.priority = i % 3 == 0 ? "" : (i % 3 == 1 ? "High" : "Low");
    r.created_ms = kNow - (i % 4) * kDay;
    r.labels = i % 2 ? R"(["odd"])" : "[]";
    insert(r);
  }
  // Orders of one direction page with a row-value comparison, mixed ones
  // with a bound on the first column and the OR of the rest.
  for (const char* order : {"", " order by updated", " order by priority asc, key desc",
                            " order by summary desc", " order by resolved", " order by created asc",
                            " order by priority desc, updated desc", " order by key desc"}) {
    const Keys all = keys(std::string("project = P") + order, 1000);
    ASSERT_EQ(all.size(), 57u) << order;
    EXPECT_EQ(keys(std::string("project = P") + order, 7), all) << order;
    const Keys odd = keys(std::string("labels = ODD") + order, 1000);
    ASSERT_EQ(odd.size(), 29u) << order;
    EXPECT_EQ(keys(std::string("labels = odd") + order, 4), odd) << order;
  }
}

// The rule of tests/jirasim/jql/custom_field_order.hpp, which the
// differential test holds jirasim and the cache to.
TEST_P(SqlIssueSearchTest, CustomFieldsSortByValueWithEmptyAsLargest) {
  const char* points[] = {"5.0", "0.5", nullptr, "13", "2.0"};
  const char* teams[] = {R"({"value":"payments","id":"2"})", nullptr, R"({"value":"Growth"})",
                         R"({"value":"Platform","id":"1"})", "null"};
  const char* sprints[] = {R"([{"id":3,"name":"B Sprint 2"},{"id":4,"name":"A"}])", "[]",
                           R"([{"id":1,"name":"a sprint 1"}])", nullptr, nullptr};
  for (int n = 0; n < 5; ++n) {
    Row r = row(std::to_string(10 + n), "CF-" + std::to_string(n + 1), "CF");
    std::string custom;
    const auto member = [&](const char* id, const char* value) {
      if (value) custom += std::string(custom.empty() ? "" : ",") + "\"" + id + "\":" + value;
    };
    member("customfield_10016", points[n]);
    member("customfield_10021", teams[n]);
    member("customfield_10020", sprints[n]);
    r.custom = "{" + custom + "}";
    insert(r);
  }
  EXPECT_EQ(keys("ORDER BY cf[10016]"), (Keys{"CF-2", "CF-5", "CF-1", "CF-4", "CF-3"}));
  EXPECT_EQ(keys("ORDER BY cf[10016] DESC"), (Keys{"CF-3", "CF-4", "CF-1", "CF-5", "CF-2"}));
  EXPECT_EQ(keys("ORDER BY cf[10021] ASC, key DESC"),
            (Keys{"CF-3", "CF-1", "CF-4", "CF-5", "CF-2"}));
  EXPECT_EQ(keys("ORDER BY cf[10020]"), (Keys{"CF-3", "CF-1", "CF-2", "CF-4", "CF-5"}));
  // Pages of two: the keyset over the three columns is complete and stable.
  EXPECT_EQ(keys("ORDER BY cf[10021] DESC", 2), keys("ORDER BY cf[10021] DESC"));
  EXPECT_EQ(keys("ORDER BY cf[10016] DESC", 2), (Keys{"CF-3", "CF-4", "CF-1", "CF-5", "CF-2"}));
  // By the stored field list's name.
  {
    SqlFieldCatalog catalog(scratch_.db());
    catalog.replace_all({{"customfield_10016", "Story Points", true}}, kNow);
  }
  EXPECT_EQ(keys("ORDER BY \"story points\""), (Keys{"CF-2", "CF-5", "CF-1", "CF-4", "CF-3"}));
}

// A date range covering most tickets, ordered by another column: SQLite (no
// range statistics) is made to walk the order and stop after the page
// (range_plan.hpp); a small range keeps its index; PostgreSQL is left alone.
// The rows and their order are the same either way.
TEST_P(SqlIssueSearchTest, ALargeDateRangeOrderedByAnotherColumnWalksTheOrderOnSqlite) {
  // 6,000 tickets updated over the last 10 days, created over 1,000.
  sql("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 6000) "
      "INSERT INTO tickets (id, key, project, project_id, issue_type, status, status_category, "
      "labels, summary, created_ms, updated_ms, custom_fields, content_hash, first_seen_ms, "
      "last_synced_ms) SELECT CAST(10000 + i AS TEXT), 'P-' || CAST(i AS TEXT), 'P', '100', "
      "'Bug', 'Open', 'new', '[]', 'x', " +
      std::to_string(kNow) + " - ((i * 7919) % 1000) * CAST(" + std::to_string(kDay) +
      " AS BIGINT), " + std::to_string(kNow) +
      " - ((i * 104729) % 240) * CAST(3600000 AS BIGINT), '{}', 'h', 0, 0 FROM g");
  const auto statement = [&](const std::string& jql) {
    return search_.statement(parse_jql(jql), context_, 50, "").sql;
  };
  const bool sqlite = GetParam() == Backend::kSqlite;
  EXPECT_EQ(statement("updated >= -7d ORDER BY created").find("+t.updated_ms") != std::string::npos,
            sqlite);
  EXPECT_EQ(
      statement("created >= -900d AND created < -1d").find("+t.created_ms") != std::string::npos,
      sqlite);
  EXPECT_EQ(statement("updated >= -1h ORDER BY created").find("+t."), std::string::npos);
  EXPECT_EQ(statement("updated >= -7d ORDER BY updated").find("+t."), std::string::npos);

  Keys expected;
  {
    Database& db = *scratch_.db();
    auto lock = db.lock();
    for (const SqlRow& r : SqlQuery("SELECT key FROM tickets WHERE updated_ms >= ? ORDER BY "
                                    "created_ms DESC, CAST(id AS INTEGER) LIMIT 50")
                               .arg(kNow - 7 * kDay)
                               .fetch(db.session(), "t")) {
      expected.push_back(r.text(0));
    }
  }
  const auto page = search_.search(parse_jql("updated >= -7d ORDER BY created"), context_, 50, "");
  Keys got;
  for (const auto& r : page.rows) got.push_back(r.key);
  EXPECT_EQ(got, expected);
}

TEST_P(SqlIssueSearchTest, ACursorOfAnotherQueryIsRefused) {
  seed();
  const auto page = search_.search(parse_jql("order by key"), context_, 1, "");
  ASSERT_FALSE(page.next_cursor.empty());
  EXPECT_THROW(search_.search(parse_jql("order by summary"), context_, 1, page.next_cursor),
               std::invalid_argument);
  EXPECT_THROW(search_.search(parse_jql("order by key"), context_, 1, "c1.zz"),
               std::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlIssueSearchTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
