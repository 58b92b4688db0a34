#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/store/sync_run.hpp"
#include "common/store/ticket_records.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

// A sweep's deletion held back by the safety stop (ApplyPlan::limit_sweeps):
// recorded in sweep_holds, applied only by `jirasync sweep release`.
struct SweepHold {
  std::string project;
  std::string run_id;
  int64_t started_ms = 0;
  int64_t would_delete = 0;  // live tickets the sweep did not list
  int64_t live = 0;          // live tickets of the project
  int64_t held_ms = 0;
};

// What a sweep end needs from the database, asked only when the sweep's end
// is planned: DecisionBatch answers over SQL (writing the plan's pending
// effects first, so the answers see them), tests answer from memory.
class SweepLedger {
 public:
  virtual ~SweepLedger() = default;
  // How many chunks of the run's sweep are recorded.
  virtual int64_t chunks_recorded(const std::string& run_id) = 0;
  // Marks deleted the live tickets of `project` created before `started_ms`
  // that the run's sweep did not list; returns their ids.
  virtual std::vector<std::string> delete_unseen(const std::string& project, int64_t started_ms,
                                                 const std::string& run_id) = 0;
  // The run's recorded sweep ids are no longer needed.
  virtual void forget_sweep(const std::string& run_id) = 0;
  // How many tickets delete_unseen() would mark deleted.
  virtual int64_t count_unseen(const std::string& project, int64_t started_ms,
                               const std::string& run_id) = 0;
  // Live (not deleted) tickets of `project`.
  virtual int64_t live_tickets(const std::string& project) = 0;
  // Records a held deletion (the sweep's ids are kept for its release).
  virtual void hold_sweep(const SweepHold& hold) = 0;
  // A project's sync scope, from a complete sweep: marks out of scope the live
  // tickets of `project` that the run's sweep sent as out of scope (Jira
  // still has them, its scoped listing did not return them); returns their
  // ids (those already marked are left out).
  virtual std::vector<std::string> mark_out_of_scope(const std::string& project,
                                                     const std::string& run_id) {
    (void)project, (void)run_id;
    return {};
  }
  // Brings back the out-of-scope tickets of `project` that the run's listing
  // returned (in scope again); returns their ids.
  virtual std::vector<std::string> restore_in_scope(const std::string& project,
                                                    const std::string& run_id) {
    (void)project, (void)run_id;
    return {};
  }
};

// The writer's apply rules for one batch, worked out in memory from the rows
// the batch touches (no database: DecisionBatch loads the state and flushes
// the effects). The rules:
//   - (run_id, item_key) counts once: an item not claimed for this batch was
//     committed earlier and is skipped entirely, as is the same item twice in
//     a batch. A snapshot's item is one delivered version ("<issue id>@<updated
//     ms>"), so a newer snapshot of an issue in the same run is applied and
//     counted;
//   - an older Jira `updated` never overwrites a newer row, and an identical
//     content hash (same key, not deleted) writes nothing but a newer
//     `updated` (a touch: no history row);
//   - a complete sweep of a project with a sync scope marks out of scope
//     (kept, left out of searches, change "out_of_scope") what Jira still has
//     outside the scope, and brings back ("in_scope") what its listing
//     returned again; never a deletion;
//   - a sweep deletes only when every chunk of it was applied (SweepLedger
//     finds what it did not see), and, with limit_sweeps(), only when it
//     deletes at most that share of the project's live tickets: a larger
//     deletion (a JQL or permission change in Jira hiding issues) is held
//     for a person to release;
//   - later decisions in the batch see the effects of earlier ones.
// Run finalisation is not here: run_completion.hpp holds that rule.
class ApplyPlan {
 public:
  using ItemId = std::pair<std::string, std::string>;  // (run_id, item_key)

  struct RunDelta {
    int64_t applied = 0;
    RunStats stats;
    std::string error;
  };
  struct KeyRow {
    std::string ticket_id;
    std::string key;
    int64_t from_ms = 0;
  };
  // Effects not yet written, in the order the SQL writes them.
  struct Pending {
    // To upsert, sync_status set: the plan's own rows (no copy of large
    // issues), valid while the plan lives.
    std::vector<const TicketRow*> rows;
    std::vector<KeyRow> keys;
    std::vector<TicketChange> changes;
    std::vector<std::pair<std::string, std::string>> dropped_edits;  // (ticket_id, field)
    std::vector<Conflict> conflicts;                                 // id unset
    std::set<std::pair<std::string, std::string>> sweep_ids;         // (run_id, issue_id)
    // Of those, the ones Jira has outside the project's sync scope.
    std::set<std::pair<std::string, std::string>> out_of_scope_ids;
    // Issues whose comments, links, subtasks and attachments are replaced
    // whole (new versions only: a touch or a deletion keeps them).
    std::vector<const JiraIssue*> lists;
    bool empty() const {
      return rows.empty() && keys.empty() && changes.empty() && dropped_edits.empty() &&
             conflicts.empty() && sweep_ids.empty() && out_of_scope_ids.empty() && lists.empty();
    }
  };

  // kRebuild (`jirasync replay`, decisions without a run): a snapshot rewrites
  // its row even when the content hash is unchanged (so columns a migration
  // added are filled), a deleted row stays deleted unless the snapshot is
  // newer, the last-synced time of a row is kept, and no history row is
  // written.
  enum class Mode { kSync, kRebuild };
  explicit ApplyPlan(int64_t now_ms, Mode mode = Mode::kSync);
  Mode mode() const { return mode_; }
  // The safety stop: a sweep that would delete more than `max_share` (0..1)
  // of a project's live tickets is held instead. 1 or more = no stop.
  void limit_sweeps(double max_share) { max_sweep_share_ = max_share; }

  // The item under which a decision counts for its run.
  static std::string item_key_of(const Decision& d);
  // The ticket ids whose cached rows the batch's claimed decisions need.
  static std::set<std::string> wanted_ids(const std::vector<Decision>& batch,
                                          const std::set<ItemId>& claimed);

  // The cached state, before plan(): rows by id, every key each id has had,
  // and the ids with an open manual conflict.
  void know_row(TicketRow row);
  void know_key(const std::string& ticket_id, const std::string& key);
  void know_open_conflict(const std::string& ticket_id);
  // Every id know_row() was given.
  std::vector<std::string> known_ids() const;

  // Works out the batch; `claimed` holds the items this batch may count.
  // Returns how many decisions wrote nothing.
  int64_t plan(const std::vector<Decision>& batch, const std::set<ItemId>& claimed,
               SweepLedger& ledger);

  // Hands over the effects not yet written (and forgets them).
  Pending take_pending();
  // What each run's counters gain, by run id.
  const std::map<std::string, RunDelta>& runs() const { return runs_; }
  // Ticket rows inserted, changed or deleted.
  int64_t written() const { return written_; }

 private:
  // Returns whether a ticket row was written.
  bool apply_snapshot(const Decision& d, RunDelta& run);
  // A skip carrying the issue: Jira's `updated` moved, the content did not.
  // Advances `updated` and last_synced_ms; no history row.
  bool apply_touch(const Decision& d);
  bool apply_delete(const Decision& d, RunDelta& run);
  void apply_sweep_end(const Decision& d, RunDelta& run, SweepLedger& ledger);
  // The scope verdicts of a complete sweep (SweepLedger::mark_out_of_scope).
  void apply_sweep_scope(const Decision& d, SweepLedger& ledger);
  void record_conflicts(const Decision& d, const std::string& id, RunDelta& run);
  void add_change(const std::string& ticket_id, const std::string& run_id,
                  const std::string& change, const std::string& detail);

  int64_t now_ms_;
  Mode mode_;
  double max_sweep_share_ = 1.0;
  std::map<std::string, TicketRow> rows_;              // cached rows by id, kept current
  std::map<std::string, std::set<std::string>> keys_;  // every key each id has had
  std::set<std::string> open_conflicts_;               // ids with an open manual conflict
  std::set<std::string> dirty_;                        // rows_ to upsert
  std::set<std::string> lists_dirty_;                  // rows_ whose lists to replace
  Pending pending_;                                    // all but the rows
  std::map<std::string, RunDelta> runs_;
  int64_t written_ = 0;
};

}  // namespace jirasync
