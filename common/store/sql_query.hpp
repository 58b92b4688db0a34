#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace soci {
class session;
}

namespace jirasync {

// A bound value: NULL, a 64-bit integer, a double or text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

// One result row, read with the column kinds the caller asked for.
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::string text(size_t i) const;  // "" for NULL
  int64_t i64(size_t i) const;       // 0 for NULL
  double real(size_t i) const;       // 0 for NULL
  bool flag(size_t i) const { return i64(i) != 0; }
  std::optional<std::string> opt_text(size_t i) const;
  std::optional<int64_t> opt_i64(size_t i) const;
  // text() and opt_text() that move a text value out (the row keeps an empty
  // string): for rows read once into objects, without a copy of each value.
  std::string take_text(size_t i);
  std::optional<std::string> take_opt_text(size_t i);

 private:
  std::vector<SqlValue> values_;
};

// SQL text with `?` placeholders (every `?` outside single quotes is one) and
// its positional arguments. SOCI's own
// `<<`/use() binding fixes the number of arguments at compile time; IN lists and
// multi-row VALUES need it at run time, which is what this adds.
class SqlQuery {
 public:
  explicit SqlQuery(std::string text) : text_(std::move(text)) {}

  SqlQuery& arg(const std::string& v);
  SqlQuery& arg(const char* v) { return arg(std::string(v)); }
  SqlQuery& arg(int64_t v);
  SqlQuery& arg(int v) { return arg(static_cast<int64_t>(v)); }
  SqlQuery& arg(bool v) { return arg(static_cast<int64_t>(v ? 1 : 0)); }
  SqlQuery& arg(double v);
  SqlQuery& arg(const std::optional<std::string>& v);
  SqlQuery& arg(const std::optional<int64_t>& v);
  SqlQuery& arg(const SqlValue& v);
  SqlQuery& null();

  // Runs the statement; returns the number of affected rows.
  int64_t execute(soci::session& session) const;
  // Runs a query returning rows. `columns` has one letter per column:
  // 't' text, 'i' 64-bit integer, 'r' real.
  std::vector<SqlRow> fetch(soci::session& session, std::string_view columns) const;
  // The first row, if any.
  std::optional<SqlRow> fetch_one(soci::session& session, std::string_view columns) const;

  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<SqlValue> args_;
};

// Batch helpers. They split their work into statements of at most 500 rows or
// keys, well under the backends' bound-parameter limits (PostgreSQL 65535,
// SQLite 32766). On PostgreSQL they run through libpq as statements prepared
// once per connection, with binary array parameters (pg_bulk_statements.hpp);
// SqlDialect::bulk_statements() picks the path.

// INSERT INTO `table` (`columns`) <rows> `tail`, for rows of one width each.
// On SQLite the rows go in as multi-row VALUES. On PostgreSQL each column goes
// in as one binary array parameter, `SELECT unnest($1), unnest($2), ...`. A
// column is sent as text, bigint or double precision after its values (all
// NULL: an untyped NULL), so there a column may not mix text and numbers
// (std::logic_error); INSERT's assignment casts convert to the column's type.
// A failure on PostgreSQL throws soci::soci_error naming `table` and the
// server's reason, never a value from the rows, and leaves the transaction
// aborted like any failed statement.
// With `returning` non-empty the statement's RETURNING rows (read with those
// column kinds) are collected into `returned`. Returns the affected rows.
int64_t execute_rows(soci::session& session, const std::string& table, const std::string& columns,
                     const std::vector<std::vector<SqlValue>>& rows, const std::string& tail = "",
                     std::string_view returning = "", std::vector<SqlRow>* returned = nullptr);

// `before` + " (?,?,..) " + `after` for chunks of `keys` (PostgreSQL:
// " (SELECT unnest(<keys as text[]>)) ", the same rows); `leading` arguments
// are bound before the keys of each chunk, `trailing` after them.
std::vector<SqlRow> fetch_in(soci::session& session, const std::string& before,
                             const std::vector<std::string>& keys, const std::string& after,
                             std::string_view columns, const std::vector<SqlValue>& leading = {},
                             const std::vector<SqlValue>& trailing = {});
int64_t execute_in(soci::session& session, const std::string& before,
                   const std::vector<std::string>& keys, const std::string& after,
                   const std::vector<SqlValue>& leading = {},
                   const std::vector<SqlValue>& trailing = {});

// "?,?,?" with n placeholders (n >= 1).
std::string placeholders(size_t n);
// "(?,?),(?,?)" : rows tuples of width placeholders each.
std::string placeholder_rows(size_t rows, size_t width);

}  // namespace jirasync
