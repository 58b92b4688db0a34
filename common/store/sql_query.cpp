#include "common/store/sql_query.hpp"

#include <soci/soci.h>

#include <deque>
#include <stdexcept>

#include "common/store/bulk_statements.hpp"
#include "common/store/sql_dialect.hpp"

namespace jirasync {

namespace {

// SOCI's PostgreSQL backend understands only `:name` placeholders, so `?`
// becomes `:aN` there (quoted literals untouched). SQLite keeps `?`: it binds
// those by position, while looking up thousands of names is quadratic in it.
std::string to_soci_placeholders(soci::session& session, const std::string& text) {
  if (SqlDialect::of(session).soci_binds_question_marks()) return text;
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  bool quoted = false;
  int n = 0;
  for (char c : text) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += ":a" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// Storage that outlives the statement: SOCI binds by reference.
struct Bindings {
  std::deque<std::string> texts;
  std::deque<long long> ints;
  std::deque<double> reals;
  std::deque<soci::indicator> indicators;
};

void bind_args(soci::statement& st, const std::vector<SqlValue>& args, Bindings& b) {
  for (const SqlValue& v : args) {
    if (const auto* s = std::get_if<std::string>(&v)) {
      b.texts.push_back(*s);
      b.indicators.push_back(soci::i_ok);
      st.exchange(soci::use(b.texts.back(), b.indicators.back()));
    } else if (const auto* i = std::get_if<int64_t>(&v)) {
      b.ints.push_back(*i);
      b.indicators.push_back(soci::i_ok);
      st.exchange(soci::use(b.ints.back(), b.indicators.back()));
    } else if (const auto* d = std::get_if<double>(&v)) {
      b.reals.push_back(*d);
      b.indicators.push_back(soci::i_ok);
      st.exchange(soci::use(b.reals.back(), b.indicators.back()));
    } else {
      b.texts.emplace_back();
      b.indicators.push_back(soci::i_null);
      st.exchange(soci::use(b.texts.back(), b.indicators.back()));
    }
  }
}

}  // namespace

std::string SqlRow::text(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "";
}

int64_t SqlRow::i64(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (std::holds_alternative<std::monostate>(v)) return 0;
  throw std::logic_error("column " + std::to_string(i) + " was read as text, not integer");
}

double SqlRow::real(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (std::holds_alternative<std::monostate>(v)) return 0;
  throw std::logic_error("column " + std::to_string(i) + " was read as text, not real");
}

std::optional<std::string> SqlRow::opt_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::string SqlRow::take_text(size_t i) {
  if (auto* s = std::get_if<std::string>(&values_.at(i))) return std::move(*s);
  return text(i);
}

std::optional<std::string> SqlRow::take_opt_text(size_t i) {
  if (is_null(i)) return std::nullopt;
  return take_text(i);
}

std::optional<int64_t> SqlRow::opt_i64(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

SqlQuery& SqlQuery::arg(const std::string& v) {
  args_.emplace_back(v);
  return *this;
}
SqlQuery& SqlQuery::arg(int64_t v) {
  args_.emplace_back(v);
  return *this;
}
SqlQuery& SqlQuery::arg(double v) {
  args_.emplace_back(v);
  return *this;
}
SqlQuery& SqlQuery::arg(const std::optional<std::string>& v) {
  if (v) return arg(*v);
  return null();
}
SqlQuery& SqlQuery::arg(const std::optional<int64_t>& v) {
  if (v) return arg(*v);
  return null();
}
SqlQuery& SqlQuery::arg(const SqlValue& v) {
  args_.push_back(v);
  return *this;
}
SqlQuery& SqlQuery::null() {
  args_.emplace_back(std::monostate{});
  return *this;
}

int64_t SqlQuery::execute(soci::session& session) const {
  soci::statement st(session);
  Bindings b;
  bind_args(st, args_, b);
  st.alloc();
  st.prepare(to_soci_placeholders(session, text_), soci::details::st_one_time_query);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
}

std::vector<SqlRow> SqlQuery::fetch(soci::session& session, std::string_view columns) const {
  soci::statement st(session);
  const size_t n = columns.size();
  std::vector<std::string> texts(n);
  std::vector<long long> ints(n, 0);
  std::vector<double> reals(n, 0);
  std::vector<soci::indicator> inds(n, soci::i_ok);
  for (size_t i = 0; i < n; ++i) {
    switch (columns[i]) {
      case 't':
        st.exchange(soci::into(texts[i], inds[i]));
        break;
      case 'i':
        st.exchange(soci::into(ints[i], inds[i]));
        break;
      case 'r':
        st.exchange(soci::into(reals[i], inds[i]));
        break;
      default:
        throw std::logic_error(std::string("unknown column kind '") + columns[i] + "'");
    }
  }
  Bindings b;
  bind_args(st, args_, b);
  st.alloc();
  st.prepare(to_soci_placeholders(session, text_), soci::details::st_one_time_query);
  st.define_and_bind();
  std::vector<SqlRow> rows;
  if (!st.execute(true)) return rows;
  do {
    std::vector<SqlValue> values;
    values.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      if (inds[i] == soci::i_null) {
        values.emplace_back(std::monostate{});
      } else if (columns[i] == 't') {
        values.emplace_back(texts[i]);
      } else if (columns[i] == 'i') {
        values.emplace_back(static_cast<int64_t>(ints[i]));
      } else {
        values.emplace_back(reals[i]);
      }
    }
    rows.emplace_back(std::move(values));
  } while (st.fetch());
  return rows;
}

std::optional<SqlRow> SqlQuery::fetch_one(soci::session& session, std::string_view columns) const {
  auto rows = fetch(session, columns);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

namespace {

std::vector<std::string> split_columns(const std::string& columns) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= columns.size()) {
    size_t end = columns.find(',', start);
    if (end == std::string::npos) end = columns.size();
    std::string name = columns.substr(start, end - start);
    name.erase(0, name.find_first_not_of(" \n"));
    name.erase(name.find_last_not_of(" \n") + 1);
    if (!name.empty()) names.push_back(name);
    start = end + 1;
  }
  return names;
}

}  // namespace

int64_t execute_rows(soci::session& session, const std::string& table, const std::string& columns,
                     const std::vector<std::vector<SqlValue>>& rows, const std::string& tail,
                     std::string_view returning, std::vector<SqlRow>* returned) {
  if (rows.empty()) return 0;
  const std::vector<std::string> names = split_columns(columns);
  const size_t width = names.size();
  for (const auto& row : rows) {
    if (row.size() != width) {
      throw std::logic_error("execute_rows: a row for " + table + " has " +
                             std::to_string(row.size()) + " values, not " + std::to_string(width));
    }
  }
  return SqlDialect::of(session).bulk_statements().execute_rows(session, table, columns, names,
                                                                rows, tail, returning, returned);
}

std::vector<SqlRow> fetch_in(soci::session& session, const std::string& before,
                             const std::vector<std::string>& keys, const std::string& after,
                             std::string_view columns, const std::vector<SqlValue>& leading,
                             const std::vector<SqlValue>& trailing) {
  return SqlDialect::of(session).bulk_statements().fetch_in(session, before, keys, after, columns,
                                                            leading, trailing);
}

int64_t execute_in(soci::session& session, const std::string& before,
                   const std::vector<std::string>& keys, const std::string& after,
                   const std::vector<SqlValue>& leading, const std::vector<SqlValue>& trailing) {
  return SqlDialect::of(session).bulk_statements().execute_in(session, before, keys, after, leading,
                                                              trailing);
}

std::string placeholders(size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    if (i) out += ',';
    out += '?';
  }
  return out;
}

std::string placeholder_rows(size_t rows, size_t width) {
  const std::string one = "(" + placeholders(width) + ")";
  std::string out;
  out.reserve(rows * (one.size() + 1));
  for (size_t r = 0; r < rows; ++r) {
    if (r) out += ',';
    out += one;
  }
  return out;
}

}  // namespace jirasync
