#include "common/store/sql_decision_sink.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "common/store/decision_batch.hpp"
#include "common/store/in_write_transaction.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

SqlDecisionSink::SqlDecisionSink(std::shared_ptr<Database> db, double max_sweep_share)
    : db_(std::move(db)), max_sweep_share_(max_sweep_share) {}

DecisionSink::ApplyResult SqlDecisionSink::apply(const std::vector<Decision>& batch,
                                                 const std::string& consumer_group,
                                                 const std::vector<StoredOffset>& offsets,
                                                 int64_t now_ms) {
  if (!offsets.empty() && consumer_group.empty()) {
    throw std::invalid_argument("consumer_group: must not be empty when storing offsets");
  }
  const ApplyResult result = in_write_transaction(
      *db_, "applying a batch of " + std::to_string(batch.size()) + " decisions", [&] {
        DecisionBatch work(*db_, now_ms);
        work.limit_sweeps(max_sweep_share_);
        return work.apply(batch, consumer_group, offsets);
      });
  written_ += result.written;
  if (statistics_.due(written_)) {  // a no-op on SQLite
    // After the commit, and never failing it: the batch is in; only the plans of
    // the next ones would stay slow.
    try {
      analyze_ticket_keys(*db_);
    } catch (const std::exception& e) {
      spdlog::warn("writer: {}", e.what());
    }
  }
  return result;
}

std::vector<StoredOffset> SqlDecisionSink::stored_offsets(const std::string& consumer_group) {
  auto lock = db_->lock();
  std::vector<StoredOffset> out;
  for (const SqlRow& r : SqlQuery("SELECT topic, partition_id, next_offset FROM consumer_offsets "
                                  "WHERE consumer_group = ? ORDER BY topic, partition_id")
                             .arg(consumer_group)
                             .fetch(db_->session(), "tii")) {
    out.push_back(StoredOffset{r.text(0), static_cast<int32_t>(r.i64(1)), r.i64(2)});
  }
  return out;
}

}  // namespace jirasync
