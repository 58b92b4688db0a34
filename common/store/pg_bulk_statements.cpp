#include "common/store/pg_bulk_statements.hpp"

#include <libpq-events.h>
#include <soci/soci.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>

#include "common/store/libpq_connection.hpp"

namespace jirasync {

namespace {

// Why binary arrays, through libpq:
//
// Rows: INSERT INTO t (a, b) SELECT unnest($1), unnest($2) <tail>, one array
// per column in PostgreSQL's binary format. Keys: ... IN (SELECT unnest($n)).
// The server takes a binary array as a length per element and a copy, with no
// parsing (a JSON parameter cost it a JSON lexer, de-escaping and a hash lookup
// per field; an IN list a parameter per key), and the rows need no temporary
// table, so ON CONFLICT and RETURNING stay one ordinary statement. The
// statements are prepared once per connection. docs/benchmarks.md has the
// measurements, also of COPY into a temporary stage.

constexpr size_t kMaxRowsPerStatement = BulkStatements::kMaxRowsPerStatement;

struct PgResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, PgResultFree>;

// The server's reason without any value from the rows, which may hold
// anything: DETAIL ("Failing row contains ...") and CONTEXT are left out, and
// a data exception's message (class 22) stops before the value it quotes.
std::string describe_failure(PGconn* conn, const PGresult* result) {
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (!primary) {  // not the server's: libpq's own (connection lost, out of memory)
    std::string text = PQerrorMessage(conn);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.pop_back();
    }
    return text.empty() ? "no reason given by libpq" : text;
  }
  std::string text = primary;
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  if (state && std::string_view(state).substr(0, 2) == "22") {
    if (size_t pos = text.find(": "); pos != std::string::npos) text.erase(pos);
  }
  if (state) text += std::string(" (SQLSTATE ") + state + ")";
  return text;
}

// Named statements prepared on one connection, by SQL text. An unnamed
// statement is parsed and planned at every execution, with its arrays folded
// into the plan as constants (two more copies of every value); a prepared one
// gets a plan for all parameter values after five executions. The server keeps
// a prepared statement for the session (a rollback does not undo it), and
// libpq keeps this map with the connection (instance data of an event
// procedure), so it ends with it and empties on a reset.
struct PreparedStatements {
  // Bounds the statements a connection holds; SQL texts differ only by the
  // caller and by which columns of a chunk are all NULL, so few are needed.
  static constexpr size_t kMax = 100;
  std::map<std::string, std::string> names;
  uint64_t last_id = 0;  // names are never reused, also after an erase
};

int prepared_statements_event(PGEventId event, void* info, void* /*pass_through*/) {
  PGconn* conn = nullptr;
  if (event == PGEVT_CONNDESTROY) conn = static_cast<PGEventConnDestroy*>(info)->conn;
  if (event == PGEVT_CONNRESET) conn = static_cast<PGEventConnReset*>(info)->conn;
  if (!conn) return 1;
  auto* statements =
      static_cast<PreparedStatements*>(PQinstanceData(conn, prepared_statements_event));
  if (event == PGEVT_CONNDESTROY) {
    delete statements;
  } else if (statements) {
    statements->names.clear();  // a new server session
  }
  return 1;
}

// Null when libpq cannot keep the map: statements then run unnamed.
PreparedStatements* prepared_statements(PGconn* conn) {
  if (auto* known =
          static_cast<PreparedStatements*>(PQinstanceData(conn, prepared_statements_event))) {
    return known;
  }
  if (!PQregisterEventProc(conn, prepared_statements_event, "jirasync prepared statements",
                           nullptr)) {
    return nullptr;
  }
  auto statements = std::make_unique<PreparedStatements>();
  if (!PQsetInstanceData(conn, prepared_statements_event, statements.get())) return nullptr;
  return statements.release();
}

// Element and array type OIDs (fixed since PostgreSQL 8; pg_type.h is not a
// client header).
constexpr Oid kTextOid = 25;
constexpr Oid kInt8Oid = 20;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kTextArrayOid = 1009;
constexpr Oid kInt8ArrayOid = 1016;
constexpr Oid kFloat8ArrayOid = 1022;

void put_u32(std::string& out, uint32_t v) {
  const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                         static_cast<char>(v >> 8), static_cast<char>(v)};
  out.append(bytes, 4);
}

void put_u64(std::string& out, uint64_t v) {
  put_u32(out, static_cast<uint32_t>(v >> 32));
  put_u32(out, static_cast<uint32_t>(v));
}

// The head of a one-dimensional array in array_send's layout; the caller
// appends `n` elements, each a 32-bit length (-1 for NULL) and its bytes.
void put_array_head(std::string& out, Oid element, size_t n, bool has_null) {
  put_u32(out, 1);  // dimensions
  put_u32(out, has_null ? 1 : 0);
  put_u32(out, element);
  put_u32(out, static_cast<uint32_t>(n));  // length of the dimension
  put_u32(out, 1);                         // its lower bound
}

void put_text_element(std::string& out, const std::string& s, const std::string& what) {
  if (s.size() > 0x3fffffff) {  // PostgreSQL's limit for one value
    throw std::invalid_argument(what + ": a value is larger than 1 GB");
  }
  put_u32(out, static_cast<uint32_t>(s.size()));
  out += s;
}

// One column of rows [start, start + n) as a binary array, typed by its
// values: text, or bigint, or double precision when any value is a double.
// INSERT's assignment casts take bigint on to SMALLINT and TEXT columns.
// Returns the array type, or 0 when every value is NULL: that column is sent
// as an untyped NULL, which takes on the column's type.
Oid column_array(const std::vector<std::vector<SqlValue>>& rows, size_t start, size_t n, size_t c,
                 const std::string& what, std::string& out) {
  bool text = false, integer = false, real = false, null = false;
  size_t text_bytes = 0;
  for (size_t r = start; r < start + n; ++r) {
    const SqlValue& v = rows[r][c];
    if (const auto* s = std::get_if<std::string>(&v)) {
      text = true;
      text_bytes += s->size();
    } else {
      integer |= std::holds_alternative<int64_t>(v);
      real |= std::holds_alternative<double>(v);
      null |= std::holds_alternative<std::monostate>(v);
    }
  }
  if (!text && !integer && !real) return 0;
  if (text && (integer || real)) {
    throw std::logic_error("execute_rows: " + what + " mixes text and numbers");
  }
  const Oid element = text ? kTextOid : real ? kFloat8Oid : kInt8Oid;
  out.clear();
  out.reserve(20 + n * (text ? 4 : 12) + text_bytes);
  put_array_head(out, element, n, null);
  for (size_t r = start; r < start + n; ++r) {
    const SqlValue& v = rows[r][c];
    if (const auto* s = std::get_if<std::string>(&v)) {
      put_text_element(out, *s, what);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      put_u32(out, 8);
      put_u64(out, element == kFloat8Oid ? std::bit_cast<uint64_t>(static_cast<double>(*i))
                                         : static_cast<uint64_t>(*i));
    } else if (const auto* d = std::get_if<double>(&v)) {
      put_u32(out, 8);
      put_u64(out, std::bit_cast<uint64_t>(*d));
    } else {
      put_u32(out, 0xffffffffu);  // NULL
    }
  }
  if (element == kTextOid) return kTextArrayOid;
  return element == kInt8Oid ? kInt8ArrayOid : kFloat8ArrayOid;
}

// The parameters of one libpq statement: binary arrays, and scalars in text
// format whose type the server infers from where they stand.
class PgParams {
 public:
  void add_array(Oid array_type, std::string bytes) {
    data_.push_back(std::move(bytes));
    push(array_type, data_.back().data(), data_.back().size(), 1);
  }
  void add_scalar(const SqlValue& v) {
    if (std::holds_alternative<std::monostate>(v)) {
      push(0, nullptr, 0, 0);
      return;
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
      data_.push_back(*s);
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      data_.push_back(std::to_string(*i));
    } else {
      char buf[32];
      auto end = std::to_chars(buf, buf + sizeof buf, std::get<double>(v)).ptr;
      data_.emplace_back(buf, end);
    }
    push(0, data_.back().c_str(), data_.back().size(), 0);
  }
  int count() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void push(Oid type, const char* value, size_t length, int format) {
    types_.push_back(type);
    values_.push_back(value);
    lengths_.push_back(static_cast<int>(length));
    formats_.push_back(format);
  }
  std::deque<std::string> data_;  // stable addresses for values_
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// The name `sql` is prepared under on this connection, preparing it first;
// null when the connection keeps no more (the statement then runs unnamed).
const std::string* prepared_name(PGconn* conn, const std::string& sql, const PgParams& params,
                                 const std::string& what) {
  PreparedStatements* statements = prepared_statements(conn);
  if (!statements) return nullptr;
  if (auto it = statements->names.find(sql); it != statements->names.end()) return &it->second;
  if (statements->names.size() >= PreparedStatements::kMax) return nullptr;
  std::string name = "jirasync_" + std::to_string(++statements->last_id);
  PgResult prepared(PQprepare(conn, name.c_str(), sql.c_str(), params.count(), params.types()));
  if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    throw soci::soci_error(what + " failed: " + describe_failure(conn, prepared.get()));
  }
  return &statements->names.emplace(sql, std::move(name)).first->second;
}

// Runs `sql` ($n placeholders). Throws soci::soci_error "<what> failed:
// <reason>" unless it succeeded; the caller's transaction is then aborted, as
// after any failed statement.
PgResult run_pg(PGconn* conn, const std::string& sql, const PgParams& params,
                const std::string& what) {
  const std::string* name = prepared_name(conn, sql, params, what);
  PgResult result(name ? PQexecPrepared(conn, name->c_str(), params.count(), params.values(),
                                        params.lengths(), params.formats(), 0)
                       : PQexecParams(conn, sql.c_str(), params.count(), params.types(),
                                      params.values(), params.lengths(), params.formats(), 0));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
    if (name && state && std::string_view(state) == "26000") {
      // Deallocated behind our back (DISCARD ALL): prepare it afresh next time.
      prepared_statements(conn)->names.erase(sql);
    }
    throw soci::soci_error(what + " failed: " + describe_failure(conn, result.get()));
  }
  return result;
}

int64_t affected_rows(const PGresult* result) {
  return std::strtoll(PQcmdTuples(const_cast<PGresult*>(result)), nullptr, 10);
}

// A result's rows read with SqlQuery::fetch's column kinds.
std::vector<SqlRow> rows_of(const PGresult* result, std::string_view kinds,
                            const std::string& what) {
  if (PQnfields(result) != static_cast<int>(kinds.size())) {
    throw std::logic_error(what + " returns " + std::to_string(PQnfields(result)) +
                           " columns, not " + std::to_string(kinds.size()));
  }
  std::vector<SqlRow> rows;
  const int count = PQntuples(result);
  rows.reserve(static_cast<size_t>(count));
  for (int r = 0; r < count; ++r) {
    std::vector<SqlValue> values;
    values.reserve(kinds.size());
    for (size_t c = 0; c < kinds.size(); ++c) {
      const int column = static_cast<int>(c);
      if (PQgetisnull(result, r, column)) {
        values.emplace_back(std::monostate{});
        continue;
      }
      const char* text = PQgetvalue(result, r, column);
      const char* end = text + PQgetlength(result, r, column);
      if (kinds[c] == 't') {
        values.emplace_back(std::string(text, end));
      } else if (kinds[c] == 'i') {
        int64_t v = 0;
        if (std::from_chars(text, end, v).ptr != end) {
          throw std::logic_error(what + ": column " + std::to_string(c) + " is not an integer");
        }
        values.emplace_back(v);
      } else if (kinds[c] == 'r') {
        double v = 0;
        if (std::from_chars(text, end, v).ptr != end) {
          throw std::logic_error(what + ": column " + std::to_string(c) + " is not a number");
        }
        values.emplace_back(v);
      } else {
        throw std::logic_error(std::string("unknown column kind '") + kinds[c] + "'");
      }
    }
    rows.emplace_back(std::move(values));
  }
  return rows;
}

int64_t pg_execute_rows(soci::session& session, const std::string& table,
                        const std::vector<std::string>& names,
                        const std::vector<std::vector<SqlValue>>& rows, const std::string& tail,
                        std::string_view returning, std::vector<SqlRow>* returned) {
  PGconn* conn = libpq_connection(session);
  std::string columns;
  for (const std::string& name : names) columns += (columns.empty() ? "" : ", ") + name;
  int64_t affected = 0;
  for (size_t start = 0; start < rows.size(); start += kMaxRowsPerStatement) {
    const size_t n = std::min(kMaxRowsPerStatement, rows.size() - start);
    PgParams params;
    std::string select;
    std::string array;
    for (size_t c = 0; c < names.size(); ++c) {
      if (c) select += ", ";
      const Oid type = column_array(rows, start, n, c, table + "." + names[c], array);
      if (type == 0) {
        select += "NULL";
      } else {
        params.add_array(type, std::move(array));
        select += "unnest($" + std::to_string(params.count()) + ")";
      }
    }
    const std::string what = "inserting " + std::to_string(n) + " rows into " + table;
    PgResult result =
        run_pg(conn, "INSERT INTO " + table + " (" + columns + ") SELECT " + select + " " + tail,
               params, what);
    if (returning.empty()) {
      affected += affected_rows(result.get());
    } else {
      auto got = rows_of(result.get(), returning, what);
      affected += static_cast<int64_t>(got.size());
      if (returned) {
        for (auto& row : got) returned->push_back(std::move(row));
      }
    }
  }
  return affected;
}

// `?` outside single quotes becomes $1, $2, ... Copied in runs between the
// characters that matter (a key lookup's statements are kilobytes long and
// converted on every call).
std::string numbered_placeholders(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool quoted = false;
  int n = 0;
  std::size_t from = 0;
  for (std::size_t at = text.find_first_of("'?"); at != std::string::npos;
       at = text.find_first_of("'?", from)) {
    out.append(text, from, at - from);
    from = at + 1;
    if (text[at] == '\'') {
      quoted = !quoted;
      out += '\'';
    } else if (quoted) {
      out += '?';
    } else {
      out += '$';
      out += std::to_string(++n);
    }
  }
  out.append(text, from, std::string::npos);
  return out;
}

// fetch_in / execute_in on PostgreSQL: `before` (SELECT unnest(<keys>)) `after`.
// The same rows as an IN list, found by an index probe per key.
template <typename Take>
void pg_for_each_in_chunk(soci::session& session, const std::string& before,
                          const std::vector<std::string>& keys, const std::string& after,
                          const std::vector<SqlValue>& leading,
                          const std::vector<SqlValue>& trailing, Take take) {
  PGconn* conn = libpq_connection(session);
  const std::string sql = numbered_placeholders(before + " (SELECT unnest(?)) " + after);
  const std::string what = "running `" + before + " ... " + after + "`";
  for (size_t start = 0; start < keys.size(); start += kMaxRowsPerStatement) {
    const size_t n = std::min(kMaxRowsPerStatement, keys.size() - start);
    PgParams params;
    for (const SqlValue& v : leading) params.add_scalar(v);
    std::string array;
    put_array_head(array, kTextOid, n, false);
    for (size_t i = start; i < start + n; ++i) put_text_element(array, keys[i], what);
    params.add_array(kTextArrayOid, std::move(array));
    for (const SqlValue& v : trailing) params.add_scalar(v);
    PgResult result = run_pg(conn, sql, params, what);
    take(result.get(), what);
  }
}

}  // namespace

int64_t PgBulkStatements::execute_rows(soci::session& session, const std::string& table,
                                       const std::string& /*columns*/,
                                       const std::vector<std::string>& names,
                                       const std::vector<std::vector<SqlValue>>& rows,
                                       const std::string& tail, std::string_view returning,
                                       std::vector<SqlRow>* returned) const {
  return pg_execute_rows(session, table, names, rows, tail, returning, returned);
}

std::vector<SqlRow> PgBulkStatements::fetch_in(soci::session& session, const std::string& before,
                                               const std::vector<std::string>& keys,
                                               const std::string& after, std::string_view columns,
                                               const std::vector<SqlValue>& leading,
                                               const std::vector<SqlValue>& trailing) const {
  std::vector<SqlRow> rows;
  pg_for_each_in_chunk(session, before, keys, after, leading, trailing,
                       [&](const PGresult* result, const std::string& what) {
                         for (auto& row : rows_of(result, columns, what)) {
                           rows.push_back(std::move(row));
                         }
                       });
  return rows;
}

int64_t PgBulkStatements::execute_in(soci::session& session, const std::string& before,
                                     const std::vector<std::string>& keys, const std::string& after,
                                     const std::vector<SqlValue>& leading,
                                     const std::vector<SqlValue>& trailing) const {
  int64_t affected = 0;
  pg_for_each_in_chunk(
      session, before, keys, after, leading, trailing,
      [&](const PGresult* result, const std::string&) { affected += affected_rows(result); });
  return affected;
}

}  // namespace jirasync
