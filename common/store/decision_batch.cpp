#include "common/store/decision_batch.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/store/run_completion.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/ticket_children.hpp"
#include "common/store/ticket_labels.hpp"

namespace jirasync {

using ItemId = ApplyPlan::ItemId;

DecisionBatch::DecisionBatch(Database& db, int64_t now_ms, ApplyPlan::Mode mode)
    : db_(db), now_ms_(now_ms), plan_(now_ms, mode) {}

DecisionSink::ApplyResult DecisionBatch::apply(const std::vector<Decision>& batch,
                                               const std::string& consumer_group,
                                               const std::vector<StoredOffset>& offsets) {
  const std::set<ItemId> claimed = claim_items(batch);
  load_state(batch, claimed);
  const int64_t skipped = plan_.plan(batch, claimed, *this);
  flush();
  update_runs();
  store_offsets(consumer_group, offsets);
  return {plan_.written(), skipped};
}

std::set<ItemId> DecisionBatch::claim_items(const std::vector<Decision>& batch) {
  std::vector<std::vector<SqlValue>> rows;
  std::set<ItemId> seen;
  for (const Decision& d : batch) {
    if (d.run_id.empty()) continue;
    ItemId item{d.run_id, ApplyPlan::item_key_of(d)};
    if (seen.insert(item).second) rows.push_back({item.first, item.second});
  }
  // RETURNING lists only the rows this statement inserted: an item another
  // writer committed (or is committing: PostgreSQL waits for it) is not ours.
  std::vector<SqlRow> inserted;
  execute_rows(db_.session(), "run_items", "run_id, item_key", rows,
               "ON CONFLICT DO NOTHING RETURNING run_id, item_key", "tt", &inserted);
  std::set<ItemId> claimed;
  for (const SqlRow& r : inserted) claimed.emplace(r.text(0), r.text(1));
  return claimed;
}

namespace {

// The columns of a ticket row a rebuild compares and keeps (the issue itself
// comes whole from the snapshot): id, key, hashes, `updated`, the
// bookkeeping times, deleted.
constexpr const char* kComparedColumns =
    "id, key, content_hash, significant_hash, updated_ms, first_seen_ms, last_synced_ms, "
    "sync_status, deleted, deleted_ms";

TicketRow compared_row_from_sql(const SqlRow& r) {
  TicketRow row;
  row.cached.id = r.text(0);
  row.cached.key = r.text(1);
  row.cached.content_hash = r.text(2);
  row.cached.significant_hash = r.text(3);
  row.cached.updated_ms = r.i64(4);
  row.first_seen_ms = r.i64(5);
  row.last_synced_ms = r.i64(6);
  row.sync_status = r.text(7);
  row.cached.deleted = r.flag(8);
  row.deleted_ms = r.opt_i64(9);
  row.cached.issue.id = row.cached.id;
  row.cached.issue.key = row.cached.key;
  row.cached.issue.updated_ms = row.cached.updated_ms;
  return row;
}

// Ids a decision may write back without a new issue (a deletion, a touch):
// their rows are read whole, as the upsert writes every column.
std::set<std::string> rewritten_without_issue(const std::vector<Decision>& batch) {
  std::set<std::string> ids;
  for (const Decision& d : batch) {
    if (d.kind == DecisionKind::kDelete) {
      if (!d.issue_id.empty()) ids.insert(d.issue_id);
      ids.insert(d.issue_ids.begin(), d.issue_ids.end());
    } else if (d.kind == DecisionKind::kSkip && d.issue) {
      ids.insert(d.issue_id.empty() ? d.issue->id : d.issue_id);
    }
  }
  return ids;
}

// "tickets.a IS DISTINCT FROM excluded.a OR ..." over the columns the upsert
// assigns: a rebuild's rewrite of an identical row then writes no new row
// version (no index entries, no text search vectors computed again).
std::string ticket_row_differs() {
  std::string out;
  const std::string columns = ticket_columns();
  size_t start = 0;
  while (start < columns.size()) {
    size_t end = columns.find(',', start);
    if (end == std::string::npos) end = columns.size();
    std::string name = columns.substr(start, end - start);
    name.erase(0, name.find_first_not_of(' '));
    if (name != "id" && name != "first_seen_ms") {
      if (!out.empty()) out += " OR ";
      out += "tickets." + name + " IS DISTINCT FROM excluded." + name;
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

void DecisionBatch::load_state(const std::vector<Decision>& batch,
                               const std::set<ItemId>& claimed) {
  const std::set<std::string> wanted = ApplyPlan::wanted_ids(batch, claimed);
  if (wanted.empty()) return;
  if (plan_.mode() == ApplyPlan::Mode::kRebuild) {
    load_rebuild_state(batch, wanted);
    return;
  }
  soci::session& s = db_.session();
  std::vector<TicketRow> rows;
  for (const SqlRow& r : fetch_in(
           s, std::string("SELECT ") + ticket_columns() + " FROM tickets WHERE id IN",
           std::vector<std::string>(wanted.begin(), wanted.end()), "", ticket_column_kinds())) {
    rows.push_back(ticket_row_from_sql(r));
  }
  if (!rows.empty()) {
    // The cached lists too, so the history names only the lists that changed.
    std::map<std::string, JiraIssue*> issues;
    for (TicketRow& row : rows) issues.emplace(row.cached.id, &row.cached.issue);
    load_ticket_children(s, issues);
  }
  for (TicketRow& row : rows) plan_.know_row(std::move(row));
  // Keys and conflicts are only ever written with their ticket row (which is
  // never deleted), so only tickets found above can have any: a cold sync
  // skips both queries.
  load_keys_and_conflicts(plan_.known_ids());
}

void DecisionBatch::load_rebuild_state(const std::vector<Decision>& batch,
                                       const std::set<std::string>& wanted) {
  // A rebuild writes no history, so it needs neither the cached issue nor its
  // lists (only the compared columns), except where a row is written back
  // without a new issue.
  soci::session& s = db_.session();
  const std::set<std::string> whole = rewritten_without_issue(batch);
  std::vector<std::string> whole_ids, compared_ids;
  for (const std::string& id : wanted) (whole.count(id) ? whole_ids : compared_ids).push_back(id);
  if (!whole_ids.empty()) {
    for (const SqlRow& r :
         fetch_in(s, std::string("SELECT ") + ticket_columns() + " FROM tickets WHERE id IN",
                  whole_ids, "", ticket_column_kinds())) {
      TicketRow row = ticket_row_from_sql(r);
      cached_hashes_[row.cached.id] = row.cached.content_hash;
      plan_.know_row(std::move(row));
    }
  }
  if (!compared_ids.empty()) {
    for (const SqlRow& r :
         fetch_in(s, std::string("SELECT ") + kComparedColumns + " FROM tickets WHERE id IN",
                  compared_ids, "", "ttttiiitii")) {
      TicketRow row = compared_row_from_sql(r);
      cached_hashes_[row.cached.id] = row.cached.content_hash;
      plan_.know_row(std::move(row));
    }
  }
  // Rows a user emptied too: their keys and open conflicts are still there.
  load_keys_and_conflicts(std::vector<std::string>(wanted.begin(), wanted.end()));
}

void DecisionBatch::load_keys_and_conflicts(const std::vector<std::string>& found) {
  soci::session& s = db_.session();
  if (found.empty()) return;
  for (const SqlRow& r :
       fetch_in(s, "SELECT ticket_id, key FROM ticket_keys WHERE ticket_id IN", found, "", "tt")) {
    plan_.know_key(r.text(0), r.text(1));
  }
  for (const SqlRow& r :
       fetch_in(s, "SELECT DISTINCT ticket_id FROM conflicts WHERE open = 1 AND ticket_id IN",
                found, "", "t")) {
    plan_.know_open_conflict(r.text(0));
  }
}

int64_t DecisionBatch::chunks_recorded(const std::string& run_id) {
  // The SQL below must see this batch's chunks and rows.
  flush();
  return SqlQuery("SELECT COUNT(*) FROM run_items WHERE run_id = ? AND item_key LIKE ?")
      .arg(run_id)
      .arg("sweep:%")
      .fetch_one(db_.session(), "i")
      ->i64(0);
}

std::vector<std::string> DecisionBatch::delete_unseen(const std::string& project,
                                                      int64_t started_ms,
                                                      const std::string& run_id) {
  flush();
  soci::session& s = db_.session();
  std::vector<std::string> gone;
  for (const SqlRow& r :
       SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0 AND created_ms < ? "
                "AND id NOT IN (SELECT issue_id FROM sweep_ids WHERE run_id = ?) ORDER BY id")
           .arg(project)
           .arg(started_ms)
           .arg(run_id)
           .fetch(s, "t")) {
    gone.push_back(r.text(0));
  }
  execute_in(s, "UPDATE tickets SET deleted = 1, deleted_ms = ?, last_synced_ms = ? WHERE id IN",
             gone, "", {now_ms_, now_ms_});
  return gone;
}

std::vector<std::string> DecisionBatch::mark_out_of_scope(const std::string& project,
                                                          const std::string& run_id) {
  flush();
  soci::session& s = db_.session();
  std::vector<std::string> out;
  for (const SqlRow& r :
       SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0 AND out_of_scope = 0 "
                "AND id IN (SELECT issue_id FROM sweep_ids WHERE run_id = ? AND out_of_scope = 1) "
                "ORDER BY id")
           .arg(project)
           .arg(run_id)
           .fetch(s, "t")) {
    out.push_back(r.text(0));
  }
  if (!out.empty()) {
    execute_in(s, "UPDATE tickets SET out_of_scope = 1 WHERE id IN", out, "", {});
  }
  return out;
}

std::vector<std::string> DecisionBatch::restore_in_scope(const std::string& project,
                                                         const std::string& run_id) {
  flush();
  soci::session& s = db_.session();
  std::vector<std::string> back;
  for (const SqlRow& r :
       SqlQuery("SELECT id FROM tickets WHERE project = ? AND out_of_scope = 1 AND id IN "
                "(SELECT issue_id FROM sweep_ids WHERE run_id = ? AND out_of_scope = 0) "
                "ORDER BY id")
           .arg(project)
           .arg(run_id)
           .fetch(s, "t")) {
    back.push_back(r.text(0));
  }
  if (!back.empty()) {
    execute_in(s, "UPDATE tickets SET out_of_scope = 0 WHERE id IN", back, "", {});
  }
  return back;
}

void DecisionBatch::forget_sweep(const std::string& run_id) {
  SqlQuery("DELETE FROM sweep_ids WHERE run_id = ?").arg(run_id).execute(db_.session());
}

int64_t DecisionBatch::count_unseen(const std::string& project, int64_t started_ms,
                                    const std::string& run_id) {
  flush();
  return SqlQuery(
             "SELECT COUNT(*) FROM tickets WHERE project = ? AND deleted = 0 AND created_ms < ? "
             "AND id NOT IN (SELECT issue_id FROM sweep_ids WHERE run_id = ?)")
      .arg(project)
      .arg(started_ms)
      .arg(run_id)
      .fetch_one(db_.session(), "i")
      ->i64(0);
}

int64_t DecisionBatch::live_tickets(const std::string& project) {
  flush();
  return SqlQuery("SELECT COUNT(*) FROM tickets WHERE project = ? AND deleted = 0")
      .arg(project)
      .fetch_one(db_.session(), "i")
      ->i64(0);
}

void DecisionBatch::hold_sweep(const SweepHold& hold) {
  soci::session& s = db_.session();
  // Only the newest hold of a project can be released: an older one's ids are
  // stale now.
  SqlQuery(
      "DELETE FROM sweep_ids WHERE run_id IN (SELECT run_id FROM sweep_holds WHERE project = ? "
      "AND status = 'held')")
      .arg(hold.project)
      .execute(s);
  SqlQuery("UPDATE sweep_holds SET status = 'superseded' WHERE project = ? AND status = 'held'")
      .arg(hold.project)
      .execute(s);
  SqlQuery(
      "INSERT INTO sweep_holds (run_id, project, started_ms, would_delete, live, held_ms) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING")
      .arg(hold.run_id)
      .arg(hold.project)
      .arg(hold.started_ms)
      .arg(hold.would_delete)
      .arg(hold.live)
      .arg(hold.held_ms)
      .execute(s);
}

void DecisionBatch::flush() {
  soci::session& s = db_.session();
  ApplyPlan::Pending pending = plan_.take_pending();
  if (!pending.rows.empty()) {
    std::vector<std::vector<SqlValue>> rows;
    rows.reserve(pending.rows.size());
    for (const TicketRow* row : pending.rows) rows.push_back(ticket_row_to_sql(*row));
    // The WHERE repeats the older-never-wins guard in the database, for a
    // writer that raced this one during a consumer group rebalance.
    std::string guard = " WHERE tickets.updated_ms <= excluded.updated_ms";
    if (plan_.mode() == ApplyPlan::Mode::kRebuild) guard += " AND (" + ticket_row_differs() + ")";
    execute_rows(s, "tickets", ticket_columns(), rows,
                 "ON CONFLICT (id) DO UPDATE SET " + ticket_upsert_assignments() + guard);
  }
  if (!pending.lists.empty()) write_lists(pending);
  std::vector<std::vector<SqlValue>> key_rows;
  for (const auto& k : pending.keys) key_rows.push_back({k.ticket_id, k.key, k.from_ms});
  execute_rows(s, "ticket_keys", "ticket_id, key, from_ms", key_rows, "ON CONFLICT DO NOTHING");
  std::vector<std::vector<SqlValue>> change_rows;
  for (const auto& c : pending.changes) {
    change_rows.push_back({c.ticket_id, c.run_id, c.change, c.detail, c.at_ms});
  }
  execute_rows(s, "ticket_changes", "ticket_id, run_id, change, detail, at_ms", change_rows);
  for (const auto& [ticket_id, field] : pending.dropped_edits) {
    SqlQuery("DELETE FROM local_edits WHERE ticket_id = ? AND field = ?")
        .arg(ticket_id)
        .arg(field)
        .execute(s);
  }
  std::vector<std::vector<SqlValue>> conflict_rows;
  for (const auto& c : pending.conflicts) {
    conflict_rows.push_back({c.ticket_id, c.field, c.local_value, c.jira_value, c.strategy,
                             c.outcome, int64_t{c.open ? 1 : 0}, c.at_ms});
  }
  execute_rows(s, "conflicts",
               "ticket_id, field, local_value, jira_value, strategy, outcome, open, at_ms",
               conflict_rows);
  std::vector<std::vector<SqlValue>> sweep_rows;
  for (const auto& item : pending.sweep_ids) {
    const int64_t out_of_scope = pending.out_of_scope_ids.count(item) ? 1 : 0;
    sweep_rows.push_back({item.first, item.second, out_of_scope});
  }
  execute_rows(s, "sweep_ids", "run_id, issue_id, out_of_scope", sweep_rows,
               "ON CONFLICT DO NOTHING");
  // A move makes a ticket another project's: the old project's scope verdict
  // no longer applies (the new project's next full sync gives its own).
  std::vector<std::string> moved;
  for (const auto& k : pending.keys) moved.push_back(k.ticket_id);
  if (!moved.empty()) {
    execute_in(s, "UPDATE tickets SET out_of_scope = 0 WHERE out_of_scope = 1 AND id IN", moved, "",
               {});
  }
}

void DecisionBatch::write_lists(const ApplyPlan::Pending& pending) {
  soci::session& s = db_.session();
  if (plan_.mode() != ApplyPlan::Mode::kRebuild) {
    replace_ticket_children(s, pending.lists);
    replace_ticket_labels(s, pending.lists);
    return;
  }
  // The content hash covers the lists: where it is the cached one, the rows
  // are there already and are only brought up to date in place (a migration
  // may have added a column); elsewhere they are replaced whole.
  std::map<std::string, const std::string*> new_hashes;
  for (const TicketRow* row : pending.rows) new_hashes[row->cached.id] = &row->cached.content_hash;
  std::vector<const JiraIssue*> same, replaced;
  for (const JiraIssue* issue : pending.lists) {
    auto cached = cached_hashes_.find(issue->id);
    auto next = new_hashes.find(issue->id);
    const bool unchanged = cached != cached_hashes_.end() && next != new_hashes.end() &&
                           cached->second == *next->second;
    (unchanged ? same : replaced).push_back(issue);
  }
  if (!replaced.empty()) replace_ticket_children(s, replaced);
  if (!same.empty()) refresh_ticket_children(s, same);
  // Same hash, same labels: migration 12 backfilled them, the writer kept them.
  replace_ticket_labels(s, replaced);
}

void DecisionBatch::update_runs() {
  soci::session& s = db_.session();
  for (const auto& [run_id, delta] : plan_.runs()) {
    // The finalisation rule (run_completion.hpp), as mark_fetch_complete
    // applies it too: `applied + ?` is the value this statement writes, so the
    // run becomes success here exactly when this batch applies its last item
    // after the fetch completed.
    SqlQuery(
        "UPDATE sync_runs SET applied = applied + ?, stat_created = stat_created + ?, "
        "stat_updated = stat_updated + ?, stat_unchanged = stat_unchanged + ?, "
        "stat_deleted = stat_deleted + ?, stat_moved = stat_moved + ?, "
        "stat_conflicts = stat_conflicts + ?, stat_dead_lettered = stat_dead_lettered + ?, "
        "error = CASE WHEN ? = '' THEN error ELSE ? END, " +
        finalise_run_sql("fetch_complete = 1", "applied + ?", "emitted") + " WHERE id = ?")
        .arg(delta.applied)
        .arg(delta.stats.created)
        .arg(delta.stats.updated)
        .arg(delta.stats.unchanged)
        .arg(delta.stats.deleted)
        .arg(delta.stats.moved)
        .arg(delta.stats.conflicts)
        .arg(delta.stats.dead_lettered)
        .arg(delta.error)
        .arg(delta.error)
        .arg(delta.applied)
        .arg(delta.applied)
        .arg(now_ms_)
        .arg(run_id)
        .execute(s);
    advance_cursor_if_succeeded(db_, run_id);
  }
}

void DecisionBatch::store_offsets(const std::string& consumer_group,
                                  const std::vector<StoredOffset>& offsets) {
  if (offsets.empty()) return;
  if (consumer_group.empty()) {
    throw std::invalid_argument("consumer_group: must not be empty when storing offsets");
  }
  std::map<std::pair<std::string, int32_t>, int64_t> latest;  // one row per partition
  for (const StoredOffset& o : offsets) latest[{o.topic, o.partition}] = o.next_offset;
  std::vector<std::vector<SqlValue>> rows;
  for (const auto& [where, next] : latest) {
    rows.push_back({consumer_group, where.first, int64_t{where.second}, next});
  }
  execute_rows(db_.session(), "consumer_offsets",
               "consumer_group, topic, partition_id, next_offset", rows,
               "ON CONFLICT (consumer_group, topic, partition_id) DO UPDATE SET next_offset = "
               "excluded.next_offset");
}

}  // namespace jirasync
