#include "tests/jirasim/control_api.hpp"

#include <rapidjson/document.h>

#include <optional>

#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"
#include "tests/jirasim/issue_edit.hpp"
#include "tests/jirasim/json_writer.hpp"
#include "tests/jirasim/simulator.hpp"

namespace jirasim {

namespace {

// Deeper than Jirasync's own limit on purpose: Jira accepts descriptions
// that deep (140 nested lists), so tests must be able to create them. Still
// bounded and iterative: a hostile body cannot crash the simulator.
constexpr size_t kMaxControlBodyDepth = 4096;

rapidjson::Document json_body(const HttpRequest& req) {
  rapidjson::Document doc;
  const std::string& body = req.body();
  try {
    jirasync::parse_json_text(body.empty() ? std::string("{}") : body, doc, "body",
                              kMaxControlBodyDepth);
  } catch (const jirasync::PayloadError& e) {
    throw ApiError{400, std::string("the request body must be a JSON object: ") + e.what()};
  }
  if (!doc.IsObject()) throw ApiError{400, "the request body must be a JSON object"};
  return doc;
}

void write_issue_summary(JsonWriter& w, const SimIssue& i) {
  w.StartObject();
  w.Key("id");
  write_string(w, std::to_string(i.id));
  w.Key("key");
  write_string(w, i.key);
  w.Key("oldKeys");
  w.StartArray();
  for (const auto& k : i.old_keys) write_string(w, k);
  w.EndArray();
  w.Key("project");
  write_string(w, i.project_key);
  w.Key("version");
  w.Int(i.version);
  w.Key("createdMs");
  w.Int64(i.created_ms);
  w.Key("updatedMs");
  w.Int64(i.updated_ms);
  w.Key("summary");
  write_string(w, i.summary);
  w.Key("status");
  write_string(w, i.status);
  w.EndObject();
}

std::string summary_json(const SimIssue& i) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  write_issue_summary(w, i);
  return buf.GetString();
}

double rate(const rapidjson::Value& obj, const char* name) {
  if (!obj.HasMember(name)) return 0;
  const auto& v = obj[name];
  if (!v.IsNumber() || v.GetDouble() < 0 || v.GetDouble() > 1) {
    throw ApiError{400, std::string("faults.") + name + " must be a number from 0 to 1"};
  }
  return v.GetDouble();
}

// null = off, else {"project": KEY, "edits": N, "creates": N, "deletes": N} (each 0-1000).
PageMutations page_mutations_from(const rapidjson::Value& v) {
  PageMutations m;
  if (v.IsNull()) return m;
  if (!v.IsObject() || !v.HasMember("project") || !v["project"].IsString()) {
    throw ApiError{400,
                   "pageMutations must be null or {\"project\": KEY, \"edits\": N, "
                   "\"creates\": N, \"deletes\": N}"};
  }
  m.project = v["project"].GetString();
  for (auto [name, field] : {std::pair<const char*, int*>{"edits", &m.edits},
                             {"creates", &m.creates},
                             {"deletes", &m.deletes}}) {
    if (!v.HasMember(name)) continue;
    if (!v[name].IsInt() || v[name].GetInt() < 0 || v[name].GetInt() > 1000) {
      throw ApiError{400,
                     std::string("pageMutations.") + name + " must be an integer from 0 to 1000"};
    }
    *field = v[name].GetInt();
  }
  return m;
}

}  // namespace

std::string ControlApi::actor(const HttpRequest& req) const {
  auto header = req["X-Jirasim-Actor"];
  if (!header.empty()) {
    std::string id = sim_.people().resolve(std::string(header));
    if (id.empty()) throw ApiError{400, "X-Jirasim-Actor names no known user"};
    return id;
  }
  return demo_user().account_id;
}

HttpResponse ControlApi::handle(const HttpRequest& req, const RequestTarget& target) {
  const std::string& path = target.path;
  const http::verb m = req.method();
  const std::string issues_prefix = "/__sim/issues/";
  try {
    std::string body = "{}";
    int status = 200;
    if (path == "/__sim/health" && m == http::verb::get) {
      body = "{\"status\":\"ok\",\"issues\":" + std::to_string(sim_.store().size()) + "}";
    } else if (path == "/__sim/config" && m == http::verb::get) {
      body = config_json();
    } else if (path == "/__sim/config" && (m == http::verb::post || m == http::verb::put)) {
      apply_config(req);
      body = config_json();
    } else if (path == "/__sim/counters" && m == http::verb::get) {
      body = sim_.counters().to_json();
    } else if (path == "/__sim/counters/reset" && m == http::verb::post) {
      sim_.counters().reset();
    } else if (path == "/__sim/reset" && m == http::verb::post) {
      sim_.reset();
    } else if (path == "/__sim/webhooks/replay" && m == http::verb::post) {
      // ?count=N: the last N deliveries again (default all that are kept).
      size_t count = static_cast<size_t>(-1);
      if (auto n = target.first("count")) {
        if (n->empty() || n->size() > 9 || n->find_first_not_of("0123456789") != std::string::npos)
          throw ApiError{400, "count must be a whole number"};
        count = static_cast<size_t>(std::stoull(*n));
      }
      body = "{\"replayed\":" + std::to_string(sim_.webhooks().replay(count)) + "}";
    } else if (path == "/__sim/bulk-mutate" && m == http::verb::post) {
      body = bulk_mutate(req);
    } else if (path == "/__sim/issues" && m == http::verb::post) {
      body = create_issue(req);
      status = 201;
    } else if (path.rfind(issues_prefix, 0) == 0) {
      std::string rest = path.substr(issues_prefix.size());
      size_t slash = rest.find('/');
      std::string ref = rest.substr(0, slash);
      std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
      if (action.empty() && m == http::verb::get) {
        body = describe_issue(ref);
      } else if (action.empty() && (m == http::verb::put || m == http::verb::post)) {
        body = update_issue(req, ref);
      } else if (action.empty() && m == http::verb::delete_) {
        delete_issue(req, ref);
        return make_response(req, 204, "");
      } else if (action == "move" && m == http::verb::post) {
        body = move_issue(req, ref);
      } else {
        throw ApiError{404, "no control endpoint " + std::string(req.method_string()) + " " + path};
      }
    } else {
      throw ApiError{404, "no control endpoint " + std::string(req.method_string()) + " " + path};
    }
    return make_response(req, status, std::move(body));
  } catch (const ApiError& e) {
    return make_response(req, e.status, error_body(e.message));
  }
}

std::string ControlApi::create_issue(const HttpRequest& req) {
  rapidjson::Document doc = json_body(req);
  if (!doc.HasMember("project") || !doc["project"].IsString()) {
    throw ApiError{400, "field 'project': a project key is required"};
  }
  SimIssue draft;
  draft.project_key = doc["project"].GetString();
  if (!sim_.store().project(draft.project_key)) {
    throw ApiError{400, "field 'project': no project '" + draft.project_key + "'"};
  }
  draft.issue_type = "Task";
  draft.status = "To Do";
  draft.status_category = "new";
  draft.priority = "Medium";
  draft.summary = "New issue";
  draft.description_adf = "null";
  apply_issue_fields(draft, doc, sim_.store(), sim_.people());
  std::string who = actor(req);
  IssueChange change = sim_.store().create(std::move(draft), who);
  sim_.events().issue_changed(change, who);
  return summary_json(*change.after);
}

std::string ControlApi::update_issue(const HttpRequest& req, const std::string& ref) {
  rapidjson::Document doc = json_body(req);
  IssuePtr issue = sim_.store().find(ref);
  if (!issue) throw ApiError{404, "no issue '" + ref + "'"};
  if (doc.HasMember("project")) {
    throw ApiError{400,
                   "field 'project': use POST /__sim/issues/{idOrKey}/move to change the project"};
  }
  // Validate against a scratch copy first so a bad field changes nothing.
  SimIssue scratch = *issue;
  apply_issue_fields(scratch, doc, sim_.store(), sim_.people());
  std::string who = actor(req);
  auto change = sim_.store().update(
      issue->id, [&](SimIssue& i) { apply_issue_fields(i, doc, sim_.store(), sim_.people()); },
      who);
  if (!change) throw ApiError{404, "no issue '" + ref + "'"};
  sim_.events().issue_changed(*change, who);
  return summary_json(*change->after);
}

void ControlApi::delete_issue(const HttpRequest& req, const std::string& ref) {
  IssuePtr issue = sim_.store().find(ref);
  if (!issue) throw ApiError{404, "no issue '" + ref + "'"};
  auto change = sim_.store().remove(issue->id);
  if (change) sim_.events().issue_changed(*change, actor(req));
}

std::string ControlApi::move_issue(const HttpRequest& req, const std::string& ref) {
  rapidjson::Document doc = json_body(req);
  if (!doc.HasMember("project") || !doc["project"].IsString()) {
    throw ApiError{400, "field 'project': the target project key is required"};
  }
  IssuePtr issue = sim_.store().find(ref);
  if (!issue) throw ApiError{404, "no issue '" + ref + "'"};
  std::string who = actor(req);
  std::optional<IssueChange> change;
  try {
    change = sim_.store().move(issue->id, doc["project"].GetString(), who);
  } catch (const std::invalid_argument& e) {
    throw ApiError{400, std::string("field 'project': ") + e.what()};
  }
  if (!change) throw ApiError{404, "no issue '" + ref + "'"};
  sim_.events().issue_changed(*change, who);
  return summary_json(*change->after);
}

std::string ControlApi::bulk_mutate(const HttpRequest& req) {
  rapidjson::Document doc = json_body(req);
  if (!doc.HasMember("count") || !doc["count"].IsInt() || doc["count"].GetInt() < 1 ||
      doc["count"].GetInt() > 100000) {
    throw ApiError{400, "field 'count': an integer from 1 to 100000 is required"};
  }
  uint64_t seed = doc.HasMember("seed") && doc["seed"].IsUint64()
                      ? doc["seed"].GetUint64()
                      : static_cast<uint64_t>(sim_.clock().now_ms());
  SimRandom r(mix(sim_.options().seed, seed));
  std::string who = actor(req);
  std::vector<int64_t> ids = sim_.store().sample_ids(static_cast<size_t>(doc["count"].GetInt()), r);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("mutated");
  w.StartArray();
  for (int64_t id : ids) {
    auto change = sim_.store().update(
        id,
        [&](SimIssue& i) {
          SimRandom edit(r.next());
          sim_.generator().mutate(i, edit);
        },
        who);
    if (!change || !change->after) continue;
    sim_.events().issue_changed(*change, who);
    write_issue_summary(w, *change->after);
  }
  w.EndArray();
  w.EndObject();
  return buf.GetString();
}

std::string ControlApi::describe_issue(const std::string& ref) {
  IssuePtr issue = sim_.store().find(ref);
  if (!issue) throw ApiError{404, "no issue '" + ref + "'"};
  return summary_json(*issue);
}

std::string ControlApi::config_json() {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  FaultSettings f = sim_.faults().settings();
  w.StartObject();
  w.Key("timeZone");
  write_string(w, sim_.settings().default_zone());
  w.Key("rateLimit");
  w.StartObject();
  w.Key("perSecond");
  w.Double(sim_.limiter().per_second());
  w.Key("burst");
  w.Int(sim_.limiter().burst());
  w.EndObject();
  w.Key("searchLagMs");
  w.Int64(sim_.store().search_lag_ms());
  w.Key("legacySearch");
  w.Bool(sim_.settings().legacy_search());
  w.Key("pageTokenMode");
  w.String(to_string(sim_.settings().page_token_mode()));
  w.Key("pageMutations");
  if (PageMutations m = sim_.settings().page_mutations(); m.enabled()) {
    w.StartObject();
    w.Key("project");
    write_string(w, m.project);
    w.Key("edits");
    w.Int(m.edits);
    w.Key("creates");
    w.Int(m.creates);
    w.Key("deletes");
    w.Int(m.deletes);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("faults");
  w.StartObject();
  w.Key("errorRate");
  w.Double(f.error_rate);
  w.Key("errorStatuses");
  w.StartArray();
  for (int s : f.error_statuses) w.Int(s);
  w.EndArray();
  w.Key("latencyMs");
  w.Int64(f.latency_ms);
  w.Key("disconnectRate");
  w.Double(f.disconnect_rate);
  w.Key("malformedRate");
  w.Double(f.malformed_rate);
  w.Key("wrongContentTypeRate");
  w.Double(f.wrong_content_type_rate);
  w.Key("issueErrorRate");
  w.Double(f.issue_error_rate);
  w.EndObject();
  w.Key("webhook");
  w.StartObject();
  w.Key("url");
  write_string(w, sim_.webhooks().url());
  w.Key("secretSet");  // never the secret itself
  w.Bool(sim_.webhooks().has_secret());
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

void ControlApi::apply_config(const HttpRequest& req) {
  rapidjson::Document doc = json_body(req);
  static const char* kKnown[] = {"timeZone",     "userTimeZones", "rateLimit",
                                 "searchLagMs",  "faults",        "webhook",
                                 "legacySearch", "pageTokenMode", "pageMutations"};
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string_view name = it->name.GetString();
    if (std::none_of(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return name == k; })) {
      throw ApiError{400, "unknown setting '" + std::string(name) + "'"};
    }
  }
  // Read and check everything first: a bad value changes nothing.
  std::optional<std::string> zone;
  std::vector<std::pair<std::string, std::string>> user_zones;
  std::optional<std::pair<double, int>> rate_limit;
  std::optional<int64_t> lag;
  std::optional<FaultSettings> faults;
  std::optional<std::pair<std::string, std::string>> webhook;
  std::optional<bool> legacy;
  std::optional<PageTokenMode> token_mode;
  std::optional<PageMutations> mutations;
  auto check_zone = [](const std::string& field, const std::string& z) {
    try {
      require_time_zone(z);
    } catch (const std::invalid_argument& e) {
      throw ApiError{400, field + ": " + e.what()};
    }
  };
  if (doc.HasMember("timeZone")) {
    if (!doc["timeZone"].IsString()) throw ApiError{400, "timeZone must be a string"};
    zone = doc["timeZone"].GetString();
    check_zone("timeZone", *zone);
  }
  if (doc.HasMember("userTimeZones")) {
    if (!doc["userTimeZones"].IsObject()) throw ApiError{400, "userTimeZones must be an object"};
    for (auto it = doc["userTimeZones"].MemberBegin(); it != doc["userTimeZones"].MemberEnd();
         ++it) {
      std::string who = it->name.GetString();
      std::string id = sim_.people().resolve(who);
      if (id.empty()) throw ApiError{400, "userTimeZones: no user '" + who + "'"};
      if (!it->value.IsString()) throw ApiError{400, "userTimeZones." + who + " must be a string"};
      check_zone("userTimeZones." + who, it->value.GetString());
      user_zones.emplace_back(id, it->value.GetString());
    }
  }
  if (doc.HasMember("rateLimit")) {
    const auto& v = doc["rateLimit"];
    if (v.IsNull()) {
      rate_limit = std::make_pair(0.0, 0);
    } else if (!v.IsObject() || !v.HasMember("perSecond") || !v["perSecond"].IsNumber() ||
               v["perSecond"].GetDouble() < 0) {
      throw ApiError{400, "rateLimit must be null or {\"perSecond\": N >= 0, \"burst\": M}"};
    } else {
      int burst = 0;
      if (v.HasMember("burst")) {
        if (!v["burst"].IsInt() || v["burst"].GetInt() < 0) {
          throw ApiError{400, "rateLimit.burst must be a non-negative integer"};
        }
        burst = v["burst"].GetInt();
      }
      rate_limit = std::make_pair(v["perSecond"].GetDouble(), burst);
    }
  }
  if (doc.HasMember("searchLagMs")) {
    if (!doc["searchLagMs"].IsInt64() || doc["searchLagMs"].GetInt64() < 0) {
      throw ApiError{400, "searchLagMs must be a non-negative integer"};
    }
    lag = doc["searchLagMs"].GetInt64();
  }
  if (doc.HasMember("faults")) {
    const auto& v = doc["faults"];
    if (!v.IsObject()) throw ApiError{400, "faults must be an object"};
    FaultSettings f;
    f.error_rate = rate(v, "errorRate");
    f.disconnect_rate = rate(v, "disconnectRate");
    f.malformed_rate = rate(v, "malformedRate");
    f.wrong_content_type_rate = rate(v, "wrongContentTypeRate");
    f.issue_error_rate = rate(v, "issueErrorRate");
    if (v.HasMember("latencyMs")) {
      if (!v["latencyMs"].IsInt64() || v["latencyMs"].GetInt64() < 0 ||
          v["latencyMs"].GetInt64() > 600000) {
        throw ApiError{400, "faults.latencyMs must be an integer from 0 to 600000"};
      }
      f.latency_ms = v["latencyMs"].GetInt64();
    }
    if (v.HasMember("errorStatuses")) {
      if (!v["errorStatuses"].IsArray() || v["errorStatuses"].Empty()) {
        throw ApiError{400, "faults.errorStatuses must be a non-empty list of 5xx codes"};
      }
      f.error_statuses.clear();
      for (const auto& s : v["errorStatuses"].GetArray()) {
        if (!s.IsInt() || s.GetInt() < 500 || s.GetInt() > 599) {
          throw ApiError{400, "faults.errorStatuses must be a non-empty list of 5xx codes"};
        }
        f.error_statuses.push_back(s.GetInt());
      }
    }
    faults = f;
  }
  if (doc.HasMember("webhook")) {
    const auto& v = doc["webhook"];
    if (!v.IsObject() || (v.HasMember("url") && !v["url"].IsString()) ||
        (v.HasMember("secret") && !v["secret"].IsString())) {
      throw ApiError{400, "webhook must be {\"url\": \"http://...\", \"secret\": \"...\"}"};
    }
    webhook = std::make_pair(v.HasMember("url") ? v["url"].GetString() : "",
                             v.HasMember("secret") ? v["secret"].GetString() : "");
  }
  if (doc.HasMember("legacySearch")) {
    if (!doc["legacySearch"].IsBool()) throw ApiError{400, "legacySearch must be true or false"};
    legacy = doc["legacySearch"].GetBool();
  }
  if (doc.HasMember("pageTokenMode")) {
    const auto& v = doc["pageTokenMode"];
    try {
      if (!v.IsString()) throw std::invalid_argument("it must be a string");
      token_mode = page_token_mode_from(v.GetString());
    } catch (const std::invalid_argument& e) {
      throw ApiError{400, std::string("pageTokenMode: ") + e.what()};
    }
  }
  if (doc.HasMember("pageMutations")) {
    mutations = page_mutations_from(doc["pageMutations"]);
    if (mutations->enabled() && !sim_.store().project(mutations->project)) {
      throw ApiError{400, "pageMutations.project: no project '" + mutations->project + "'"};
    }
  }
  if (webhook) {
    try {
      sim_.webhooks().configure(webhook->first, webhook->second);
    } catch (const std::invalid_argument& e) {
      throw ApiError{400, e.what()};
    }
  }
  if (zone) sim_.settings().set_default_zone(*zone);
  for (const auto& [id, z] : user_zones) sim_.settings().set_user_zone(id, z);
  if (rate_limit) sim_.limiter().configure(rate_limit->first, rate_limit->second);
  if (lag) sim_.store().set_search_lag_ms(*lag);
  if (faults) sim_.faults().configure(*faults);
  if (legacy) sim_.settings().set_legacy_search(*legacy);
  if (token_mode) sim_.settings().set_page_token_mode(*token_mode);
  if (mutations) sim_.settings().set_page_mutations(*mutations);
  if (zone || !user_zones.empty()) sim_.search().clear();
}

}  // namespace jirasim
