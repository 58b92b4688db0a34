#pragma once

#include <cstdint>
#include <memory>

#include "common/store/database.hpp"
#include "common/store/decision_sink.hpp"
#include "common/store/ticket_statistics.hpp"

namespace jirasync {

// DecisionSink on PostgreSQL or SQLite: apply() is one write transaction for
// the whole batch and its offsets (see DecisionBatch for its rules), under the
// Database lock (see Database for the threading rule). As the rows it writes
// add up, it gathers the ticket tables' key statistics again
// (analyze_ticket_keys), so that a first sync is not planned as an empty cache.
class SqlDecisionSink : public DecisionSink {
 public:
  // `max_sweep_share`: the sweep safety stop (ApplyPlan::limit_sweeps); 1 = none.
  explicit SqlDecisionSink(std::shared_ptr<Database> db, double max_sweep_share = 1.0);

  ApplyResult apply(const std::vector<Decision>& batch, const std::string& consumer_group,
                    const std::vector<StoredOffset>& offsets, int64_t now_ms) override;
  std::vector<StoredOffset> stored_offsets(const std::string& consumer_group) override;

 private:
  std::shared_ptr<Database> db_;
  double max_sweep_share_;
  int64_t written_ = 0;
  StatisticsSchedule statistics_;
};

}  // namespace jirasync
