#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/store/webhook_inbox.hpp"

namespace jirasync::fakes {

// WebhookInbox in memory, with the SQL store's contract.
class FakeWebhookInbox final : public WebhookInbox {
 public:
  bool accept(const std::string& delivery_id, const std::string& project, const std::string& key,
              int64_t now_ms) override {
    if (!delivery_id.empty()) {
      if (deliveries_.count(delivery_id)) return false;
      deliveries_[delivery_id] = now_ms;
    }
    auto [it, inserted] = queue_[project].try_emplace(key, Entry{1, now_ms});
    if (!inserted) ++it->second.version;
    return true;
  }
  std::vector<std::string> waiting_projects() override {
    std::vector<std::pair<int64_t, std::string>> oldest;
    for (const auto& [project, keys] : queue_) {
      if (keys.empty()) continue;
      int64_t first = INT64_MAX;
      for (const auto& [key, e] : keys) first = std::min(first, e.queued_ms);
      oldest.emplace_back(first, project);
    }
    std::sort(oldest.begin(), oldest.end());
    std::vector<std::string> out;
    for (auto& [t, p] : oldest) out.push_back(p);
    return out;
  }
  std::vector<QueuedKey> queued(const std::string& project, int limit) override {
    std::vector<std::pair<std::pair<int64_t, std::string>, int64_t>> rows;
    for (const auto& [key, e] : queue_[project]) rows.push_back({{e.queued_ms, key}, e.version});
    std::sort(rows.begin(), rows.end());
    std::vector<QueuedKey> out;
    for (const auto& [order, version] : rows) {
      if (static_cast<int>(out.size()) == limit) break;
      out.push_back({order.second, version});
    }
    return out;
  }
  void remove(const std::string& project, const std::vector<QueuedKey>& taken) override {
    auto& keys = queue_[project];
    for (const auto& q : taken) {
      auto it = keys.find(q.key);
      if (it != keys.end() && it->second.version == q.version) keys.erase(it);
    }
  }
  void forget_deliveries(int64_t before_ms) override {
    std::erase_if(deliveries_, [&](const auto& d) { return d.second < before_ms; });
  }

 private:
  struct Entry {
    int64_t version;
    int64_t queued_ms;
  };
  std::map<std::string, std::map<std::string, Entry>> queue_;
  std::map<std::string, int64_t> deliveries_;
};

}  // namespace jirasync::fakes
