#pragma once

// Test double for the DecisionSink seam: records the batches plus offsets the
// writer applies, with failure injection for "the database is down".

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/decision_sink.hpp"

namespace jirasync::fakes {

class FakeDecisionSink final : public DecisionSink {
 public:
  struct AppliedBatch {
    std::vector<Decision> decisions;
    std::string group;
    std::vector<StoredOffset> offsets;
    int64_t now_ms = 0;
  };
  std::vector<AppliedBatch> applied;
  std::map<std::string, std::vector<StoredOffset>> offsets_by_group;
  int fail_next_applies = 0;
  int apply_calls = 0;
  int stored_offsets_calls = 0;
  // Runs at the start of every apply, on the applying thread (a gate for
  // tests of the writer's background apply).
  std::function<void()> on_apply;

  ApplyResult apply(const std::vector<Decision>& batch, const std::string& consumer_group,
                    const std::vector<StoredOffset>& offsets, int64_t now_ms) override {
    if (on_apply) on_apply();
    ++apply_calls;
    if (fail_next_applies > 0) {
      --fail_next_applies;
      throw std::runtime_error("fake store: server closed the connection unexpectedly");
    }
    applied.push_back({batch, consumer_group, offsets, now_ms});
    auto& stored = offsets_by_group[consumer_group];
    for (const auto& o : offsets) {
      bool found = false;
      for (auto& s : stored) {
        if (s.topic == o.topic && s.partition == o.partition) {
          s.next_offset = o.next_offset;
          found = true;
        }
      }
      if (!found) stored.push_back(o);
    }
    ApplyResult r;
    for (const auto& d : batch) {
      if (d.kind == DecisionKind::kSkip || d.kind == DecisionKind::kReject) {
        ++r.skipped;
      } else {
        ++r.written;
      }
    }
    return r;
  }
  std::vector<StoredOffset> stored_offsets(const std::string& consumer_group) override {
    ++stored_offsets_calls;
    return offsets_by_group[consumer_group];
  }
};

}  // namespace jirasync::fakes
