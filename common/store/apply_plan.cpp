#include "common/store/apply_plan.hpp"

#include "common/hash/content_hash.hpp"

#include "common/store/json_columns.hpp"

namespace jirasync {

namespace {

bool is_snapshot(DecisionKind k) {
  return k == DecisionKind::kInsert || k == DecisionKind::kUpdate ||
         k == DecisionKind::kSignificant || k == DecisionKind::kMove;
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

ApplyPlan::ApplyPlan(int64_t now_ms, Mode mode) : now_ms_(now_ms), mode_(mode) {}

std::string ApplyPlan::item_key_of(const Decision& d) {
  if (!d.item_key.empty()) return d.item_key;
  if (!d.issue_id.empty()) return d.issue_id;
  return to_string(d.kind);
}

std::set<std::string> ApplyPlan::wanted_ids(const std::vector<Decision>& batch,
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
  return wanted;
}

void ApplyPlan::know_row(TicketRow row) {
  std::string id = row.cached.id;
  rows_.emplace(std::move(id), std::move(row));
}

void ApplyPlan::know_key(const std::string& ticket_id, const std::string& key) {
  keys_[ticket_id].insert(key);
}

void ApplyPlan::know_open_conflict(const std::string& ticket_id) {
  open_conflicts_.insert(ticket_id);
}

std::vector<std::string> ApplyPlan::known_ids() const {
  std::vector<std::string> ids;
  ids.reserve(rows_.size());
  for (const auto& [id, row] : rows_) ids.push_back(id);
  return ids;
}

int64_t ApplyPlan::plan(const std::vector<Decision>& batch, const std::set<ItemId>& claimed,
                        SweepLedger& ledger) {
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
          for (const std::string& id : d.issue_ids) {
            pending_.sweep_ids.emplace(d.run_id, id);
            if (d.out_of_scope) pending_.out_of_scope_ids.emplace(d.run_id, id);
          }
        }
        wrote = true;  // recorded, not skipped
        break;
      case DecisionKind::kSweepEnd:
        apply_sweep_end(d, run, ledger);
        wrote = true;
        break;
    }
    if (!wrote) ++skipped;
  }
  return skipped;
}

bool ApplyPlan::apply_snapshot(const Decision& d, RunDelta& run) {
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
  // A row written before migration 5 carries the v1 hash: when that still
  // matches, Jira changed nothing and this version only fills the fields the
  // cache keeps now. Written, but no history row and not counted as updated.
  // (A rebuild's decisions count on no run and it writes no history: neither
  // the backfill nor the change detail is worked out there.)
  const bool backfill = mode_ == Mode::kSync && existing != rows_.end() &&
                        !existing->second.cached.deleted &&
                        existing->second.cached.key == issue.key &&
                        existing->second.cached.content_hash == legacy_content_hash(issue);
  if (backfill) {
    ++run.stats.unchanged;
  } else if (existing == rows_.end()) {
    change = "inserted";
    detail = "{\"key\":" + json_quote(issue.key) + "}";
    ++run.stats.created;
  } else {
    const TicketRow& cur = existing->second;
    if (mode_ == Mode::kSync) {
      detail = describe_changes(cur.cached.issue, issue);
      if (cur.cached.deleted) {  // back from the dead: say so in the history
        detail = "{\"deleted\":{\"old\":true,\"new\":false}" +
                 (detail == "{}" ? std::string("}") : "," + detail.substr(1));
      }
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
    pending_.keys.push_back({id, next.cached.key, now_ms_});
  }
  rows_[id] = std::move(next);
  dirty_.insert(id);
  lists_dirty_.insert(id);
  if (!backfill) add_change(id, d.run_id, change, detail);
  record_conflicts(d, id, run);
  return true;
}

bool ApplyPlan::apply_touch(const Decision& d) {
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

void ApplyPlan::record_conflicts(const Decision& d, const std::string& id, RunDelta& run) {
  for (const ConflictResolution& c : d.conflicts) {
    const bool open = c.outcome == "manual";
    if (c.outcome == "jira") pending_.dropped_edits.emplace_back(id, c.field);
    if (open) open_conflicts_.insert(id);
    const std::string strategy = to_string(c.strategy);
    pending_.conflicts.push_back(
        Conflict{0, id, c.field, c.local_value, c.jira_value, strategy, c.outcome, open, now_ms_});
    add_change(id, d.run_id, "conflict",
               "{\"field\":" + json_quote(c.field) + ",\"strategy\":" + json_quote(strategy) +
                   ",\"outcome\":" + json_quote(c.outcome) + "}");
    ++run.stats.conflicts;
  }
}

bool ApplyPlan::apply_delete(const Decision& d, RunDelta& run) {
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

void ApplyPlan::apply_sweep_end(const Decision& d, RunDelta& run, SweepLedger& ledger) {
  if (d.run_id.empty()) {
    run.error = "sweep end without a run id; nothing deleted";
    return;
  }
  const int64_t chunks = ledger.chunks_recorded(d.run_id);
  // Scope verdicts delete nothing, so the safety stop does not hold them.
  if (chunks == d.sweep_chunks) apply_sweep_scope(d, ledger);
  if (chunks == d.sweep_chunks && max_sweep_share_ < 1.0) {
    const int64_t unseen = ledger.count_unseen(d.project, d.sweep_started_ms, d.run_id);
    const int64_t live = ledger.live_tickets(d.project);
    if (unseen > 0 && static_cast<double>(unseen) > max_sweep_share_ * static_cast<double>(live)) {
      ledger.hold_sweep(SweepHold{d.project, d.run_id, d.sweep_started_ms, unseen, live, now_ms_});
      run.error = "sweep held: it would delete " + std::to_string(unseen) + " of " +
                  std::to_string(live) + " live tickets of " + d.project + " (more than " +
                  std::to_string(static_cast<int>(max_sweep_share_ * 100 + 0.5)) +
                  "%); `jirasync sweep release " + d.project + "` applies it";
      return;  // the sweep's ids stay for the release
    }
  }
  if (chunks == d.sweep_chunks) {
    const std::vector<std::string> gone =
        ledger.delete_unseen(d.project, d.sweep_started_ms, d.run_id);
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
  ledger.forget_sweep(d.run_id);
}

void ApplyPlan::apply_sweep_scope(const Decision& d, SweepLedger& ledger) {
  const std::vector<std::string> out = ledger.mark_out_of_scope(d.project, d.run_id);
  for (const std::string& id : out) {
    add_change(id, d.run_id, "out_of_scope",
               reason_detail("still in Jira, outside the project's sync scope"));
  }
  const std::vector<std::string> back = ledger.restore_in_scope(d.project, d.run_id);
  for (const std::string& id : back) {
    add_change(id, d.run_id, "in_scope", reason_detail("back in the project's sync scope"));
  }
  written_ += static_cast<int64_t>(out.size() + back.size());
}

void ApplyPlan::add_change(const std::string& ticket_id, const std::string& run_id,
                           const std::string& change, const std::string& detail) {
  if (mode_ == Mode::kRebuild) return;  // a rebuild restores rows; it reports no change
  pending_.changes.push_back(TicketChange{ticket_id, run_id, change, detail, now_ms_});
}

ApplyPlan::Pending ApplyPlan::take_pending() {
  Pending out = std::move(pending_);
  pending_ = Pending{};
  out.rows.reserve(dirty_.size());
  for (const std::string& id : dirty_) {
    TicketRow& row = rows_.at(id);
    // A manual conflict keeps the ticket marked until someone resolves it.
    row.sync_status = open_conflicts_.count(id) ? "conflict" : "synced";
    out.rows.push_back(&row);
  }
  written_ += static_cast<int64_t>(dirty_.size());
  dirty_.clear();
  out.lists.reserve(lists_dirty_.size());
  for (const std::string& id : lists_dirty_) out.lists.push_back(&rows_.at(id).cached.issue);
  lists_dirty_.clear();
  return out;
}

}  // namespace jirasync
