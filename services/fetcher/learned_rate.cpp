#include "services/fetcher/learned_rate.hpp"

#include <algorithm>
#include <cmath>

namespace jirasync {

LearnedRate::LearnedRate(double configured_per_s)
    : ceiling_per_s_(configured_per_s > 0 ? configured_per_s : kUnlimitedPerS) {}

double LearnedRate::per_s(int64_t now_ms) const {
  if (learned_per_s_ <= 0) return 0;
  const double risen =
      learned_per_s_ + kRisePerS * static_cast<double>(now_ms - learned_at_ms_) / 1000.0;
  return risen >= ceiling_per_s_ ? 0 : risen;
}

void LearnedRate::forget_before(int64_t now_ms) {
  while (!sent_ms_.empty() && sent_ms_.front() <= now_ms - 1000) sent_ms_.pop_front();
}

void LearnedRate::refused(int64_t now_ms) {
  if (learned_per_s_ > 0 && now_ms - learned_at_ms_ < 1000) return;
  forget_before(now_ms);
  const double rate = per_s(now_ms);
  const double sent = static_cast<double>(sent_ms_.size());
  // What went out lately, or what was in force when nothing did.
  const double base = rate > 0 ? std::min(rate, std::max(sent, 1.0)) : std::max(sent, 1.0);
  learned_per_s_ = std::max(kFloorPerS, base / 2);
  learned_at_ms_ = now_ms;
}

int64_t LearnedRate::reserve(int64_t now_ms) {
  forget_before(now_ms);
  const double rate = per_s(now_ms);
  if (rate <= 0) {
    learned_per_s_ = 0;
    sent_ms_.push_back(now_ms);
    return 0;
  }
  const int64_t slot = std::max(now_ms, next_slot_ms_);
  next_slot_ms_ = slot + static_cast<int64_t>(std::ceil(1000.0 / rate));
  sent_ms_.push_back(slot);
  return slot - now_ms;
}

}  // namespace jirasync
