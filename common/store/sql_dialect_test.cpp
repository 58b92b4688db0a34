#include "common/store/sql_dialect.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <exception>
#include <typeinfo>

#include "common/store/pg_bulk_statements.hpp"
#include "common/store/sqlite_bulk_statements.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync {
namespace {

using testing::StoreTest;

TEST(SqlDialect, EachBackendBatchesItsOwnWay) {
  const auto postgres = make_dialect(Backend::kPostgres);
  const auto sqlite = make_dialect(Backend::kSqlite);
  EXPECT_NE(dynamic_cast<const PgBulkStatements*>(&postgres->bulk_statements()), nullptr);
  EXPECT_NE(dynamic_cast<const SqliteBulkStatements*>(&sqlite->bulk_statements()), nullptr);
  EXPECT_FALSE(postgres->soci_binds_question_marks());
  EXPECT_TRUE(sqlite->soci_binds_question_marks());
}

TEST(SqlDialect, OfASessionNotConnectedThrows) {
  soci::session closed;
  EXPECT_THROW(SqlDialect::of(closed), std::exception);
}

// SqlDialect::of is how SqlQuery and the batch helpers, which get only the
// session, find the dialect the Database chose from its URL.
class SqlDialectOfSessionTest : public StoreTest {};

TEST_P(SqlDialectOfSessionTest, IsTheDatabasesDialect) {
  auto lock = db()->lock();
  const SqlDialect& dialect = SqlDialect::of(db()->session());
  EXPECT_EQ(dialect.backend(), db()->backend());
  EXPECT_EQ(dialect.soci_binds_question_marks(), db()->dialect().soci_binds_question_marks());
  EXPECT_EQ(typeid(dialect.bulk_statements()), typeid(db()->dialect().bulk_statements()));
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlDialectOfSessionTest,
                         ::testing::ValuesIn(testing::store_test_backends()),
                         testing::backend_name);

}  // namespace
}  // namespace jirasync
