#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/envelope/decision.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

// Decisions consumed but not yet applied, with the positions they cover. The
// positions include records that were dead-lettered instead of decoded, so a
// bad record is stored past like any other and never blocks its partition.
class PendingBatch {
 public:
  struct DeadLetter {
    BusMessage source;
    std::string reason;
  };

  void add(const BusMessage& source, Decision decision, int64_t now_ms);
  void add_dead_letter(const BusMessage& source, std::string reason, int64_t now_ms);

  bool empty() const { return records_ == 0; }
  // Records consumed into this batch (decisions and dead letters).
  int records() const { return records_; }
  // When the first record arrived; the linger counts from here.
  int64_t started_ms() const { return started_ms_; }

  const std::vector<Decision>& decisions() const { return decisions_; }
  const std::vector<DeadLetter>& dead_letters() const { return dead_letters_; }

  // The next offset to consume per partition, for the database and for Kafka.
  std::vector<StoredOffset> stored_offsets() const;
  std::vector<TopicPartition> commit_offsets() const;

  void clear();

 private:
  void cover(const BusMessage& source, int64_t now_ms);

  std::vector<Decision> decisions_;
  std::vector<DeadLetter> dead_letters_;
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets_;
  int records_ = 0;
  int64_t started_ms_ = 0;
};

}  // namespace jirasync
