#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "common/store/database.hpp"
#include "common/store/deferred_indexes.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

namespace {

// The tables a replay fills: the tickets and their lists. (ticket_keys keeps
// its rows across a replay, and its index serves the key lookups.)
constexpr const char* kTicketTables =
    "CAST('tickets' AS regclass), CAST('ticket_comments' AS regclass), "
    "CAST('ticket_links' AS regclass), CAST('ticket_subtasks' AS regclass), "
    "CAST('ticket_attachments' AS regclass), CAST('ticket_labels' AS regclass)";

// A sorted build's memory (per index, for this transaction only): the GIN
// index of the summaries and descriptions gathers its entries in it.
constexpr const char* kBuildMemory = "SET LOCAL maintenance_work_mem = '256MB'";

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool has_deferred_table(Database& db) {
  return !SqlQuery("SELECT CAST(to_regclass('deferred_indexes') AS text)")
              .fetch_one(db.session(), "t")
              ->is_null(0);
}

// The definition as pg_get_indexdef() wrote it, made to do nothing when the
// index exists (a migration or another process built it meanwhile).
std::string if_not_exists(const std::string& definition) {
  static const std::string kPlain = "CREATE INDEX ";
  if (definition.rfind(kPlain, 0) != 0) return definition;
  return kPlain + "IF NOT EXISTS " + definition.substr(kPlain.size());
}

}  // namespace

std::vector<std::string> SqlDeferredIndexes::defer_if_empty() {
  if (db_.backend() != Backend::kPostgres) return {};
  auto lock = db_.lock();
  try {
    WriteTransaction tx(db_);
    // No writer may add a row between the check and the drop (the replay
    // refuses to start while one runs; this makes it certain). Reads go on.
    db_.session() << "LOCK TABLE tickets IN EXCLUSIVE MODE";
    if (SqlQuery("SELECT EXISTS (SELECT 1 FROM tickets)").fetch_one(db_.session(), "i")->i64(0)) {
      return {};
    }
    const auto indexes =
        SqlQuery(std::string("SELECT c.relname, quote_ident(c.relname), pg_get_indexdef(c.oid) "
                             "FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                             "WHERE x.indrelid IN (") +
                 kTicketTables +
                 ") AND NOT x.indisunique AND NOT x.indisprimary "
                 "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) "
                 "ORDER BY c.relname")
            .fetch(db_.session(), "ttt");
    std::vector<std::string> names;
    for (const SqlRow& r : indexes) {
      SqlQuery(
          "INSERT INTO deferred_indexes (name, definition, deferred_ms) VALUES (?, ?, "
          "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT))")
          .arg(r.text(0))
          .arg(r.text(2))
          .execute(db_.session());
      db_.session() << "DROP INDEX " + r.text(1);
      names.push_back(r.text(0));
    }
    tx.commit();
    return names;
  } catch (const std::exception& e) {
    db_.fail("dropping the ticket tables' indexes until the rows are in", e);
  }
}

std::vector<std::string> SqlDeferredIndexes::waiting() {
  if (db_.backend() != Backend::kPostgres) return {};
  auto lock = db_.lock();
  try {
    if (!has_deferred_table(db_)) return {};
    std::vector<std::string> names;
    for (const SqlRow& r : SqlQuery("SELECT name FROM deferred_indexes "
                                    "ORDER BY (definition LIKE '% USING gin %') DESC, name")
                               .fetch(db_.session(), "t")) {
      names.push_back(r.text(0));
    }
    return names;
  } catch (const std::exception& e) {
    db_.fail("listing the indexes a replay deferred", e);
  }
}

bool SqlDeferredIndexes::build(const std::string& name) {
  if (db_.backend() != Backend::kPostgres) return false;
  auto lock = db_.lock();
  try {
    WriteTransaction tx(db_);
    // The row lock makes a second builder wait, then find the row gone.
    const auto row = SqlQuery("SELECT definition FROM deferred_indexes WHERE name = ? FOR UPDATE")
                         .arg(name)
                         .fetch_one(db_.session(), "t");
    if (!row) return false;
    db_.session() << kBuildMemory;
    db_.session() << if_not_exists(row->text(0));
    SqlQuery("DELETE FROM deferred_indexes WHERE name = ?").arg(name).execute(db_.session());
    tx.commit();
    return true;
  } catch (const std::exception& e) {
    db_.fail("building index " + name + " (deferred by a replay)", e);
  }
}

int build_deferred_indexes(Database& db) {
  SqlDeferredIndexes indexes(db);
  const std::vector<std::string> names = indexes.waiting();
  if (names.empty()) return 0;
  spdlog::warn(
      "{} indexes of the ticket tables are missing: a replay into an empty cache dropped them "
      "and stopped before building them again; building them now",
      names.size());
  int built = 0;
  for (const std::string& name : names) {
    const int64_t started = steady_ms();
    if (!indexes.build(name)) continue;
    ++built;
    spdlog::info("built index {} in {} ms", name, steady_ms() - started);
  }
  return built;
}

}  // namespace jirasync
