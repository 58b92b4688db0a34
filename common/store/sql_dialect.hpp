#pragma once

#include <memory>
#include <string>

#include "common/url/database_url.hpp"

namespace soci {
class session;
}

namespace jirasync {

class BulkStatements;

// The few places where PostgreSQL and SQLite SQL differ. Everything else the
// stores write is shared text (`INSERT ... ON CONFLICT ... DO UPDATE`,
// `RETURNING`, partial indexes all work on both). Booleans are stored as 0/1
// integers on both backends, so no boolean literal differs.
class SqlDialect {
 public:
  virtual ~SqlDialect() = default;
  virtual Backend backend() const = 0;
  // Starts a transaction that will write. SQLite needs BEGIN IMMEDIATE: a
  // deferred transaction that later upgrades to a writer can fail with
  // SQLITE_BUSY without waiting for the busy timeout.
  virtual const char* begin_write() const = 0;
  // Appended to a SELECT that reads a row about to be updated (" FOR UPDATE"
  // on PostgreSQL; SQLite already holds the database write lock).
  virtual const char* lock_for_update() const = 0;
  // Two-argument maximum: GREATEST on PostgreSQL, scalar MAX on SQLite.
  virtual std::string greatest(const std::string& a, const std::string& b) const = 0;
  // DDL types.
  virtual const char* bigint_type() const = 0;
  virtual const char* text_type() const = 0;
  virtual const char* real_type() const = 0;
  virtual const char* bool_type() const = 0;
  virtual const char* serial_primary_key() const = 0;
  // The database's own wall clock in epoch milliseconds (only for bookkeeping
  // such as schema_migrations; domain timestamps come from the injected Clock).
  virtual const char* now_ms() const = 0;
  // Takes the lock that serialises concurrent migrators (empty when the
  // write transaction already does).
  virtual const char* lock_migrations() const = 0;

  // How execute_rows, fetch_in and execute_in run (bulk_statements.hpp): binary
  // arrays through libpq on PostgreSQL, multi-row VALUES and IN lists on
  // SQLite.
  virtual const BulkStatements& bulk_statements() const = 0;
  // Whether SOCI binds `?` placeholders by position. Its PostgreSQL backend
  // understands only `:name`, so SqlQuery names them there.
  virtual bool soci_binds_question_marks() const = 0;

  // Replaces ${BIGINT}, ${TEXT}, ${REAL}, ${BOOL}, ${SERIAL_PK} and ${NOW_MS}.
  std::string expand(const std::string& sql) const;

  // The dialect of a session, for code that has only the session (SqlQuery and
  // the batch helpers): the one place that reads SOCI's backend name. Throws
  // std::logic_error for a backend other than PostgreSQL and SQLite.
  static const SqlDialect& of(soci::session& session);
};

std::unique_ptr<SqlDialect> make_dialect(Backend backend);

}  // namespace jirasync
