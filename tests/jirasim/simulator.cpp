#include "tests/jirasim/simulator.hpp"

#include <openssl/rand.h>

#include <date/date.h>

#include "tests/jirasim/control_api.hpp"
#include "tests/jirasim/jira_api.hpp"
#include "tests/jirasim/json_writer.hpp"
#include "tests/jirasim/page_mutator.hpp"

namespace jirasim {

namespace {

std::string run_secret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("no randomness for the token secret");
  return std::string(reinterpret_cast<char*>(bytes), sizeof bytes);
}

std::string iso_minute(int64_t ms) {
  auto tp = date::sys_time<std::chrono::minutes>{
      std::chrono::duration_cast<std::chrono::minutes>(std::chrono::milliseconds{ms})};
  return date::format("%Y-%m-%dT%H:%MZ", tp);
}

bool starts_with(const std::string& s, std::string_view p) {
  return s.rfind(p, 0) == 0;
}

// The rate-limit headers Jira sends with every response while a limit applies.
void set_rate_headers(HttpResponse& response, const RateLimitDecision& rate) {
  response.set("X-RateLimit-Limit", std::to_string(rate.limit));
  response.set("X-RateLimit-Remaining", std::to_string(rate.remaining));
  response.set("X-RateLimit-FillRate", std::to_string(rate.fill_rate));
  response.set("X-RateLimit-Interval-Seconds", std::to_string(rate.interval_s));
  // Less than a fifth of the bucket left.
  if (rate.remaining * 5 < rate.limit) response.set("X-RateLimit-NearLimit", "true");
}

}  // namespace

std::vector<SimUser> login_users(const SimOptions& options) {
  std::vector<SimUser> users{demo_user()};
  for (const auto& u : options.users) users.push_back(u);
  return users;
}

Simulator::Simulator(SimOptions options, const jirasync::Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      people_(login_users(options_), options_.seed),
      store_(clock),
      generator_(options_.seed, options_.data_end_ms, people_),
      renderer_(people_, store_, options_.seed),
      search_(store_, people_, renderer_, clock),
      tokens_(run_secret()),
      limiter_(clock),
      faults_(options_.seed),
      webhooks_(counters_),
      events_(renderer_, settings_, webhooks_, clock) {
  api_ =
      std::make_unique<JiraApi>(store_, people_, renderer_, search_, tokens_, settings_, faults_);
  control_ = std::make_unique<ControlApi>(*this);
  settings_.set_base_url(options_.base_url.empty()
                             ? "http://" + options_.host + ":" + std::to_string(options_.port)
                             : options_.base_url);
  reset();
}

Simulator::~Simulator() = default;

void Simulator::apply_start_settings() {
  settings_.set_default_zone(options_.time_zone);
  settings_.clear_user_zones();
  settings_.set_legacy_search(options_.legacy_search);
  settings_.set_page_token_mode(options_.page_token_mode);
  settings_.set_page_mutations({});
  limiter_.configure(options_.rate_limit_per_s, options_.rate_burst);
  faults_.configure(options_.faults);
  store_.set_search_lag_ms(options_.search_lag_ms);
  webhooks_.configure(options_.webhook_url, options_.webhook_secret);
}

void Simulator::reset() {
  store_.replace_all(generator_.projects(options_.projects),
                     [this](const std::function<void(SimIssue &&)>& sink) {
                       generator_.generate(options_.projects, sink);
                     });
  apply_start_settings();
  search_.clear();
  counters_.reset();
}

void Simulator::set_base_url(const std::string& url) {
  if (options_.base_url.empty()) settings_.set_base_url(url);
}

HttpReply Simulator::handle(const HttpRequest& req, bool from_loopback) {
  RequestTarget target =
      RequestTarget::parse(std::string_view(req.target().data(), req.target().size()));
  if (starts_with(target.path, "/__sim/")) {
    if (!from_loopback) {
      return HttpReply{
          make_response(req, 403, error_body("The control API answers loopback clients only."))};
    }
    return HttpReply{control_->handle(req, target)};
  }
  HttpReply reply = serve_rest(req, target);
  const std::string endpoint = JiraApi::endpoint_of(req.method(), target.path);
  counters_.count(endpoint, reply.response.result_int());
  // Before the client can ask for the next page: the change lands between pages.
  if (reply.response.result_int() == 200 && endpoint.ends_with(" /rest/api/3/search/jql")) {
    if (PageMutations m = settings_.page_mutations(); m.enabled()) {
      mutate_project(*this, m, mutation_rounds_.fetch_add(1) + 1);
    }
  }
  return reply;
}

HttpReply Simulator::serve_rest(const HttpRequest& req, const RequestTarget& target) {
  HttpReply reply;
  RateLimitDecision rate = limiter_.admit();
  if (!rate.allowed) {
    reply.response = make_response(req, 429, error_body("Rate limit exceeded."));
    reply.response.set(http::field::retry_after, std::to_string(rate.retry_after_s));
    set_rate_headers(reply.response, rate);
    reply.response.set("X-RateLimit-Reset", iso_minute(rate.reset_ms));
    reply.response.set("RateLimit-Reason", "jira-burst-based");
    return reply;
  }
  FaultPlan plan = faults_.plan();
  reply.delay_ms = plan.latency_ms;
  if (plan.error_status == 502) {
    reply.response = make_response(req, 502,
                                   "<html><head><title>502 Bad Gateway</title></head><body><h1>502 "
                                   "Bad Gateway</h1></body></html>",
                                   "text/html");
  } else if (plan.error_status != 0) {
    reply.response = make_response(
        req, plan.error_status,
        error_body(plan.error_status == 503 ? "Service temporarily unavailable. Try again later."
                                            : "Internal server error"));
    if (plan.error_status == 503) reply.response.set(http::field::retry_after, "1");
  } else if (const SimUser* user = people_.authenticate(std::string_view(
                 req[http::field::authorization].data(), req[http::field::authorization].size()));
             !user) {
    reply.response =
        make_response(req, 401, "Client must be authenticated to access this resource.",
                      "text/html;charset=UTF-8");
    reply.response.set(http::field::www_authenticate,
                       "OAuth realm=\"" + settings_.base_url() + "\"");
  } else {
    reply.response = api_->handle(req, target, *user);
    if (plan.disconnect) {
      reply.cut_mid_body = true;
    } else if (plan.malformed) {
      std::string body = reply.response.body();
      reply.response.body() = body.substr(0, body.size() / 2);
      reply.response.prepare_payload();
    } else if (plan.wrong_content_type) {
      reply.response = make_response(
          req, 200,
          "<!DOCTYPE html><html><head><title>Atlassian</title></head><body>"
          "<p>We're performing scheduled maintenance. Please check back soon.</p></body></html>",
          "text/html;charset=UTF-8");
    }
  }
  if (limiter_.enabled()) set_rate_headers(reply.response, rate);
  return reply;
}

}  // namespace jirasim
