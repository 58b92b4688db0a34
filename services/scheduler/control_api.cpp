#include "services/scheduler/control_api.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"
#include "services/scheduler/issue_key.hpp"
#include "services/scheduler/run_json.hpp"
#include "services/scheduler/webhook_signature.hpp"

namespace jirasync {
namespace {

constexpr int kMaxRunsListed = 1000;

RouteResponse error(int status, const std::string& message) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  write_string(w, "error", message);
  w.EndObject();
  return RouteResponse::json(status, std::string(buf.GetString(), buf.GetSize()));
}

// A value from the caller, quoted and cut short for an error message.
std::string shown(std::string_view value) {
  constexpr size_t kMax = 64;
  std::string out = "'";
  out.append(value.substr(0, kMax));
  out.append(value.size() > kMax ? "...'" : "'");
  return out;
}

// The body as a JSON object, or the 400 that says why it is not one. Bounded
// nesting, iterative, UTF-8 and NUL checked: the body comes from anyone.
std::optional<RouteResponse> parse_body(const std::string& body, rapidjson::Document& doc) {
  try {
    parse_json_text(body, doc, "body");
  } catch (const PayloadError& e) {
    return error(400, e.what());
  }
  if (!doc.IsObject()) return error(400, "body: expected a JSON object");
  return std::nullopt;
}

// nullopt when the query has no `name=`; "" when it has one with no value.
std::optional<std::string> query_param(const std::string& query, const std::string& name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    const size_t end = std::min(query.find('&', pos), query.size());
    const std::string part = query.substr(pos, end - pos);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return std::nullopt;
}

// The 401 for a webhook whose signature does not check out, or nullopt when
// it does. Neither the answer nor the log line carries the header's value,
// the secret or the expected signature.
std::optional<RouteResponse> refuse_unsigned(const std::string& secret, const RouteRequest& req) {
  const auto header = req.headers.find("x-hub-signature");
  std::string reason;
  if (header == req.headers.end()) {
    reason =
        "X-Hub-Signature: required; this scheduler accepts only webhooks signed with its "
        "webhook secret (sha256=<hex HMAC-SHA256 of the body>)";
  } else {
    switch (verify_webhook_signature(secret, header->second, req.body)) {
      case WebhookSignature::kValid:
        return std::nullopt;
      case WebhookSignature::kMalformed:
        reason = "X-Hub-Signature: expected sha256=<64 hex digits>";
        break;
      case WebhookSignature::kMismatch:
        reason = "X-Hub-Signature: does not match the body and the webhook secret";
        break;
    }
  }
  spdlog::warn("webhook refused: {}", reason);
  return error(401, reason);
}

}  // namespace

ControlApi::ControlApi(SyncTrigger& trigger, RunStore& runs, WebhookRefreshes& webhooks,
                       std::set<std::string> projects, std::string webhook_secret)
    : trigger_(trigger),
      runs_(runs),
      webhooks_(webhooks),
      projects_(std::move(projects)),
      webhook_secret_(std::move(webhook_secret)) {}

void ControlApi::mount(ServiceHttpServer& server, AccessCheck& access) {
  if (webhook_secret_.empty()) {
    spdlog::warn(
        "webhook signatures are not verified: JIRASYNC_WEBHOOK_SECRET is not set, so POST "
        "/api/webhook accepts any caller's webhook");
  }
  auto keyed = [&access](ApiScope scope, std::function<RouteResponse(const RouteRequest&)> route) {
    return [&access, scope, route = std::move(route)](const RouteRequest& r) {
      ApiCaller caller;
      if (auto refusal = access.admit(r, scope, caller)) return *refusal;
      return route(r);
    };
  };
  server.add_route("POST", "/api/sync",
                   keyed(ApiScope::kAdmin, [this](const RouteRequest& r) { return sync(r); }));
  server.add_route("GET", "/api/runs",
                   keyed(ApiScope::kRead, [this](const RouteRequest& r) { return runs(r); }));
  server.add_route("POST", "/api/webhook", [this](const RouteRequest& r) { return webhook(r); });
}

RouteResponse ControlApi::sync(const RouteRequest& req) {
  rapidjson::Document doc;
  if (auto refusal = parse_body(req.body, doc)) return *refusal;
  if (!doc.HasMember("project") || !doc["project"].IsString())
    return error(400, "project: required string");
  const std::string project(doc["project"].GetString(), doc["project"].GetStringLength());
  if (!projects_.count(project))
    return error(404, "project: " + shown(project) + " is not configured");
  JobKind kind = JobKind::kIncremental;
  if (doc.HasMember("kind")) {
    if (!doc["kind"].IsString()) return error(400, "kind: expected a string");
    try {
      kind = job_kind_from_string(doc["kind"].GetString());
    } catch (const PayloadError& e) {
      return error(400, e.what());
    }
  }
  std::vector<std::string> keys;
  if (doc.HasMember("keys")) {
    if (!doc["keys"].IsArray()) return error(400, "keys: expected an array of issue keys");
    for (const auto& k : doc["keys"].GetArray()) {
      const std::string field = "keys[" + std::to_string(keys.size()) + "]";
      if (!k.IsString())
        return error(400, field + ": expected an issue key like " + project + "-123");
      std::string key(k.GetString(), k.GetStringLength());
      if (!is_issue_key(key)) {
        return error(400,
                     field + ": " + shown(key) + " is not an issue key like " + project + "-123");
      }
      if (project_of_key(key) != project) {
        return error(400, field + ": " + key + " is not in project " + project);
      }
      keys.push_back(std::move(key));
    }
  }
  if (kind == JobKind::kRefresh && keys.empty())
    return error(400, "keys: a refresh needs at least one issue key");
  auto result = trigger_.trigger(project, kind, keys, "manual");
  return RouteResponse::json(result.started ? 202 : 409,
                             std::string("{\"started\":") + (result.started ? "true" : "false") +
                                 ",\"run\":" + run_to_json(result.run) + "}");
}

RouteResponse ControlApi::runs(const RouteRequest& req) {
  const std::string prefix = "/api/runs/";
  if (req.path.size() > prefix.size() && req.path.rfind(prefix, 0) == 0) {
    auto run = runs_.get_run(req.path.substr(prefix.size()));
    if (!run) return error(404, "run: no run " + req.path.substr(prefix.size()));
    return RouteResponse::json(200, run_to_json(*run));
  }
  int limit = 20;
  if (const auto l = query_param(req.query, "limit")) {
    const bool digits =
        !l->empty() && l->size() <= 5 && l->find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoi(*l) : 0;
    if (limit < 1 || limit > kMaxRunsListed) {
      return error(400, "limit: expected a whole number from 1 to " +
                            std::to_string(kMaxRunsListed) + ", got " + shown(*l));
    }
  }
  return RouteResponse::json(
      200, runs_to_json(runs_.list_runs(query_param(req.query, "project").value_or(""), limit)));
}

RouteResponse ControlApi::webhook(const RouteRequest& req) {
  // Checked before parsing: an unsigned body is not worth reading.
  if (!webhook_secret_.empty()) {
    if (auto refusal = refuse_unsigned(webhook_secret_, req)) return *refusal;
  }
  // A raw NUL is refused by the parse too: what follows it would be signed
  // but never read.
  rapidjson::Document doc;
  if (auto refusal = parse_body(req.body, doc)) return *refusal;
  const auto& issue = doc.HasMember("issue") ? doc["issue"] : doc;
  if (!issue.IsObject() || !issue.HasMember("key") || !issue["key"].IsString())
    return error(400, "issue.key: required string");
  const std::string key(issue["key"].GetString(), issue["key"].GetStringLength());
  if (!is_issue_key(key)) {
    return error(400, "issue.key: " + shown(key) + " is not an issue key like PROJ-123");
  }
  const std::string project(project_of_key(key));
  if (!projects_.count(project)) return RouteResponse::json(202, "{\"ignored\":true}");
  const std::string event = doc.HasMember("webhookEvent") && doc["webhookEvent"].IsString()
                                ? doc["webhookEvent"].GetString()
                                : "";
  // A deletion is refreshed by id: a refresh that asks Jira for an id it no
  // longer has deletes the ticket (the key may already be another issue's).
  std::string wanted = key;
  if (event == "jira:issue_deleted") {
    if (!issue.HasMember("id") || !issue["id"].IsString())
      return error(400, "issue.id: required string for jira:issue_deleted");
    wanted.assign(issue["id"].GetString(), issue["id"].GetStringLength());
    if (wanted.empty() || wanted.size() > 19 ||
        wanted.find_first_not_of("0123456789") != std::string::npos)
      return error(400, "issue.id: " + shown(wanted) + " is not an issue id");
  }
  // Jira sends the same identifier again when it retries a delivery.
  const auto id = req.headers.find("x-atlassian-webhook-identifier");
  const std::string delivery = id == req.headers.end() ? "" : id->second.substr(0, 200);
  switch (webhooks_.deliver(delivery, project, wanted)) {
    case WebhookRefreshes::Delivery::kReplay:
      return RouteResponse::json(202, "{\"replay\":true}");
    case WebhookRefreshes::Delivery::kStarted:
      return RouteResponse::json(202, "{\"queued\":true,\"started\":true}");
    case WebhookRefreshes::Delivery::kQueued:
      break;
  }
  return RouteResponse::json(202, "{\"queued\":true,\"started\":false}");
}

}  // namespace jirasync
