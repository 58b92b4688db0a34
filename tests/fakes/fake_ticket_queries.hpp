#pragma once

// Test double for the TicketQueries seam: tickets and their history held in
// memory, looked up and listed by the same rules as the SQL store.

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/ticket_queries.hpp"

namespace jirasync::fakes {

class FakeTicketQueries final : public TicketQueries {
 public:
  std::map<std::string, CachedTicket> tickets;               // by id
  std::map<std::string, std::string> former_keys;            // a key a ticket once had -> its id
  std::map<std::string, std::vector<TicketChange>> history;  // by ticket id, oldest first

  std::optional<CachedTicket> find_by_key(const std::string& key_or_old_key) override {
    // A live row holding the key wins over a deleted one that once held it.
    const CachedTicket* found = nullptr;
    for (const auto& [id, t] : tickets) {
      if (t.key != key_or_old_key) continue;
      if (!found || (found->deleted && !t.deleted) ||
          (found->deleted == t.deleted && t.updated_ms > found->updated_ms)) {
        found = &t;
      }
    }
    if (found) return *found;
    if (auto k = former_keys.find(key_or_old_key); k != former_keys.end()) {
      if (auto t = tickets.find(k->second); t != tickets.end()) return t->second;
    }
    return std::nullopt;
  }
  std::map<std::string, std::string> current_keys(const std::vector<std::string>& ids) override {
    std::map<std::string, std::string> out;
    for (const auto& id : ids) {
      if (auto it = tickets.find(id); it != tickets.end()) out.emplace(id, it->second.key);
    }
    return out;
  }
  std::map<std::string, CachedTicket> find_by_ids(const std::vector<std::string>& ids) override {
    std::map<std::string, CachedTicket> out;
    for (const auto& id : ids) {
      if (auto it = tickets.find(id); it != tickets.end()) out.emplace(id, it->second);
    }
    return out;
  }
  std::map<std::string, std::string> ids_of_keys(const std::vector<std::string>& keys) override {
    std::map<std::string, std::string> out;
    for (const auto& key : keys) {
      if (auto t = find_by_key(key)) out.emplace(key, t->id);
    }
    return out;
  }
  std::vector<TicketSummary> list(const std::string& project, int limit) override {
    if (limit <= 0) throw std::invalid_argument("limit: must be positive");
    std::vector<TicketSummary> out;
    for (const auto& [id, t] : tickets) {
      if (!project.empty() && t.issue.project_key != project) continue;
      out.push_back(summary_of(t));
    }
    std::sort(out.begin(), out.end(), [](const TicketSummary& a, const TicketSummary& b) {
      return a.updated_ms != b.updated_ms ? a.updated_ms > b.updated_ms : a.id < b.id;
    });
    if (out.size() > static_cast<size_t>(limit)) out.resize(static_cast<size_t>(limit));
    return out;
  }
  int64_t count(const std::string& project) override {
    int64_t n = 0;
    for (const auto& [id, t] : tickets) {
      if (!t.deleted && (project.empty() || t.issue.project_key == project)) ++n;
    }
    return n;
  }
  std::vector<TicketChange> changes(const std::string& ticket_id) override {
    auto it = history.find(ticket_id);
    return it == history.end() ? std::vector<TicketChange>{} : it->second;
  }

 private:
  static TicketSummary summary_of(const CachedTicket& t) {
    TicketSummary s;
    s.id = t.id;
    s.key = t.key;
    s.project = t.issue.project_key;
    s.issue_type = t.issue.issue_type;
    s.status = t.issue.status;
    s.priority = t.issue.priority.value_or("");
    s.assignee = t.issue.assignee ? t.issue.assignee->display_name : "";
    s.summary = t.issue.summary;
    s.sync_status = "synced";
    s.updated_ms = t.updated_ms;
    s.deleted = t.deleted;
    return s;
  }
};

}  // namespace jirasync::fakes
