#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/clock/clock.hpp"
#include "tests/jirasim/fault_injector.hpp"
#include "tests/jirasim/http_types.hpp"
#include "tests/jirasim/issue_generator.hpp"
#include "tests/jirasim/issue_renderer.hpp"
#include "tests/jirasim/issue_search.hpp"
#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/page_token.hpp"
#include "tests/jirasim/people.hpp"
#include "tests/jirasim/rate_limiter.hpp"
#include "tests/jirasim/request_counters.hpp"
#include "tests/jirasim/request_target.hpp"
#include "tests/jirasim/runtime_settings.hpp"
#include "tests/jirasim/sim_options.hpp"
#include "tests/jirasim/webhook_events.hpp"
#include "tests/jirasim/webhook_sender.hpp"

namespace jirasim {

class JiraApi;
class ControlApi;

// The composition root: owns every part of the simulated site and answers one
// HTTP request at a time (thread-safe; the server calls it from its threads).
// REST requests pass the rate limit, the fault plan and Basic auth, in that
// order (edge failures come before Jira sees the request); /__sim/ is the
// loopback-only control API.
class Simulator {
 public:
  Simulator(SimOptions options, const jirasync::Clock& clock);
  ~Simulator();

  HttpReply handle(const HttpRequest& req, bool from_loopback);
  void set_base_url(const std::string& url);
  // Regenerates the data from the start options and restores every setting.
  void reset();

  const SimOptions& options() const { return options_; }
  IssueStore& store() { return store_; }
  const People& people() const { return people_; }
  const IssueGenerator& generator() const { return generator_; }
  IssueRenderer& renderer() { return renderer_; }
  IssueSearch& search() { return search_; }
  RateLimiter& limiter() { return limiter_; }
  FaultInjector& faults() { return faults_; }
  RequestCounters& counters() { return counters_; }
  RuntimeSettings& settings() { return settings_; }
  WebhookSender& webhooks() { return webhooks_; }
  WebhookEvents& events() { return events_; }
  const jirasync::Clock& clock() const { return clock_; }

 private:
  HttpReply serve_rest(const HttpRequest& req, const RequestTarget& target);
  void apply_start_settings();

  SimOptions options_;
  const jirasync::Clock& clock_;
  People people_;
  IssueStore store_;
  IssueGenerator generator_;
  IssueRenderer renderer_;
  IssueSearch search_;
  PageTokenCodec tokens_;
  RateLimiter limiter_;
  FaultInjector faults_;
  std::atomic<uint64_t> mutation_rounds_{0};
  RequestCounters counters_;
  RuntimeSettings settings_;
  WebhookSender webhooks_;
  WebhookEvents events_;
  std::unique_ptr<JiraApi> api_;
  std::unique_ptr<ControlApi> control_;
};

std::vector<SimUser> login_users(const SimOptions& options);

}  // namespace jirasim
