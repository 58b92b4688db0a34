#pragma once

#include "common/store/bulk_statements.hpp"

namespace jirasync {

// Batches on PostgreSQL, through libpq (libpq_connection.hpp) rather than
// SOCI: rows as one binary array parameter per column,
// `INSERT INTO t (a, b) SELECT unnest($1), unnest($2) <tail>`, and keys as
// `... IN (SELECT unnest($n))` with one binary text[]. Each statement is
// prepared once per connection and kept with it (pg_bulk_statements.cpp says
// why). A column is sent as text, bigint or double precision after its values,
// so it may not mix text and numbers (std::logic_error). A failure throws
// soci::soci_error naming the table or statement and the server's reason,
// never a value from the rows or keys.
class PgBulkStatements final : public BulkStatements {
 public:
  int64_t execute_rows(soci::session& session, const std::string& table, const std::string& columns,
                       const std::vector<std::string>& names,
                       const std::vector<std::vector<SqlValue>>& rows, const std::string& tail,
                       std::string_view returning, std::vector<SqlRow>* returned) const override;
  std::vector<SqlRow> fetch_in(soci::session& session, const std::string& before,
                               const std::vector<std::string>& keys, const std::string& after,
                               std::string_view columns, const std::vector<SqlValue>& leading,
                               const std::vector<SqlValue>& trailing) const override;
  int64_t execute_in(soci::session& session, const std::string& before,
                     const std::vector<std::string>& keys, const std::string& after,
                     const std::vector<SqlValue>& leading,
                     const std::vector<SqlValue>& trailing) const override;
};

}  // namespace jirasync
