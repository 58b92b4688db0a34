#include "common/store/sql_dialect.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "common/store/pg_bulk_statements.hpp"
#include "common/store/sqlite_bulk_statements.hpp"

namespace jirasync {

namespace {

class PostgresDialect final : public SqlDialect {
 public:
  Backend backend() const override { return Backend::kPostgres; }
  const char* begin_write() const override { return "BEGIN"; }
  const char* lock_for_update() const override { return " FOR UPDATE"; }
  std::string greatest(const std::string& a, const std::string& b) const override {
    return "GREATEST(" + a + ", " + b + ")";
  }
  const char* bigint_type() const override { return "BIGINT"; }
  const char* text_type() const override { return "TEXT"; }
  const char* real_type() const override { return "DOUBLE PRECISION"; }
  const char* bool_type() const override { return "SMALLINT"; }
  const char* serial_primary_key() const override { return "BIGSERIAL PRIMARY KEY"; }
  const char* now_ms() const override {
    return "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
  }
  const char* lock_migrations() const override {
    return "LOCK TABLE schema_migrations IN EXCLUSIVE MODE";
  }
  const BulkStatements& bulk_statements() const override {
    static const PgBulkStatements statements{};
    return statements;
  }
  bool soci_binds_question_marks() const override { return false; }
};

class SqliteDialect final : public SqlDialect {
 public:
  Backend backend() const override { return Backend::kSqlite; }
  const char* begin_write() const override { return "BEGIN IMMEDIATE"; }
  const char* lock_for_update() const override { return ""; }
  std::string greatest(const std::string& a, const std::string& b) const override {
    return "MAX(" + a + ", " + b + ")";
  }
  // BIGINT has INTEGER affinity in SQLite and keeps the column 64-bit in SOCI's eyes.
  const char* bigint_type() const override { return "BIGINT"; }
  const char* text_type() const override { return "TEXT"; }
  const char* real_type() const override { return "REAL"; }
  const char* bool_type() const override { return "INTEGER"; }
  const char* serial_primary_key() const override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }
  const char* now_ms() const override {
    return "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
  }
  const char* lock_migrations() const override { return ""; }
  const BulkStatements& bulk_statements() const override {
    static const SqliteBulkStatements statements{};
    return statements;
  }
  bool soci_binds_question_marks() const override { return true; }
};

}  // namespace

std::string SqlDialect::expand(const std::string& sql) const {
  const std::vector<std::pair<std::string, std::string>> vars = {
      {"${BIGINT}", bigint_type()},
      {"${TEXT}", text_type()},
      {"${REAL}", real_type()},
      {"${BOOL}", bool_type()},
      {"${SERIAL_PK}", serial_primary_key()},
      {"${NOW_MS}", now_ms()},
  };
  std::string out = sql;
  for (const auto& [name, value] : vars) {
    for (size_t pos = out.find(name); pos != std::string::npos;
         pos = out.find(name, pos + value.size())) {
      out.replace(pos, name.size(), value);
    }
  }
  if (auto pos = out.find("${"); pos != std::string::npos) {
    throw std::logic_error("unknown SQL template variable in: " + out.substr(pos, 20));
  }
  return out;
}

const SqlDialect& SqlDialect::of(soci::session& session) {
  static const PostgresDialect postgres;
  static const SqliteDialect sqlite;
  const std::string name = session.get_backend_name();
  if (name == "postgresql") return postgres;
  if (name == "sqlite3") return sqlite;
  throw std::logic_error("no SQL dialect for the SOCI backend '" + name + "'");
}

std::unique_ptr<SqlDialect> make_dialect(Backend backend) {
  if (backend == Backend::kPostgres) return std::make_unique<PostgresDialect>();
  return std::make_unique<SqliteDialect>();
}

}  // namespace jirasync
