#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/store/sql_query.hpp"

namespace soci {
class session;
}

namespace jirasync {

// How batches of rows and keys reach one backend: SqlDialect::bulk_statements()
// picks the implementation (PgBulkStatements, SqliteBulkStatements), and
// execute_rows, fetch_in and execute_in (sql_query.hpp) check their arguments
// and hand them on, so no caller asks which backend it is on. The contracts are
// those of the three functions.
class BulkStatements {
 public:
  // Rows or keys per statement, well under the backends' bound-parameter limits
  // (PostgreSQL 65535, SQLite 32766).
  static constexpr size_t kMaxRowsPerStatement = 500;

  virtual ~BulkStatements() = default;
  // `columns` as the caller wrote them and split into `names`; every row has
  // names.size() values and `rows` is not empty.
  virtual int64_t execute_rows(soci::session& session, const std::string& table,
                               const std::string& columns, const std::vector<std::string>& names,
                               const std::vector<std::vector<SqlValue>>& rows,
                               const std::string& tail, std::string_view returning,
                               std::vector<SqlRow>* returned) const = 0;
  virtual std::vector<SqlRow> fetch_in(soci::session& session, const std::string& before,
                                       const std::vector<std::string>& keys,
                                       const std::string& after, std::string_view columns,
                                       const std::vector<SqlValue>& leading,
                                       const std::vector<SqlValue>& trailing) const = 0;
  virtual int64_t execute_in(soci::session& session, const std::string& before,
                             const std::vector<std::string>& keys, const std::string& after,
                             const std::vector<SqlValue>& leading,
                             const std::vector<SqlValue>& trailing) const = 0;
};

}  // namespace jirasync
