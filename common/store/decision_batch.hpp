#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/sync_run.hpp"
#include "common/store/ticket_row.hpp"
#include "common/store/ticket_store.hpp"

namespace jirasync {

// Applies one batch of writer decisions inside the caller's write transaction.
//
// Reads everything it needs up front with IN-list SELECTs, works out every
// effect in memory (so later decisions in the batch see earlier ones), then
// writes with multi-row statements. The rules it enforces:
//   - (run_id, item_key) counts once: an item already in run_items is skipped
//     entirely, its effects having been committed with it. A snapshot's item
//     is one delivered version ("<issue id>@<updated ms>"), so a newer
//     snapshot of an issue in the same run is applied and counted, and the
//     fetcher emits each version once per run;
//   - an older Jira `updated` never overwrites a newer row, and an identical
//     content hash (same key, not deleted) writes nothing but a newer
//     `updated` (a touch: no history row);
//   - a sweep deletes only when every chunk of it was applied, and never an
//     issue created after the sweep started;
//   - a run whose fetch is complete becomes `success` in the same statement
//     that brings `applied` up to `emitted`.
class DecisionBatch {
 public:
  // kRebuild (`jirasync replay`, decisions without a run): a snapshot rewrites
  // its row even when the content hash is unchanged (so columns a migration
  // added are filled), a deleted row stays deleted unless the snapshot is
  // newer, open conflicts are read for rows a user emptied, the last-synced
  // time of a row is kept, and no history row is written.
  enum class Mode { kSync, kRebuild };
  DecisionBatch(Database& db, int64_t now_ms, Mode mode = Mode::kSync);

  TicketStore::ApplyResult apply(const std::vector<Decision>& batch,
                                 const std::string& consumer_group,
                                 const std::vector<StoredOffset>& offsets);

 private:
  struct RunDelta {
    int64_t applied = 0;
    RunStats stats;
    std::string error;
  };

  std::set<std::pair<std::string, std::string>> claim_items(const std::vector<Decision>& batch);
  void load_state(const std::vector<Decision>& batch,
                  const std::set<std::pair<std::string, std::string>>& claimed);
  // Returns whether a ticket row was written.
  bool apply_snapshot(const Decision& d, RunDelta& run);
  // A skip carrying the issue: Jira's `updated` moved, the content did not.
  // Advances `updated` and last_synced_ms; no history row.
  bool apply_touch(const Decision& d);
  bool apply_delete(const Decision& d, RunDelta& run);
  void apply_sweep_end(const Decision& d, RunDelta& run);
  void record_conflicts(const Decision& d, const std::string& id, RunDelta& run);
  void add_change(const std::string& ticket_id, const std::string& run_id,
                  const std::string& change, const std::string& detail);
  void flush();
  void update_runs();
  void store_offsets(const std::string& consumer_group, const std::vector<StoredOffset>& offsets);

  Database& db_;
  int64_t now_ms_;
  Mode mode_;
  std::map<std::string, TicketRow> rows_;              // cached rows by id, kept current
  std::map<std::string, std::set<std::string>> keys_;  // every key each id has had
  std::set<std::string> open_conflicts_;               // ids with an open manual conflict
  std::set<std::string> dirty_;                        // rows_ to upsert at flush
  std::vector<std::vector<SqlValue>> key_rows_, change_rows_, conflict_rows_;
  std::set<std::pair<std::string, std::string>> sweep_ids_;         // (run_id, issue_id)
  std::vector<std::pair<std::string, std::string>> dropped_edits_;  // (ticket_id, field)
  std::map<std::string, RunDelta> runs_;
  int64_t written_ = 0;
};

}  // namespace jirasync
