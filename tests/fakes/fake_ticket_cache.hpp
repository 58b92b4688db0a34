#pragma once

// Test double for the TicketCache seam: the cached rows and local edits the
// reconciler reads, with failure injection for "the database is down".

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/ticket_cache.hpp"

namespace jirasync::fakes {

class FakeTicketCache final : public TicketCache {
 public:
  std::map<std::string, CachedTicket> rows;
  std::map<std::string, std::vector<LocalEdit>> edits;
  int fail_next_loads = 0;

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
};

}  // namespace jirasync::fakes
