#include "services/scheduler/webhook_refreshes.hpp"

namespace jirasync {

WebhookRefreshes::WebhookRefreshes(WebhookInbox& inbox, RunStore& runs, SyncTrigger& trigger,
                                   Clock& clock)
    : inbox_(inbox), runs_(runs), trigger_(trigger), clock_(clock) {}

WebhookRefreshes::Delivery WebhookRefreshes::deliver(const std::string& delivery_id,
                                                     const std::string& project,
                                                     const std::string& key_or_id) {
  if (!inbox_.accept(delivery_id, project, key_or_id, clock_.now_ms())) return Delivery::kReplay;
  return drain() > 0 ? Delivery::kStarted : Delivery::kQueued;
}

int WebhookRefreshes::drain() {
  int started = 0;
  for (const std::string& project : inbox_.waiting_projects()) {
    if (runs_.active_run(project)) continue;  // its keys wait for the run after it
    const auto taken = inbox_.queued(project, kMaxKeysPerRun);
    if (taken.empty()) continue;
    std::vector<std::string> keys;
    keys.reserve(taken.size());
    for (const auto& q : taken) keys.push_back(q.key);
    // The run row carries the keys; only once it exists may they leave the
    // queue (a crash in between refreshes them twice, never not at all).
    if (!trigger_.trigger(project, JobKind::kRefresh, keys, "webhook").started) continue;
    inbox_.remove(project, taken);
    ++started;
  }
  return started;
}

void WebhookRefreshes::forget_old_deliveries() {
  inbox_.forget_deliveries(clock_.now_ms() - kReplayWindowMs);
}

}  // namespace jirasync
