#include "services/writer/pending_batch.hpp"

#include <algorithm>

namespace jirasync {

void PendingBatch::cover(const BusMessage& source, int64_t now_ms) {
  if (records_ == 0) started_ms_ = now_ms;
  ++records_;
  auto& next = next_offsets_[{source.topic, source.partition}];
  next = std::max(next, source.offset + 1);
}

void PendingBatch::add(const BusMessage& source, Decision decision, int64_t now_ms) {
  cover(source, now_ms);
  decisions_.push_back(std::move(decision));
}

void PendingBatch::add_dead_letter(const BusMessage& source, std::string reason, int64_t now_ms) {
  cover(source, now_ms);
  dead_letters_.push_back({source, std::move(reason)});
}

std::vector<StoredOffset> PendingBatch::stored_offsets() const {
  std::vector<StoredOffset> out;
  for (const auto& [tp, next] : next_offsets_) out.push_back({tp.first, tp.second, next});
  return out;
}

std::vector<TopicPartition> PendingBatch::commit_offsets() const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, next] : next_offsets_) {
    TopicPartition p;
    p.topic = tp.first;
    p.partition = tp.second;
    p.offset = next;
    out.push_back(p);
  }
  return out;
}

void PendingBatch::clear() {
  decisions_.clear();
  dead_letters_.clear();
  next_offsets_.clear();
  records_ = 0;
  started_ms_ = 0;
}

}  // namespace jirasync
