#pragma once

#include <set>
#include <string>

#include "common/http/service_http_server.hpp"
#include "common/service/sync_trigger.hpp"
#include "common/store/run_store.hpp"
#include "services/api/access_check.hpp"
#include "services/scheduler/webhook_refreshes.hpp"

namespace jirasync {

// The scheduler's HTTP control plane, on its health server:
//   POST /api/sync     {"project":"P","kind":"full|incremental|refetch|refresh","keys":[...]}
//   GET  /api/runs?project=P&limit=N,  GET /api/runs/<id>
//   POST /api/webhook  a Jira issue webhook: its key (its id for a deletion)
//                      is queued durably and refreshed by the project's next
//                      refresh run, at once when the project is free; a
//                      delivery whose X-Atlassian-Webhook-Identifier was seen
//                      before changes nothing
// With a webhook secret, /api/webhook answers 401 unless the request carries
// Jira's `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; without
// one it accepts any webhook (mount() warns about that once). /api/sync needs
// an admin API key and /api/runs a read key (`jirasync apikey create`), as
// `access` decides; the webhook has its signature instead.
class ControlApi {
 public:
  ControlApi(SyncTrigger& trigger, RunStore& runs, WebhookRefreshes& webhooks,
             std::set<std::string> projects, std::string webhook_secret = "");
  // `access` must outlive the server.
  void mount(ServiceHttpServer& server, AccessCheck& access);

  RouteResponse sync(const RouteRequest& req);
  RouteResponse runs(const RouteRequest& req);
  RouteResponse webhook(const RouteRequest& req);

 private:
  SyncTrigger& trigger_;
  RunStore& runs_;
  WebhookRefreshes& webhooks_;
  std::set<std::string> projects_;
  std::string webhook_secret_;  // never logged or echoed
};

}  // namespace jirasync
