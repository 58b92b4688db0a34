#include "common/store/sqlite_bulk_statements.hpp"

#include <algorithm>
#include <utility>

namespace jirasync {

namespace {

constexpr size_t kMaxRowsPerStatement = BulkStatements::kMaxRowsPerStatement;
// Bound parameters per statement, well under SQLite's limit of 32766.
constexpr size_t kMaxParamsPerStatement = 10'000;

template <typename Run>
void for_each_in_chunk(const std::string& before, const std::vector<std::string>& keys,
                       const std::string& after, const std::vector<SqlValue>& leading,
                       const std::vector<SqlValue>& trailing, Run run) {
  for (size_t start = 0; start < keys.size(); start += kMaxRowsPerStatement) {
    const size_t n = std::min(kMaxRowsPerStatement, keys.size() - start);
    SqlQuery q(before + " (" + placeholders(n) + ") " + after);
    for (const SqlValue& v : leading) q.arg(v);
    for (size_t i = start; i < start + n; ++i) q.arg(keys[i]);
    for (const SqlValue& v : trailing) q.arg(v);
    run(q);
  }
}

}  // namespace

int64_t SqliteBulkStatements::execute_rows(soci::session& session, const std::string& table,
                                           const std::string& columns,
                                           const std::vector<std::string>& names,
                                           const std::vector<std::vector<SqlValue>>& rows,
                                           const std::string& tail, std::string_view returning,
                                           std::vector<SqlRow>* returned) const {
  const size_t width = names.size();
  const size_t per_statement =
      std::max<size_t>(1, std::min(kMaxRowsPerStatement, kMaxParamsPerStatement / width));
  int64_t affected = 0;
  for (size_t start = 0; start < rows.size(); start += per_statement) {
    const size_t n = std::min(per_statement, rows.size() - start);
    SqlQuery q("INSERT INTO " + table + " (" + columns + ") VALUES " + placeholder_rows(n, width) +
               " " + tail);
    for (size_t r = start; r < start + n; ++r) {
      for (const SqlValue& v : rows[r]) q.arg(v);
    }
    if (returning.empty()) {
      affected += q.execute(session);
    } else {
      auto got = q.fetch(session, returning);
      affected += static_cast<int64_t>(got.size());
      if (returned) {
        for (auto& row : got) returned->push_back(std::move(row));
      }
    }
  }
  return affected;
}

std::vector<SqlRow> SqliteBulkStatements::fetch_in(
    soci::session& session, const std::string& before, const std::vector<std::string>& keys,
    const std::string& after, std::string_view columns, const std::vector<SqlValue>& leading,
    const std::vector<SqlValue>& trailing) const {
  std::vector<SqlRow> rows;
  for_each_in_chunk(before, keys, after, leading, trailing, [&](const SqlQuery& q) {
    for (auto& row : q.fetch(session, columns)) rows.push_back(std::move(row));
  });
  return rows;
}

int64_t SqliteBulkStatements::execute_in(soci::session& session, const std::string& before,
                                         const std::vector<std::string>& keys,
                                         const std::string& after,
                                         const std::vector<SqlValue>& leading,
                                         const std::vector<SqlValue>& trailing) const {
  int64_t affected = 0;
  for_each_in_chunk(before, keys, after, leading, trailing,
                    [&](const SqlQuery& q) { affected += q.execute(session); });
  return affected;
}

}  // namespace jirasync
