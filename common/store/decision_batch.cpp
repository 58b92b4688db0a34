#include "common/store/decision_batch.hpp"

#include <soci/soci.h>

#include "common/store/json_columns.hpp"
#include "common/store/run_completion.hpp"
#include "common/store/sql_run_store.hpp"

namespace jirasync {

namespace {

using ItemId = std::pair<std::string, std::string>;  // (run_id, item_key)

bool is_snapshot(DecisionKind k) {
  return k == DecisionKind::kInsert || k == DecisionKind::kUpdate ||
         k == DecisionKind::kSignificant || k == DecisionKind::kMove;
}

std::string item_key_of(const Decision& d) {
  if (!d.item_key.empty()) return d.item_key;
  if (!d.issue_id.empty()) return d.issue_id;
  return to_string(d.kind);
}

std::string snapshot_id(const Decision& d) {
  if (!d.issue_id.empty()) return d.issue_id;
  return d.issue ? d.issue->id : std::string();
}

std::vector<std::string> delete_ids(const Decision& d) {
  if (!d.issue_ids.empty()) return d.issue_ids;
  if (!d.issue_id.empty()) return {d.issue_id};
  return {};
}

std::string reason_detail(const std::string& reason) {
  return "{\"reason\":" + json_quote(reason) + "}";
}

}  // namespace

DecisionBatch::DecisionBatch(Database& db, int64_t now_ms, Mode mode)
    : db_(db), now_ms_(now_ms), mode_(mode) {}

TicketStore::ApplyResult DecisionBatch::apply(const std::vector<Decision>& batch,
                                              const std::string& consumer_group,
                                              const std::vector<StoredOffset>& offsets) {
  const std::set<ItemId> claimed = claim_items(batch);
  load_state(batch, claimed);

  std::set<ItemId> consumed;
  int64_t skipped = 0;
  for (const Decision& d : batch) {
    const bool counted = !d.run_id.empty();
    if (counted) {
      ItemId item{d.run_id, item_key_of(d)};
      // Not claimed now = committed by an earlier batch; claimed but already
      // consumed = the same item twice in this batch.
      if (!claimed.count(item) || !consumed.insert(item).second) {
        ++skipped;
        continue;
      }
    }
    RunDelta unattributed;
    RunDelta& run = counted ? runs_[d.run_id] : unattributed;
    if (counted) ++run.applied;
    bool wrote = false;
    switch (d.kind) {
      case DecisionKind::kInsert:
      case DecisionKind::kUpdate:
      case DecisionKind::kSignificant:
      case DecisionKind::kMove:
        wrote = apply_snapshot(d, run);
        break;
      case DecisionKind::kSkip:
        ++run.stats.unchanged;
        wrote = apply_touch(d);
        break;
      case DecisionKind::kReject:
        ++run.stats.dead_lettered;
        break;
      case DecisionKind::kDelete:
        wrote = apply_delete(d, run);
        break;
      case DecisionKind::kSweepChunk:
        if (counted) {
          for (const std::string& id : d.issue_ids) sweep_ids_.emplace(d.run_id, id);
        }
        wrote = true;  // recorded, not skipped
        break;
      case DecisionKind::kSweepEnd:
        apply_sweep_end(d, run);
        wrote = true;
        break;
    }
    if (!wrote) ++skipped;
  }
  flush();
  update_runs();
  store_offsets(consumer_group, offsets);
  return {written_, skipped};
}

std::set<ItemId> DecisionBatch::claim_items(const std::vector<Decision>& batch) {
  std::vector<std::vector<SqlValue>> rows;
  std::set<ItemId> seen;
  for (const Decision& d : batch) {
    if (d.run_id.empty()) continue;
    ItemId item{d.run_id, item_key_of(d)};
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

void DecisionBatch::load_state(const std::vector<Decision>& batch,
                               const std::set<ItemId>& claimed) {
  std::set<std::string> wanted;
  for (const Decision& d : batch) {
    if (!d.run_id.empty() && !claimed.count({d.run_id, item_key_of(d)})) continue;
    if (is_snapshot(d.kind) || (d.kind == DecisionKind::kSkip && d.issue)) {
      if (auto id = snapshot_id(d); !id.empty()) wanted.insert(id);
    } else if (d.kind == DecisionKind::kDelete) {
      for (const std::string& id : delete_ids(d)) wanted.insert(id);
    }
  }
  if (wanted.empty()) return;
  soci::session& s = db_.session();
  for (const SqlRow& r : fetch_in(
           s, std::string("SELECT ") + ticket_columns() + " FROM tickets WHERE id IN",
           std::vector<std::string>(wanted.begin(), wanted.end()), "", ticket_column_kinds())) {
    TicketRow row = ticket_row_from_sql(r);
    std::string id = row.cached.id;
    rows_.emplace(std::move(id), std::move(row));
  }
  // Keys and conflicts are only ever written with their ticket row (which is
  // never deleted), so only tickets found above can have any: a cold sync
  // skips both queries.
  std::vector<std::string> found;
  found.reserve(rows_.size());
  for (const auto& [id, row] : rows_) found.push_back(id);
  if (mode_ == Mode::kRebuild) found.assign(wanted.begin(), wanted.end());  // emptied rows too
  if (found.empty()) return;
  for (const SqlRow& r :
       fetch_in(s, "SELECT ticket_id, key FROM ticket_keys WHERE ticket_id IN", found, "", "tt")) {
    keys_[r.text(0)].insert(r.text(1));
  }
  for (const SqlRow& r :
       fetch_in(s, "SELECT DISTINCT ticket_id FROM conflicts WHERE open = 1 AND ticket_id IN",
                found, "", "t")) {
    open_conflicts_.insert(r.text(0));
  }
}

bool DecisionBatch::apply_snapshot(const Decision& d, RunDelta& run) {
  const std::string id = snapshot_id(d);
  if (!d.issue || id.empty()) {
    // The reconciler never sends these; count them where a person will look.
    ++run.stats.dead_lettered;
    run.error =
        "decision " + item_key_of(d) + " (" + to_string(d.kind) + ") carried no issue; not applied";
    return false;
  }
  JiraIssue issue = *d.issue;
  issue.id = id;
  if (issue.project_key.empty()) issue.project_key = d.project;

  auto existing = rows_.find(id);
  if (existing != rows_.end()) {
    const TicketRow& cur = existing->second;
    if (cur.cached.updated_ms > issue.updated_ms) {  // an older snapshot never wins
      ++run.stats.unchanged;
      return false;
    }
    if (mode_ == Mode::kSync && !cur.cached.deleted && cur.cached.content_hash == d.content_hash &&
        cur.cached.key == issue.key) {
      ++run.stats.unchanged;
      return false;
    }
  }

  TicketRow next;
  next.cached.id = id;
  next.cached.key = issue.key;
  next.cached.content_hash = d.content_hash;
  next.cached.significant_hash = d.significant_hash;
  next.cached.updated_ms = issue.updated_ms;
  next.cached.deleted = false;
  next.first_seen_ms = existing != rows_.end() ? existing->second.first_seen_ms : now_ms_;
  next.last_synced_ms = now_ms_;
  if (mode_ == Mode::kRebuild && existing != rows_.end()) {
    // A replayed snapshot no newer than a deletion does not undo it.
    const TicketRow& cur = existing->second;
    next.cached.deleted = cur.cached.deleted && cur.cached.updated_ms >= issue.updated_ms;
    if (next.cached.deleted) next.deleted_ms = cur.deleted_ms;
    next.last_synced_ms = cur.last_synced_ms;
  }

  std::string change;
  std::string detail;
  if (existing == rows_.end()) {
    change = "inserted";
    detail = "{\"key\":" + json_quote(issue.key) + "}";
    ++run.stats.created;
  } else {
    const TicketRow& cur = existing->second;
    detail = describe_changes(cur.cached.issue, issue);
    if (cur.cached.deleted) {  // back from the dead: say so in the history
      detail = "{\"deleted\":{\"old\":true,\"new\":false}" +
               (detail == "{}" ? std::string("}") : "," + detail.substr(1));
    }
    if (cur.cached.key != issue.key) {
      change = "moved";
      ++run.stats.moved;
    } else if (d.kind == DecisionKind::kSignificant ||
               cur.cached.significant_hash != d.significant_hash) {
      change = "significant";
      ++run.stats.updated;
    } else {
      change = "updated";
      ++run.stats.updated;
    }
  }
  next.cached.issue = std::move(issue);
  if (keys_[id].insert(next.cached.key).second) {
    key_rows_.push_back({id, next.cached.key, now_ms_});
  }
  rows_[id] = std::move(next);
  dirty_.insert(id);
  add_change(id, d.run_id, change, detail);
  record_conflicts(d, id, run);
  return true;
}

bool DecisionBatch::apply_touch(const Decision& d) {
  if (!d.issue) return false;
  auto it = rows_.find(snapshot_id(d));
  if (it == rows_.end()) return false;
  TicketRow& row = it->second;
  // Only `updated` may differ: the same content (hash and key), a live row,
  // and never backwards.
  if (row.cached.deleted || row.cached.content_hash != d.content_hash ||
      row.cached.key != d.issue->key || row.cached.updated_ms >= d.issue->updated_ms) {
    return false;
  }
  row.cached.updated_ms = d.issue->updated_ms;
  row.cached.issue.updated_ms = d.issue->updated_ms;
  row.last_synced_ms = now_ms_;
  dirty_.insert(it->first);
  return true;
}

void DecisionBatch::record_conflicts(const Decision& d, const std::string& id, RunDelta& run) {
  for (const ConflictResolution& c : d.conflicts) {
    const bool open = c.outcome == "manual";
    if (c.outcome == "jira") dropped_edits_.emplace_back(id, c.field);
    if (open) open_conflicts_.insert(id);
    const std::string strategy = to_string(c.strategy);
    conflict_rows_.push_back({id, c.field, c.local_value, c.jira_value, strategy, c.outcome,
                              int64_t{open ? 1 : 0}, now_ms_});
    add_change(id, d.run_id, "conflict",
               "{\"field\":" + json_quote(c.field) + ",\"strategy\":" + json_quote(strategy) +
                   ",\"outcome\":" + json_quote(c.outcome) + "}");
    ++run.stats.conflicts;
  }
}

bool DecisionBatch::apply_delete(const Decision& d, RunDelta& run) {
  bool any = false;
  for (const std::string& id : delete_ids(d)) {
    auto it = rows_.find(id);
    if (it == rows_.end() || it->second.cached.deleted) continue;
    TicketRow& row = it->second;
    row.cached.deleted = true;
    row.deleted_ms = now_ms_;
    row.last_synced_ms = now_ms_;
    dirty_.insert(id);
    add_change(id, d.run_id, "deleted", reason_detail("deleted in Jira"));
    ++run.stats.deleted;
    any = true;
  }
  if (!any) ++run.stats.unchanged;
  return any;
}

void DecisionBatch::apply_sweep_end(const Decision& d, RunDelta& run) {
  if (d.run_id.empty()) {
    run.error = "sweep end without a run id; nothing deleted";
    return;
  }
  // The SQL below must see this batch's chunks and rows.
  flush();
  soci::session& s = db_.session();
  const int64_t chunks =
      SqlQuery("SELECT COUNT(*) FROM run_items WHERE run_id = ? AND item_key LIKE ?")
          .arg(d.run_id)
          .arg("sweep:%")
          .fetch_one(s, "i")
          ->i64(0);
  if (chunks == d.sweep_chunks) {
    std::vector<std::string> gone;
    for (const SqlRow& r :
         SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0 AND created_ms < ? "
                  "AND id NOT IN (SELECT issue_id FROM sweep_ids WHERE run_id = ?) ORDER BY id")
             .arg(d.project)
             .arg(d.sweep_started_ms)
             .arg(d.run_id)
             .fetch(s, "t")) {
      gone.push_back(r.text(0));
    }
    execute_in(s, "UPDATE tickets SET deleted = 1, deleted_ms = ?, last_synced_ms = ? WHERE id IN",
               gone, "", {now_ms_, now_ms_});
    for (const std::string& id : gone) {
      if (auto it = rows_.find(id); it != rows_.end()) {
        it->second.cached.deleted = true;
        it->second.deleted_ms = now_ms_;
        it->second.last_synced_ms = now_ms_;
      }
      add_change(id, d.run_id, "deleted", reason_detail("not found by the sweep"));
    }
    run.stats.deleted += static_cast<int64_t>(gone.size());
    written_ += static_cast<int64_t>(gone.size());
  } else {
    run.error = "sweep incomplete: " + std::to_string(chunks) + " of " +
                std::to_string(d.sweep_chunks) + " chunks applied; nothing deleted";
  }
  SqlQuery("DELETE FROM sweep_ids WHERE run_id = ?").arg(d.run_id).execute(s);
}

void DecisionBatch::add_change(const std::string& ticket_id, const std::string& run_id,
                               const std::string& change, const std::string& detail) {
  if (mode_ == Mode::kRebuild) return;  // a rebuild restores rows; it reports no change
  change_rows_.push_back({ticket_id, run_id, change, detail, now_ms_});
}

void DecisionBatch::flush() {
  soci::session& s = db_.session();
  if (!dirty_.empty()) {
    std::vector<std::vector<SqlValue>> rows;
    rows.reserve(dirty_.size());
    for (const std::string& id : dirty_) {
      TicketRow& row = rows_.at(id);
      // A manual conflict keeps the ticket marked until someone resolves it.
      row.sync_status = open_conflicts_.count(id) ? "conflict" : "synced";
      rows.push_back(ticket_row_to_sql(row));
    }
    // The WHERE repeats the older-never-wins guard in the database, for a
    // writer that raced this one during a consumer group rebalance.
    execute_rows(s, "tickets", ticket_columns(), rows,
                 "ON CONFLICT (id) DO UPDATE SET " + ticket_upsert_assignments() +
                     " WHERE tickets.updated_ms <= excluded.updated_ms");
    written_ += static_cast<int64_t>(dirty_.size());
    dirty_.clear();
  }
  execute_rows(s, "ticket_keys", "ticket_id, key, from_ms", key_rows_, "ON CONFLICT DO NOTHING");
  key_rows_.clear();
  execute_rows(s, "ticket_changes", "ticket_id, run_id, change, detail, at_ms", change_rows_);
  change_rows_.clear();
  for (const auto& [ticket_id, field] : dropped_edits_) {
    SqlQuery("DELETE FROM local_edits WHERE ticket_id = ? AND field = ?")
        .arg(ticket_id)
        .arg(field)
        .execute(s);
  }
  dropped_edits_.clear();
  execute_rows(s, "conflicts",
               "ticket_id, field, local_value, jira_value, strategy, outcome, open, at_ms",
               conflict_rows_);
  conflict_rows_.clear();
  std::vector<std::vector<SqlValue>> sweep_rows;
  for (const auto& [run_id, issue_id] : sweep_ids_) sweep_rows.push_back({run_id, issue_id});
  execute_rows(s, "sweep_ids", "run_id, issue_id", sweep_rows, "ON CONFLICT DO NOTHING");
  sweep_ids_.clear();
}

void DecisionBatch::update_runs() {
  soci::session& s = db_.session();
  for (const auto& [run_id, delta] : runs_) {
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
