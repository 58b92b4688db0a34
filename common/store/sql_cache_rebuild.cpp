#include "common/store/sql_cache_rebuild.hpp"

#include <soci/soci.h>

#include "common/store/decision_batch.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/ticket_statistics.hpp"

namespace jirasync {

namespace {

// Every table whose rows hang off a ticket id and are rebuilt with it.
constexpr const char* kListTables[] = {"ticket_comments", "ticket_links", "ticket_subtasks",
                                       "ticket_attachments", "ticket_labels"};

}  // namespace

SqlCacheRebuild::SqlCacheRebuild(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::map<std::string, CachedTicket> SqlCacheRebuild::load_compared(
    const std::vector<std::string>& ids) {
  std::map<std::string, CachedTicket> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  try {
    for (const SqlRow& r :
         fetch_in(db_->session(),
                  "SELECT id, key, content_hash, significant_hash, updated_ms, deleted FROM "
                  "tickets WHERE id IN",
                  ids, "", "ttttii")) {
      CachedTicket t;
      t.id = r.text(0);
      t.key = r.text(1);
      t.content_hash = r.text(2);
      t.significant_hash = r.text(3);
      t.updated_ms = r.i64(4);
      t.deleted = r.i64(5) != 0;
      std::string id = t.id;
      out.emplace(std::move(id), std::move(t));
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("reading " + std::to_string(ids.size()) + " tickets", e);
  }
}

int64_t SqlCacheRebuild::apply(const std::vector<Decision>& batch, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    const auto result = DecisionBatch(*db_, now_ms, ApplyPlan::Mode::kRebuild).apply(batch, "", {});
    tx.commit();
    return result.written;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("rebuilding a batch of " + std::to_string(batch.size()) + " tickets", e);
  }
}

std::vector<std::string> SqlCacheRebuild::live_ids_created_before(const std::string& project,
                                                                  int64_t before_ms) {
  auto lock = db_->lock();
  try {
    std::vector<std::string> out;
    for (const SqlRow& r :
         SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0 AND created_ms < ?")
             .arg(project)
             .arg(before_ms)
             .fetch(db_->session(), "t")) {
      out.push_back(r.text(0));
    }
    return out;
  } catch (const std::exception& e) {
    db_->fail("listing the live tickets of " + project, e);
  }
}

int64_t SqlCacheRebuild::clear_lists_of_absent_tickets() {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    const bool pg = db_->backend() == Backend::kPostgres;
    // No ticket may arrive between the check and the emptying (SQLite's
    // write transaction already excludes other writers).
    if (pg) db_->session() << "LOCK TABLE tickets IN EXCLUSIVE MODE";
    if (SqlQuery("SELECT EXISTS (SELECT 1 FROM tickets)").fetch_one(db_->session(), "i")->i64(0)) {
      return 0;
    }
    int64_t rows = 0;
    std::string tables;
    for (const char* table : kListTables) {
      rows += SqlQuery(std::string("SELECT COUNT(*) FROM ") + table)
                  .fetch_one(db_->session(), "i")
                  ->i64(0);
      tables += (tables.empty() ? "" : ", ") + std::string(table);
      // SQLite has no TRUNCATE; its DELETE without WHERE empties the table as fast.
      if (!pg) SqlQuery(std::string("DELETE FROM ") + table).execute(db_->session());
    }
    // One TRUNCATE: new files, no dead rows for the inserts to step over or
    // for autovacuum to clean up.
    if (pg && rows > 0) SqlQuery("TRUNCATE " + tables).execute(db_->session());
    tx.commit();
    return rows;
  } catch (const std::exception& e) {
    db_->fail("emptying the list tables of an empty cache", e);
  }
}

void SqlCacheRebuild::refresh_statistics() {
  analyze_ticket_keys(*db_);
}

int64_t SqlCacheRebuild::ticket_count() {
  auto lock = db_->lock();
  try {
    return SqlQuery("SELECT COUNT(*) FROM tickets").fetch_one(db_->session(), "i")->i64(0);
  } catch (const std::exception& e) {
    db_->fail("counting tickets", e);
  }
}

}  // namespace jirasync
