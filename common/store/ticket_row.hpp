#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/store/sql_query.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

// One row of `tickets`: the cached Jira values plus the cache's own bookkeeping.
struct TicketRow {
  CachedTicket cached;  // id, key, hashes, updated_ms, deleted, issue
  int64_t first_seen_ms = 0;
  int64_t last_synced_ms = 0;
  std::string sync_status = "synced";  // synced|conflict
  std::optional<int64_t> deleted_ms;
};

// Column list (in this order) for SELECT and INSERT, and the SqlQuery kinds to read it.
const char* ticket_columns();
const char* ticket_column_kinds();
size_t ticket_column_count();
// "key = excluded.key, ..." for every column the upsert may overwrite
// (all but id and first_seen_ms).
std::string ticket_upsert_assignments();

TicketRow ticket_row_from_sql(const SqlRow& row);
// The same, moving the row's text out instead of copying it.
TicketRow ticket_row_from_sql(SqlRow&& row);
std::vector<SqlValue> ticket_row_to_sql(const TicketRow& row);

// JSON naming the fields that differ between two versions of an issue, with
// {"old": ..., "new": ...} for scalar fields and lists (labels, components,
// fix versions), and {} for the
// description and custom fields (too large to repeat in history).
std::string describe_changes(const JiraIssue& before, const JiraIssue& after);

}  // namespace jirasync
