#include "services/api/pipeline_routes.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "common/bus/bus.hpp"
#include "common/bus/group_lag.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"
#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/run_store.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_error.hpp"
#include "services/api/json/project_json.hpp"
#include "services/api/json/run_json.hpp"
#include "services/scheduler/cron_schedule.hpp"
#include "services/scheduler/issue_key.hpp"

namespace jirasync {
namespace {

constexpr int kDefaultRuns = 20;
constexpr int kMaxRuns = 1000;
constexpr int kMaxRefreshKeys = 1000;
// How often a run's event stream looks at the run, and how often an idle
// stream sends a comment so proxies keep it open.
constexpr int64_t kEventPollMs = 500;
constexpr int64_t kKeepAliveMs = 15000;

// Thrown by the helpers below; the route turns it into its error response.
struct Refusal {
  RouteResponse response;
};

[[noreturn]] void refuse(int status, const std::string& code, const std::string& message,
                         const std::string& parameter = "") {
  throw Refusal{api_error(status, code, message, parameter)};
}

// Wraps a handler so a Refusal becomes its response.
ApiHandler refusing(ApiHandler handler) {
  return [handler = std::move(handler)](const ApiRequest& request) {
    try {
      return handler(request);
    } catch (Refusal& refusal) {
      return std::move(refusal.response);
    }
  };
}

std::string finish(rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

int limit_param(const ApiRequest& request, int fallback, int max) {
  const auto text = request.param("limit");
  if (!text) return fallback;
  int value = 0;
  std::size_t used = 0;
  try {
    value = std::stoi(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size() || value < 1 || value > max) {
    refuse(400, "bad_parameter",
           "limit must be a whole number from 1 to " + std::to_string(max) + ", got '" +
               text->substr(0, 40) + "'",
           "limit");
  }
  return value;
}

std::set<std::string> configured_projects(const Config& config) {
  std::set<std::string> projects;
  for (const auto& project : config.projects) projects.insert(project.key);
  return projects;
}

const ProjectSettings* find_project(const Config& config, const std::string& key) {
  for (const auto& project : config.projects) {
    if (project.key == key) return &project;
  }
  return nullptr;
}

void require_project(const Config& config, const std::string& project,
                     const std::string& parameter) {
  if (!find_project(config, project)) {
    refuse(parameter == "key" ? 404 : 400, parameter == "key" ? "not_found" : "bad_parameter",
           "project '" + project.substr(0, 40) + "' is not configured in this jirasync", parameter);
  }
}

// The request body as a JSON object; 400 bad_body otherwise.
rapidjson::Document body_object(const ApiRequest& request) {
  rapidjson::Document doc;
  const std::string& body = request.http.body;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    doc.SetObject();
    return doc;
  }
  try {
    parse_json_text(body, doc, "body", 32);
  } catch (const std::exception& e) {
    refuse(400, "bad_body", std::string("the body is not valid JSON: ") + e.what());
  }
  if (!doc.IsObject()) refuse(400, "bad_body", "the body must be a JSON object");
  return doc;
}

std::optional<std::string> string_member(const rapidjson::Value& object, const char* name) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) refuse(400, "bad_body", std::string(name) + " must be a string", name);
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

RouteResponse runs_started(const std::vector<SyncRequests::Started>& started) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  write_started_runs(w, started);
  w.EndObject();
  return RouteResponse::json(202, finish(buffer));
}

// Refreshes of `keys`, one run per project (keys already checked).
RouteResponse refresh_keys(ApiContext& ctx, const std::vector<std::string>& keys,
                           const std::string& why) {
  std::map<std::string, std::vector<std::string>> by_project;
  for (const auto& key : keys) by_project[std::string(project_of_key(key))].push_back(key);
  std::vector<SyncRequests::Started> started;
  for (auto& [project, project_keys] : by_project) {
    std::sort(project_keys.begin(), project_keys.end());
    project_keys.erase(std::unique(project_keys.begin(), project_keys.end()), project_keys.end());
    started.push_back(ctx.sync.request(project, JobKind::kRefresh, project_keys, why));
  }
  return runs_started(started);
}

RouteResponse projects(ApiContext& ctx) {
  const int64_t now_ms = ctx.clock.now_ms();
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("projects");
  w.StartArray();
  for (const auto& project : ctx.config.projects) {
    const auto recent = ctx.runs.list_runs(project.key, 50);
    std::optional<int64_t> next_run;
    try {
      next_run = CronSchedule::parse(project.incremental_cron, ctx.config.schedule_time_zone)
                     .next_after(now_ms);
    } catch (const std::exception&) {
      next_run.reset();  // `jirasync check` reports a bad schedule; the list still answers
    }
    w.StartObject();
    write_project_status_members(w, project, ctx.tickets.count(project.key), recent,
                                 ctx.runs.cursor_ms(project.key), now_ms);
    write_optional_int64(w, "next_run_ms", next_run);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, finish(buffer));
}

RouteResponse runs(ApiContext& ctx, const ApiRequest& request) {
  const int limit = limit_param(request, kDefaultRuns, kMaxRuns);
  const std::string project = request.param("project").value_or("");
  if (!project.empty()) require_project(ctx.config, project, "project");
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("runs");
  w.StartArray();
  for (const auto& run : ctx.runs.list_runs(project, limit)) write_api_run(w, run);
  w.EndArray();
  w.EndObject();
  return RouteResponse::json(200, finish(buffer));
}

SyncRun existing_run(ApiContext& ctx, const std::string& id) {
  auto run = ctx.runs.get_run(id);
  if (!run) refuse(404, "not_found", "no run with id '" + id.substr(0, 64) + "'", "id");
  return *run;
}

RouteResponse run(ApiContext& ctx, const ApiRequest& request) {
  const SyncRun found = existing_run(ctx, request.path.at("id"));
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("run");
  write_api_run(w, found);
  w.EndObject();
  return RouteResponse::json(200, finish(buffer));
}

// Server-Sent Events: `progress` with the run whenever it changed (the first
// at once), `end` once it is finished. The stream polls the run store.
RouteResponse run_events(ApiContext& ctx, const ApiRequest& request) {
  const SyncRun first = existing_run(ctx, request.path.at("id"));
  RouteResponse response;
  response.status = 200;
  response.content_type = "text/event-stream";
  response.headers["Cache-Control"] = "no-cache";
  response.headers["X-Accel-Buffering"] = "no";  // nginx: pass events on at once
  struct State {
    std::string id;
    std::string last;
    bool ended = false;
    int64_t quiet_ms = 0;
  };
  auto state = std::make_shared<State>();
  state->id = first.id;
  state->last = api_run_json(first);
  response.body = "event: progress\ndata: " + state->last + "\n\n";
  if (run_is_finished(first)) {
    response.body += "event: end\ndata: " + state->last + "\n\n";
    return response;  // nothing more to stream
  }
  response.stream = [&ctx, state](std::string& out) {
    if (state->ended) return false;
    for (;;) {
      ctx.clock.sleep_ms(kEventPollMs);
      const auto now = ctx.runs.get_run(state->id);
      if (!now) {  // removed meanwhile (a database reset): nothing more will come
        out += "event: end\ndata: {}\n\n";
        state->ended = true;
        return true;
      }
      const std::string json = api_run_json(*now);
      if (json != state->last || run_is_finished(*now)) {
        state->last = json;
        state->quiet_ms = 0;
        out += "event: progress\ndata: " + json + "\n\n";
        if (run_is_finished(*now)) {
          out += "event: end\ndata: " + json + "\n\n";
          state->ended = true;
        }
        return true;
      }
      state->quiet_ms += kEventPollMs;
      if (state->quiet_ms >= kKeepAliveMs) {
        state->quiet_ms = 0;
        out += ": still running\n\n";
        return true;
      }
    }
  };
  return response;
}

RouteResponse sync(ApiContext& ctx, const ApiRequest& request) {
  const auto body = body_object(request);
  const std::string kind_text = string_member(body, "kind").value_or("incremental");
  if (kind_text != "full" && kind_text != "incremental") {
    refuse(400, "bad_body",
           "kind must be full or incremental, got '" + kind_text.substr(0, 40) + "'", "kind");
  }
  const JobKind kind = kind_text == "full" ? JobKind::kFull : JobKind::kIncremental;
  std::vector<std::string> projects;
  if (const auto project = string_member(body, "project")) {
    require_project(ctx.config, *project, "project");
    projects.push_back(*project);
  } else {
    for (const auto& key : configured_projects(ctx.config)) projects.push_back(key);
  }
  std::vector<SyncRequests::Started> started;
  const std::string why = "api:" + request.caller.key_name;
  for (const auto& project : projects) started.push_back(ctx.sync.request(project, kind, {}, why));
  return runs_started(started);
}

void check_key(const Config& config, const std::string& key, const std::string& parameter) {
  if (!is_issue_key(key)) {
    refuse(400, "bad_parameter", "'" + key.substr(0, 40) + "' is not an issue key like ABC-123",
           parameter);
  }
  require_project(config, std::string(project_of_key(key)), parameter);
}

std::vector<std::string> keys_of_jql(ApiContext& ctx, const std::string& jql) {
  JqlContext context;
  context.account_id = ctx.config.jira.account_id;
  context.time_zone = ctx.config.jira.account_time_zone;
  context.now_ms = ctx.clock.now_ms();
  JqlQuery query;
  try {
    query = parse_jql(jql);
  } catch (const JqlError& e) {
    refuse(400, "bad_parameter", std::string("jql: ") + e.what(), "jql");
  }
  std::vector<std::string> keys;
  std::string cursor;
  try {
    do {
      auto page = ctx.search.search(query, context, kMaxRefreshKeys + 1, cursor);
      for (const auto& row : page.rows) keys.push_back(row.key);
      cursor = page.next_cursor;
    } while (!cursor.empty() && static_cast<int>(keys.size()) <= kMaxRefreshKeys);
  } catch (const JqlError& e) {
    refuse(400, "bad_parameter", std::string("jql: ") + e.what(), "jql");
  }
  if (static_cast<int>(keys.size()) > kMaxRefreshKeys) {
    refuse(400, "bad_parameter",
           "jql matches more than " + std::to_string(kMaxRefreshKeys) +
               " cached issues; narrow it or POST /api/v1/sync for whole projects",
           "jql");
  }
  return keys;
}

RouteResponse refresh(ApiContext& ctx, const ApiRequest& request) {
  const auto body = body_object(request);
  const auto keys_member = body.FindMember("keys");
  const auto jql = string_member(body, "jql");
  const bool has_keys = keys_member != body.MemberEnd();
  if (has_keys == jql.has_value()) {
    refuse(400, "bad_body", "give either keys (a list of issue keys) or jql, not both or neither");
  }
  std::vector<std::string> keys;
  if (has_keys) {
    if (!keys_member->value.IsArray() || keys_member->value.Empty()) {
      refuse(400, "bad_body", "keys must be a non-empty list of issue keys", "keys");
    }
    if (keys_member->value.Size() > static_cast<unsigned>(kMaxRefreshKeys)) {
      refuse(400, "bad_body", "keys holds more than " + std::to_string(kMaxRefreshKeys) + " keys",
             "keys");
    }
    for (const auto& value : keys_member->value.GetArray()) {
      if (!value.IsString()) refuse(400, "bad_body", "keys must hold strings", "keys");
      keys.emplace_back(value.GetString(), value.GetStringLength());
      check_key(ctx.config, keys.back(), "keys");
    }
  } else {
    keys = keys_of_jql(ctx, *jql);
    // Keys of projects no longer configured cannot be fetched: left out.
    std::erase_if(keys, [&](const std::string& key) {
      return !is_issue_key(key) || !find_project(ctx.config, std::string(project_of_key(key)));
    });
  }
  return refresh_keys(ctx, keys, "api:" + request.caller.key_name);
}

RouteResponse refresh_issue(ApiContext& ctx, const ApiRequest& request) {
  const std::string key = request.path.at("key");
  check_key(ctx.config, key, "key");
  return refresh_keys(ctx, {key}, "api:" + request.caller.key_name);
}

// Consumer lag of the pipeline's groups, read from the brokers (no group is
// joined). Embedded mode has no brokers: an empty list and a note.
class LagSource {
 public:
  explicit LagSource(const Config& config) : config_(config) {}

  RouteResponse read() {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("groups");
    w.StartArray();
    std::string note;
    if (config_.bus != BusKind::kKafka) {
      note = "this process runs the pipeline in memory (bus: inprocess); there is no consumer lag";
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& role : consumer_roles(config_.kafka.topic_prefix)) {
        try {
          auto& reader = readers_[role.group];
          if (!reader) reader = std::make_unique<GroupLagReader>(config_.kafka, role.group);
          const GroupLag lag = reader->read({role.topic}, std::chrono::milliseconds(3000));
          for (const auto& partition : lag.partitions) {
            w.StartObject();
            write_string(w, "group", role.group);
            write_string(w, "topic", partition.topic);
            write_int64(w, "partition", partition.partition);
            write_int64(w, "committed", partition.committed);
            write_int64(w, "high_watermark", partition.high_watermark);
            write_int64(w, "lag", partition.lag);
            w.EndObject();
          }
          for (const auto& topic : lag.missing_topics) {
            note += (note.empty() ? "" : "; ") + std::string("topic ") + topic +
                    " is not on the brokers yet";
          }
        } catch (const std::exception& e) {
          readers_.erase(role.group);
          note += (note.empty() ? "" : "; ") + std::string("group ") + role.group + ": " + e.what();
        }
      }
    }
    w.EndArray();
    write_string(w, "note", note);
    w.EndObject();
    return RouteResponse::json(200, finish(buffer));
  }

 private:
  const Config& config_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<GroupLagReader>> readers_;
};

}  // namespace

std::vector<ApiRoute> pipeline_routes(ApiContext& ctx) {
  auto lag = std::make_shared<LagSource>(ctx.config);
  auto route = [](std::string method, std::string pattern, ApiScope scope, std::string summary,
                  ApiHandler handler) {
    return ApiRoute{std::move(method), std::move(pattern), scope, std::move(summary),
                    refusing(std::move(handler))};
  };
  return {
      route("GET", "/api/v1/projects", ApiScope::kRead,
            "Configured projects: tickets, freshness, cursor, last and next run",
            [&ctx](const ApiRequest&) { return projects(ctx); }),
      route("GET", "/api/v1/runs", ApiScope::kRead, "Recent sync runs, newest first",
            [&ctx](const ApiRequest& r) { return runs(ctx, r); }),
      route("GET", "/api/v1/runs/{id}", ApiScope::kRead, "One sync run",
            [&ctx](const ApiRequest& r) { return run(ctx, r); }),
      route("GET", "/api/v1/runs/{id}/events", ApiScope::kRead,
            "Live progress of a run as Server-Sent Events",
            [&ctx](const ApiRequest& r) { return run_events(ctx, r); }),
      route("POST", "/api/v1/sync", ApiScope::kAdmin, "Start a sync of one project or all",
            [&ctx](const ApiRequest& r) { return sync(ctx, r); }),
      route("POST", "/api/v1/refresh", ApiScope::kAdmin,
            "Refresh issues by key or by JQL over the cache",
            [&ctx](const ApiRequest& r) { return refresh(ctx, r); }),
      route("POST", "/api/v1/issues/{key}/refresh", ApiScope::kAdmin, "Refresh one issue",
            [&ctx](const ApiRequest& r) { return refresh_issue(ctx, r); }),
      route("GET", "/api/v1/lag", ApiScope::kRead, "Consumer lag of the pipeline's groups",
            [lag](const ApiRequest&) { return lag->read(); }),
  };
}

}  // namespace jirasync
