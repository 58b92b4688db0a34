#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jirasync {

// Jira's webhook deliveries, kept durably until a refresh run takes them:
// Jira does not retry a delivery it got a 2xx for, so a key must never live
// only in memory. Keys are coalesced per project; delivery ids are remembered
// so a replayed delivery changes nothing.
class WebhookInbox {
 public:
  // A queued key and the version of its queue entry: every new delivery for
  // the key bumps the version, so a run that took version N never removes a
  // delivery that arrived after it read the queue.
  struct QueuedKey {
    std::string key;
    int64_t version = 0;
  };

  virtual ~WebhookInbox() = default;
  // Queues `key` for `project` unless `delivery_id` was accepted before (one
  // transaction). An empty id is never deduplicated. Returns false for a replay.
  virtual bool accept(const std::string& delivery_id, const std::string& project,
                      const std::string& key, int64_t now_ms) = 0;
  // Projects with queued keys, the one waiting longest first.
  virtual std::vector<std::string> waiting_projects() = 0;
  // Up to `limit` queued keys of `project`, by when they were first queued.
  virtual std::vector<QueuedKey> queued(const std::string& project, int limit) = 0;
  // Removes the entries a run took, unless a later delivery bumped them.
  virtual void remove(const std::string& project, const std::vector<QueuedKey>& taken) = 0;
  // Forgets delivery ids accepted before `before_ms` (the replay window).
  virtual void forget_deliveries(int64_t before_ms) = 0;
};

}  // namespace jirasync
