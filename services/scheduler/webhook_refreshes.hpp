#pragma once

#include "common/clock/clock.hpp"
#include "common/store/run_store.hpp"
#include "common/store/webhook_inbox.hpp"
#include "common/service/sync_trigger.hpp"

namespace jirasync {

// Turns the keys that Jira's webhooks queued into refresh runs: one run per
// project at a time, each taking every key queued so far (up to a bound), so a
// burst of deliveries during a long run becomes one refresh after it.
class WebhookRefreshes {
 public:
  // Enough for one job; the fetcher bulk-fetches them 100 at a time.
  static constexpr int kMaxKeysPerRun = 1000;
  // How long a delivery id is remembered: Jira retries for hours, not days.
  static constexpr int64_t kReplayWindowMs = 24LL * 3600 * 1000;

  WebhookRefreshes(WebhookInbox& inbox, RunStore& runs, SyncTrigger& trigger, Clock& clock);

  enum class Delivery { kReplay, kStarted, kQueued };
  // Queues `key_or_id` of one delivery (unless `delivery_id` was seen: a
  // replay) and starts its project's refresh at once when the project is free.
  Delivery deliver(const std::string& delivery_id, const std::string& project,
                   const std::string& key_or_id);

  // Starts a refresh of the queued keys of every project that has no active
  // run; the others keep their keys for the next call. Returns runs started.
  int drain();
  // Forgets delivery ids older than the replay window.
  void forget_old_deliveries();

 private:
  WebhookInbox& inbox_;
  RunStore& runs_;
  SyncTrigger& trigger_;
  Clock& clock_;
};

}  // namespace jirasync
