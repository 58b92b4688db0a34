#pragma once

#include "common/store/bulk_statements.hpp"

namespace jirasync {

// Batches on SQLite, through SqlQuery: rows as multi-row VALUES, keys as IN
// lists of `?`. SQLite parses such a statement in microseconds and binds by
// position, so there is nothing to gain from preparing it once.
class SqliteBulkStatements final : public BulkStatements {
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
