#include "common/store/sql_query.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::StoreTest;

constexpr const char* kProbeColumns = "id, body, n, r, flag, label";

// execute_rows on both backends: multi-row VALUES on SQLite, binary arrays
// and unnest on PostgreSQL.
class ExecuteRowsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    auto lock = db()->lock();
    const SqlDialect& d = db()->dialect();
    session() << d.expand(
        "CREATE TABLE probe (id ${TEXT} PRIMARY KEY, body ${TEXT}, n ${BIGINT}, r ${REAL}, "
        "flag ${BOOL} NOT NULL DEFAULT 0, label ${TEXT} NOT NULL DEFAULT '')");
    session() << d.expand(
        "CREATE TABLE probe_log (seq ${SERIAL_PK}, id ${TEXT} NOT NULL, body ${TEXT})");
  }
  soci::session& session() { return db()->session(); }

  int64_t insert(const std::vector<std::vector<SqlValue>>& rows, const std::string& tail = "",
                 std::string_view returning = "", std::vector<SqlRow>* returned = nullptr) {
    auto lock = db()->lock();
    return execute_rows(session(), "probe", kProbeColumns, rows, tail, returning, returned);
  }
  std::vector<SqlRow> probe_rows() {
    auto lock = db()->lock();
    return SqlQuery(std::string("SELECT ") + kProbeColumns + " FROM probe ORDER BY id")
        .fetch(session(), "ttirit");
  }
  int64_t count(const std::string& table) {
    auto lock = db()->lock();
    return SqlQuery("SELECT COUNT(*) FROM " + table).fetch_one(session(), "i")->i64(0);
  }
};

std::vector<SqlValue> probe(const std::string& id, SqlValue body, SqlValue n = std::monostate{},
                            SqlValue label = std::string("x")) {
  return {id, std::move(body), std::move(n), std::monostate{}, int64_t{0}, std::move(label)};
}

TEST_P(ExecuteRowsTest, AwkwardValuesRoundTrip) {
  std::string long_text;
  for (int i = 0; long_text.size() < 3'000'000; ++i) {
    long_text += "line " + std::to_string(i) + "\twith \"quotes\", \\ and ünïcödé\r\n";
  }
  const std::vector<std::pair<std::string, SqlValue>> bodies = {
      {"01-tab", std::string("a\tb\t")},
      {"02-newline", std::string("first\nsecond\n")},
      {"03-backslash", std::string("C:\\tmp\\new \\\\ \\")},
      {"04-carriage-return", std::string("crlf\r\nend\r")},
      {"05-null", std::monostate{}},
      {"06-unicode", std::string("grüße — 漢字 🎉")},
      {"07-empty", std::string("")},
      {"08-long", long_text},
      {"09-null-marker", std::string("\\N")},
      {"10-end-marker", std::string("\\.")},
      {"11-quotes", std::string("'single' \"double\" {\"json\": [1]}")},
      {"12-placeholders", std::string("? :a1 $1")},
  };
  std::vector<std::vector<SqlValue>> rows;
  for (const auto& [id, body] : bodies) rows.push_back(probe(id, body));
  rows.push_back({std::string("13-numbers"), std::monostate{}, std::numeric_limits<int64_t>::max(),
                  0.1, int64_t{1}, std::string("x")});
  rows.push_back({std::string("14-extremes"), std::string(), std::numeric_limits<int64_t>::min(),
                  -1.5e300, int64_t{0}, std::string()});
  EXPECT_EQ(insert(rows), static_cast<int64_t>(rows.size()));
  // An integer into a TEXT column.
  EXPECT_EQ(insert({{std::string("15-integer-label"), std::monostate{}, std::monostate{},
                     std::monostate{}, int64_t{0}, int64_t{42}}}),
            1);

  const auto stored = probe_rows();
  ASSERT_EQ(stored.size(), rows.size() + 1);
  for (size_t i = 0; i < bodies.size(); ++i) {
    SCOPED_TRACE(bodies[i].first);
    EXPECT_EQ(stored[i].text(0), bodies[i].first);
    if (std::holds_alternative<std::monostate>(bodies[i].second)) {
      EXPECT_TRUE(stored[i].is_null(1));
    } else {
      EXPECT_FALSE(stored[i].is_null(1));
      EXPECT_EQ(stored[i].text(1), std::get<std::string>(bodies[i].second));
    }
    EXPECT_TRUE(stored[i].is_null(2));
    EXPECT_TRUE(stored[i].is_null(3));
  }
  const SqlRow& numbers = stored[bodies.size()];
  EXPECT_EQ(numbers.i64(2), std::numeric_limits<int64_t>::max());
  EXPECT_DOUBLE_EQ(numbers.real(3), 0.1);
  EXPECT_TRUE(numbers.flag(4));
  const SqlRow& extremes = stored[bodies.size() + 1];
  EXPECT_EQ(extremes.i64(2), std::numeric_limits<int64_t>::min());
  EXPECT_DOUBLE_EQ(extremes.real(3), -1.5e300);
  EXPECT_FALSE(extremes.is_null(1));
  EXPECT_EQ(extremes.text(5), "");
  EXPECT_EQ(stored.back().text(5), "42");
}

TEST_P(ExecuteRowsTest, OnConflictTails) {
  insert({probe("a", std::string("first"), int64_t{1}), probe("b", std::string("first"), 5)});
  // DO NOTHING keeps what is there.
  EXPECT_EQ(insert({probe("a", std::string("second"), 2), probe("c", std::string("new"), 1)},
                   "ON CONFLICT DO NOTHING"),
            1);
  // DO UPDATE with a guard: only the newer value wins.
  insert({probe("a", std::string("newer"), 3), probe("b", std::string("older"), 4)},
         "ON CONFLICT (id) DO UPDATE SET body = excluded.body, n = excluded.n "
         "WHERE probe.n <= excluded.n");
  const auto stored = probe_rows();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].text(1), "newer");
  EXPECT_EQ(stored[0].i64(2), 3);
  EXPECT_EQ(stored[1].text(1), "first");
  EXPECT_EQ(stored[1].i64(2), 5);
  EXPECT_EQ(stored[2].text(1), "new");
}

TEST_P(ExecuteRowsTest, ReturningGivesTheInsertedRowsAcrossStatements) {
  insert({probe("id-0007", std::string("already there"), 7)});
  std::vector<std::vector<SqlValue>> rows;
  for (int i = 0; i < 1'234; ++i) {  // several statements' worth
    char id[16];
    std::snprintf(id, sizeof id, "id-%04d", i);
    rows.push_back(probe(id, std::string("body"), int64_t{i}));
  }
  std::vector<SqlRow> returned;
  EXPECT_EQ(insert(rows, "ON CONFLICT DO NOTHING RETURNING id, n", "ti", &returned), 1'233);
  ASSERT_EQ(returned.size(), 1'233u);
  std::set<std::string> ids;
  for (const SqlRow& r : returned) {
    ids.insert(r.text(0));
    EXPECT_EQ(r.text(0), "id-" + std::string(4 - std::to_string(r.i64(1)).size(), '0') +
                             std::to_string(r.i64(1)));
  }
  EXPECT_EQ(ids.size(), 1'233u);
  EXPECT_FALSE(ids.count("id-0007"));
  EXPECT_EQ(count("probe"), 1'234);
}

TEST_P(ExecuteRowsTest, SeveralCallsInOneTransaction) {
  {
    auto lock = db()->lock();
    WriteTransaction tx(*db());
    for (int call = 0; call < 3; ++call) {
      std::vector<std::vector<SqlValue>> log;
      for (int i = 0; i < 700; ++i) {
        log.push_back({std::to_string(call) + ":" + std::to_string(i), std::string("entry")});
      }
      execute_rows(session(), "probe_log", "id, body", log);
      execute_rows(session(), "probe", kProbeColumns,
                   {probe("p" + std::to_string(call), std::string("v1"), int64_t{call}),
                    probe("shared", std::string("call " + std::to_string(call)), int64_t{call})},
                   "ON CONFLICT (id) DO UPDATE SET body = excluded.body");
    }
    tx.commit();
  }
  EXPECT_EQ(count("probe"), 4);
  EXPECT_EQ(probe_rows().back().text(1), "call 2");
  // Rows keep their order: the serial numbers follow the input.
  auto lock = db()->lock();
  const auto log = SqlQuery("SELECT id FROM probe_log ORDER BY seq").fetch(session(), "t");
  ASSERT_EQ(log.size(), 2'100u);
  for (size_t k = 0; k < log.size(); ++k) {
    ASSERT_EQ(log[k].text(0), std::to_string(k / 700) + ":" + std::to_string(k % 700));
  }
}

TEST_P(ExecuteRowsTest, AllNullColumnsTakeTheColumnType) {
  EXPECT_EQ(insert({probe("a", std::monostate{}), probe("b", std::monostate{})}), 2);
  const auto stored = probe_rows();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_TRUE(stored[0].is_null(1));
  EXPECT_TRUE(stored[0].is_null(2));
}

TEST_P(ExecuteRowsTest, AFailingInsertNamesTheTableKeepsTheRowsSecretAndRollsBack) {
  insert({probe("kept", std::string("before"), 1)});
  {
    auto lock = db()->lock();
    WriteTransaction tx(*db());
    execute_rows(session(), "probe", kProbeColumns, {probe("in-tx", std::string("gone"), 2)});
    try {
      // label is NOT NULL.
      execute_rows(session(), "probe", kProbeColumns,
                   {probe("bad", std::string("s3cr3t-value"), 3, std::monostate{})},
                   "ON CONFLICT DO NOTHING");
      ADD_FAILURE() << "a NOT NULL violation was accepted";
    } catch (const std::exception& e) {
      EXPECT_THAT(e.what(), HasSubstr("probe"));
      EXPECT_THAT(e.what(), HasSubstr("label"));
      // SOCI's SQLite backend appends the bound values to its messages.
      if (GetParam() == Backend::kPostgres) {
        EXPECT_THAT(e.what(), Not(HasSubstr("s3cr3t")));
      }
    }
  }  // rolled back, not committed
  const auto stored = probe_rows();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].text(0), "kept");
  // The connection is fine afterwards.
  EXPECT_EQ(insert({probe("after", std::string("ok"), 4)}), 1);
  EXPECT_EQ(count("probe"), 2);
}

TEST_P(ExecuteRowsTest, AnInvalidValueDoesNotEndUpInTheMessage) {
  // PostgreSQL rejects invalid UTF-8 and quotes the bytes in its message;
  // SQLite stores them as they are.
  bool threw = false;
  try {
    insert({probe("a", std::string("s3cr3t-\xff\xfe"))});
  } catch (const std::exception& e) {
    threw = true;
    EXPECT_THAT(e.what(), HasSubstr("probe"));
    EXPECT_THAT(e.what(), Not(HasSubstr("s3cr3t")));
    EXPECT_THAT(e.what(), Not(HasSubstr("0xff")));
  }
  EXPECT_EQ(threw, GetParam() == Backend::kPostgres);
}

TEST_P(ExecuteRowsTest, RowsOfTheWrongWidthOrMixedColumnsAreRejected) {
  EXPECT_THROW(insert({{std::string("a"), std::string("b")}}), std::logic_error);
  if (GetParam() == Backend::kPostgres) {
    // One array per column: a column is either text or numbers.
    EXPECT_THROW(insert({probe("a", std::string("x")), probe("b", int64_t{1})}), std::logic_error);
  }
  EXPECT_EQ(count("probe"), 0);
}

TEST_P(ExecuteRowsTest, AStatementOfARolledBackTransactionRunsAgain) {
  // PostgreSQL keeps prepared statements across a rollback; the store's
  // bookkeeping of them must agree.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto lock = db()->lock();
    WriteTransaction tx(*db());
    std::vector<SqlRow> returned;
    execute_rows(session(), "probe", kProbeColumns, {probe("a", std::string("x"), 1)},
                 "ON CONFLICT DO NOTHING RETURNING id", "t", &returned);
    EXPECT_EQ(returned.size(), 1u);
    EXPECT_EQ(fetch_in(session(), "SELECT id FROM probe WHERE id IN", {"a", "b"}, "", "t").size(),
              1u);
  }  // rolled back each time
  EXPECT_EQ(count("probe"), 0);
}

TEST_P(ExecuteRowsTest, ManyDifferentStatementsOnOneConnection) {
  // More statement texts than a connection keeps prepared.
  for (int i = 0; i < 130; ++i) {
    EXPECT_EQ(insert({probe("id-" + std::to_string(i), std::string("x"), i)},
                     "ON CONFLICT DO NOTHING /* " + std::to_string(i) + " */"),
              1);
  }
  EXPECT_EQ(insert({probe("id-0", std::string("again"), 0)}, "ON CONFLICT DO NOTHING /* 0 */"), 0);
  EXPECT_EQ(count("probe"), 130);
}

TEST_P(ExecuteRowsTest, DeallocatedStatementsArePreparedAgain) {
  if (GetParam() != Backend::kPostgres) GTEST_SKIP() << "prepared statements are PostgreSQL's";
  auto lock = db()->lock();
  const auto find = [&](const std::string& id) {
    return fetch_in(session(), "SELECT id FROM probe WHERE id IN", {id}, "", "t").size();
  };
  const auto add = [&](const std::string& id) {
    return execute_rows(session(), "probe", kProbeColumns, {probe(id, std::string("x"), 1)});
  };
  add("a");
  EXPECT_EQ(find("a"), 1u);
  session() << "DEALLOCATE ALL";
  // Each statement fails once, then is prepared again under a name of its own.
  EXPECT_THROW(add("b"), soci::soci_error);
  EXPECT_EQ(add("b"), 1);
  EXPECT_THROW(find("b"), soci::soci_error);
  EXPECT_EQ(find("b"), 1u);
  EXPECT_EQ(add("c"), 1);
  EXPECT_EQ(find("c"), 1u);
}

class FetchInTest : public ExecuteRowsTest {
 protected:
  void SetUp() override {
    ExecuteRowsTest::SetUp();
    if (IsSkipped()) return;
    std::vector<std::vector<SqlValue>> rows;
    for (int i = 0; i < 1'200; ++i) {
      rows.push_back(probe("k" + std::to_string(i), std::string(i % 2 ? "odd" : "even"), i,
                           std::string(i % 3 ? "plain" : "it's ?")));
    }
    insert(rows);
  }
};

TEST_P(FetchInTest, FindsExactlyTheKeysAcrossStatements) {
  std::vector<std::string> keys;
  for (int i = 0; i < 1'200; i += 2) keys.push_back("k" + std::to_string(i));
  keys.push_back("missing");
  keys.push_back("it's");
  keys.push_back("k0");  // twice
  auto lock = db()->lock();
  const auto rows =
      fetch_in(session(), "SELECT id, n FROM probe WHERE id IN", keys, "ORDER BY n", "ti");
  ASSERT_EQ(rows.size(), 601u);  // k0 is found by two statements
  std::set<int64_t> found;
  for (const SqlRow& r : rows) {
    EXPECT_EQ(r.text(0), "k" + std::to_string(r.i64(1)));
    EXPECT_EQ(r.i64(1) % 2, 0);
    found.insert(r.i64(1));
  }
  EXPECT_EQ(found.size(), 600u);
  EXPECT_TRUE(fetch_in(session(), "SELECT id FROM probe WHERE id IN", {}, "", "t").empty());
}

TEST_P(FetchInTest, LeadingAndTrailingArgumentsAndQuotedQuestionMarks) {
  auto lock = db()->lock();
  // '?' inside quotes is text, not a placeholder.
  const auto rows = fetch_in(
      session(), "SELECT id, label FROM probe WHERE body = ? AND label <> '?' AND id IN",
      {"k0", "k1", "k2", "k3", "k4", "k6"}, "AND n >= ? AND CAST(? AS BIGINT) IS NULL ORDER BY id",
      "tt", {std::string("even")}, {int64_t{2}, std::monostate{}});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].text(0), "k2");
  EXPECT_EQ(rows[1].text(0), "k4");
  EXPECT_EQ(rows[2].text(0), "k6");
  EXPECT_EQ(rows[2].text(1), "it's ?");
  EXPECT_EQ(
      execute_in(session(), "UPDATE probe SET label = ?, n = ? WHERE id IN", {"k1", "k3", "nope"},
                 "AND body = ?", {std::string("changed"), int64_t{-1}}, {std::string("odd")}),
      2);
  EXPECT_EQ(fetch_in(session(), "SELECT id FROM probe WHERE label = 'changed' AND n = -1 AND id IN",
                     {"k1", "k2", "k3"}, "", "t")
                .size(),
            2u);
}

TEST_P(FetchInTest, AFailingQueryNamesItAndKeepsTheKeysSecret) {
  auto lock = db()->lock();
  try {
    fetch_in(session(), "SELECT id FROM probe WHERE id IN", {"s3cr3t-\xff"}, "", "t");
    EXPECT_EQ(GetParam(), Backend::kSqlite) << "invalid UTF-8 was accepted";
  } catch (const std::exception& e) {
    EXPECT_THAT(e.what(), HasSubstr("FROM probe"));
    EXPECT_THAT(e.what(), Not(HasSubstr("s3cr3t")));
  }
  EXPECT_THROW(fetch_in(session(), "SELECT id FROM no_such_table WHERE id IN", {"a"}, "", "t"),
               std::exception);
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecuteRowsTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, FetchInTest, ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
