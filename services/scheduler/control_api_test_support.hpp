#pragma once

#include <string>

#include "common/clock/fake_clock.hpp"
#include "services/scheduler/control_api.hpp"
#include "tests/fakes/fake_run_store.hpp"
#include "tests/fakes/fake_webhook_inbox.hpp"
#include "tests/fakes/recording_producer.hpp"

namespace jirasync::testing {

// The scheduler's control API over in-memory fakes, as tests of its routes
// need it: jobs land in `producer`, webhook keys in `inbox`. No webhook secret,
// so webhook bodies are parsed.
struct ControlApiWorld {
  // POST of `body` to /api/sync or /api/webhook, straight to the handler.
  RouteResponse post(const std::string& path, const std::string& body) {
    RouteRequest r;
    r.method = "POST";
    r.path = r.target = path;
    r.body = body;
    return path == "/api/sync" ? api.sync(r) : api.webhook(r);
  }

  FakeClock clock;
  fakes::FakeRunStore runs;
  fakes::RecordingProducer producer;
  SyncTrigger trigger{runs, producer, "t.jobs", clock};
  fakes::FakeWebhookInbox inbox;
  WebhookRefreshes webhooks{inbox, runs, trigger, clock};
  ControlApi api{trigger, runs, webhooks, {"WRKA"}};
};

}  // namespace jirasync::testing
