#pragma once

// Test double for the TicketStore seam: cached rows and local edits the
// reconciler reads, and the batches plus offsets the writer applies, with
// failure injection for "the database is down".

#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/ticket_store.hpp"

namespace jirasync::fakes {

class FakeTicketStore final : public TicketStore {
 public:
  std::map<std::string, CachedTicket> rows;
  std::map<std::string, std::vector<LocalEdit>> edits;
  struct AppliedBatch {
    std::vector<Decision> decisions;
    std::string group;
    std::vector<StoredOffset> offsets;
    int64_t now_ms = 0;
  };
  std::vector<AppliedBatch> applied;
  std::map<std::string, std::vector<StoredOffset>> offsets_by_group;
  int fail_next_loads = 0;
  int fail_next_applies = 0;
  int apply_calls = 0;
  int stored_offsets_calls = 0;
  // Runs at the start of every apply, on the applying thread (a gate for
  // tests of the writer's background apply).
  std::function<void()> on_apply;

  std::map<std::string, CachedTicket> load(const std::vector<std::string>& ids) override {
    if (fail_next_loads > 0) {
      --fail_next_loads;
      throw std::runtime_error("fake store: connection refused");
    }
    std::map<std::string, CachedTicket> out;
    for (const auto& id : ids) {
      if (auto it = rows.find(id); it != rows.end()) out[id] = it->second;
    }
    return out;
  }
  std::map<std::string, std::vector<LocalEdit>> local_edits(
      const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<LocalEdit>> out;
    for (const auto& id : ids) {
      if (auto it = edits.find(id); it != edits.end()) out[id] = it->second;
    }
    return out;
  }
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

  std::optional<CachedTicket> find_by_key(const std::string&) override { unused(); }
  std::vector<TicketSummary> list(const std::string&, int) override { unused(); }
  int64_t count(const std::string&) override { unused(); }
  void put_local_edit(const LocalEdit&) override { unused(); }
  void add_note(const std::string&, const std::string&, int64_t) override { unused(); }
  std::vector<TicketChange> changes(const std::string&) override { unused(); }
  std::vector<Conflict> conflicts(const std::string&, bool) override { unused(); }
  void resolve_conflict(int64_t, const std::string&, int64_t) override { unused(); }

 private:
  [[noreturn]] static void unused() {
    throw std::logic_error("FakeTicketStore: not used by the pipeline roles");
  }
};

}  // namespace jirasync::fakes
