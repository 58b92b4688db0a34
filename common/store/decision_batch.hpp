#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/store/apply_plan.hpp"
#include "common/store/database.hpp"
#include "common/store/decision_sink.hpp"
#include "common/store/sync_run.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

// Applies one batch of writer decisions inside the caller's write transaction:
// the SQL around ApplyPlan, which holds the rules.
//
// Reads everything it needs up front with IN-list SELECTs (claiming the
// batch's run items first: an item another writer committed is not this
// batch's), lets the plan work out every effect in memory, then writes with
// multi-row statements. A run whose fetch is complete becomes `success` in
// the same statement that brings `applied` up to `emitted`
// (run_completion.hpp).
class DecisionBatch final : private SweepLedger {
 public:
  // kRebuild: see ApplyPlan::Mode; keys and open conflicts are then read for
  // every ticket of the batch, rows a user emptied too. A rebuild reads only
  // the compared columns of a row (not the issue or its lists: it writes no
  // history), leaves a row identical to its rewrite as it is, and brings the
  // lists of an unchanged issue up to date in place instead of replacing them.
  DecisionBatch(Database& db, int64_t now_ms, ApplyPlan::Mode mode = ApplyPlan::Mode::kSync);
  // See ApplyPlan::limit_sweeps.
  void limit_sweeps(double max_share) { plan_.limit_sweeps(max_share); }

  DecisionSink::ApplyResult apply(const std::vector<Decision>& batch,
                                  const std::string& consumer_group,
                                  const std::vector<StoredOffset>& offsets);

 private:
  std::set<std::pair<std::string, std::string>> claim_items(const std::vector<Decision>& batch);
  void load_state(const std::vector<Decision>& batch,
                  const std::set<std::pair<std::string, std::string>>& claimed);
  void load_rebuild_state(const std::vector<Decision>& batch, const std::set<std::string>& wanted);
  void load_keys_and_conflicts(const std::vector<std::string>& ids);
  // SweepLedger, over SQL; each writes the plan's pending effects first.
  int64_t chunks_recorded(const std::string& run_id) override;
  std::vector<std::string> delete_unseen(const std::string& project, int64_t started_ms,
                                         const std::string& run_id) override;
  void forget_sweep(const std::string& run_id) override;
  int64_t count_unseen(const std::string& project, int64_t started_ms,
                       const std::string& run_id) override;
  int64_t live_tickets(const std::string& project) override;
  void hold_sweep(const SweepHold& hold) override;
  std::vector<std::string> mark_out_of_scope(const std::string& project,
                                             const std::string& run_id) override;
  std::vector<std::string> restore_in_scope(const std::string& project,
                                            const std::string& run_id) override;
  // Writes the plan's pending effects.
  void flush();
  void write_lists(const ApplyPlan::Pending& pending);
  void update_runs();
  void store_offsets(const std::string& consumer_group, const std::vector<StoredOffset>& offsets);

  Database& db_;
  int64_t now_ms_;
  ApplyPlan plan_;
  // kRebuild: the content hash each loaded row had, by id.
  std::map<std::string, std::string> cached_hashes_;
};

}  // namespace jirasync
