#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

// The writer's view of the cache: where decided batches go, with the consumer
// offsets that produced them.
class DecisionSink {
 public:
  virtual ~DecisionSink() = default;

  // Applies decisions and stores consumer offsets in ONE transaction.
  // Guarded: an older `updated` never overwrites a newer row; an identical
  // content hash writes nothing; items already counted for a run are not
  // counted again. Finalises runs whose every item is now applied.
  struct ApplyResult {
    int64_t written = 0;  // rows inserted or changed
    int64_t skipped = 0;
  };
  virtual ApplyResult apply(const std::vector<Decision>& batch, const std::string& consumer_group,
                            const std::vector<StoredOffset>& offsets, int64_t now_ms) = 0;
  virtual std::vector<StoredOffset> stored_offsets(const std::string& consumer_group) = 0;
};

}  // namespace jirasync
