#include "tests/jirasim/jira_api.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <random>

#include "common/time/jira_time.hpp"
#include "tests/jirasim/comment_page.hpp"
#include "tests/jirasim/field_list.hpp"
#include "tests/jirasim/json_writer.hpp"

namespace jirasim {

const char* const kSearchRemovedMessage =
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A "
    "full migration guideline is available at https://developer.atlassian.com/changelog/"
    "#CHANGE-2046";

namespace {

constexpr const char* kBadPayload =
    "Invalid request payload. Refer to the REST API documentation and try again.";
constexpr const char* kIssueMissing =
    "Issue does not exist or you do not have permission to see it.";
constexpr const char* kBadToken = "The provided nextPageToken is invalid or has expired.";
constexpr const char* kUnbounded =
    "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.";

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::string_view(s).substr(0, prefix.size()) == prefix;
}

int parse_int_param(const std::string& name, const std::string& value) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size()) {
    throw ApiError{400, "The value '" + value + "' of parameter '" + name + "' is not an integer."};
  }
  return v;
}

rapidjson::Document parse_body(const HttpRequest& req) {
  auto ct = req[http::field::content_type];
  if (ct.find("application/json") == std::string_view::npos) {
    throw ApiError{415, "Content-Type '" + std::string(ct.empty() ? "null" : ct) +
                            "' is not supported; send application/json."};
  }
  rapidjson::Document doc;
  doc.Parse(req.body().c_str());
  if (doc.HasParseError() || !doc.IsObject()) throw ApiError{400, kBadPayload};
  return doc;
}

// Reads body members, refusing unknown names and wrong types as Jira does.
class BodyReader {
 public:
  BodyReader(const rapidjson::Document& doc, std::initializer_list<const char*> allowed)
      : doc_(doc) {
    for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
      std::string_view name = it->name.GetString();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; })) {
        throw ApiError{400, "Unrecognized field \"" + std::string(name) + "\". " + kBadPayload};
      }
    }
  }

  std::optional<std::string> string(const char* name) const {
    auto it = doc_.FindMember(name);
    if (it == doc_.MemberEnd() || it->value.IsNull()) return std::nullopt;
    if (!it->value.IsString()) throw type_error(name, "a string");
    return std::string(it->value.GetString(), it->value.GetStringLength());
  }
  std::optional<int> integer(const char* name) const {
    auto it = doc_.FindMember(name);
    if (it == doc_.MemberEnd() || it->value.IsNull()) return std::nullopt;
    if (!it->value.IsInt()) throw type_error(name, "an integer");
    return it->value.GetInt();
  }
  std::vector<std::string> strings(const char* name) const {
    std::vector<std::string> out;
    auto it = doc_.FindMember(name);
    if (it == doc_.MemberEnd() || it->value.IsNull()) return out;
    if (it->value.IsString()) {  // Jira accepts a comma-separated string too
      out.emplace_back(it->value.GetString());
      return out;
    }
    if (!it->value.IsArray()) throw type_error(name, "a list of strings");
    for (const auto& v : it->value.GetArray()) {
      if (!v.IsString()) throw type_error(name, "a list of strings");
      out.emplace_back(v.GetString());
    }
    return out;
  }
  size_t array_size(const char* name) const {
    auto it = doc_.FindMember(name);
    if (it == doc_.MemberEnd() || it->value.IsNull()) return 0;
    if (!it->value.IsArray()) throw type_error(name, "a list");
    return it->value.Size();
  }

 private:
  static ApiError type_error(const char* name, const char* expected) {
    return ApiError{400,
                    std::string("Field '") + name + "' must be " + expected + ". " + kBadPayload};
  }
  const rapidjson::Document& doc_;
};

bool unbounded(const std::string& jql) {
  std::string s;
  for (char c : jql) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  size_t first = s.find_first_not_of(" \t\r\n");
  return first == std::string::npos || s.compare(first, 5, "order") == 0;
}

// The {issueIdOrKey} of /rest/api/3/issue/{issueIdOrKey}/comment.
std::optional<std::string> comment_path_issue(const std::string& path) {
  constexpr std::string_view kPrefix = "/rest/api/3/issue/";
  constexpr std::string_view kSuffix = "/comment";
  if (path.size() <= kPrefix.size() + kSuffix.size() || path.rfind(kPrefix, 0) != 0 ||
      path.compare(path.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return std::nullopt;
  }
  std::string ref = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  if (ref.empty() || ref.find('/') != std::string::npos) return std::nullopt;
  return ref;
}

std::string finish(rapidjson::StringBuffer& buf) {
  return std::string(buf.GetString(), buf.GetSize());
}

void collect_project_values(const rapidjson::Value& node, std::vector<std::string>& out) {
  if (node.IsArray()) {
    for (const auto& child : node.GetArray()) collect_project_values(child, out);
    return;
  }
  if (!node.IsObject()) return;
  auto field = node.FindMember("field");
  auto operand = node.FindMember("operand");
  if (field != node.MemberEnd() && field->value.IsObject() && field->value.HasMember("name") &&
      field->value["name"].IsString() &&
      std::string_view(field->value["name"].GetString()) == "project" &&
      operand != node.MemberEnd() && operand->value.IsObject()) {
    const auto& op = operand->value;
    if (op.HasMember("value") && op["value"].IsString()) out.emplace_back(op["value"].GetString());
    if (op.HasMember("values") && op["values"].IsArray()) {
      for (const auto& v : op["values"].GetArray()) {
        if (v.IsObject() && v.HasMember("value") && v["value"].IsString())
          out.emplace_back(v["value"].GetString());
      }
    }
  }
  for (auto it = node.MemberBegin(); it != node.MemberEnd(); ++it)
    collect_project_values(it->value, out);
}

// The issue a page ends on, as its nextPageToken holds it: the custom fields
// only when the query orders by them (a token stays small).
SimIssue page_position(const SearchResult& list, size_t i) {
  SimIssue last = list.at(i);
  std::erase_if(last.custom_fields, [&](const auto& field) {
    for (const auto& k : list.list->order) {
      if (k.field == field.first) return false;
    }
    return true;
  });
  return last;
}

}  // namespace

// Jira validates values too: an unknown project is a warning, not an error.
std::vector<std::string> JiraApi::unknown_project_warnings(const std::string& structure) const {
  rapidjson::Document doc;
  doc.Parse(structure.c_str());
  std::vector<std::string> values, warnings;
  if (doc.HasParseError()) return warnings;
  collect_project_values(doc, values);
  auto projects = store_.projects();
  for (const auto& v : values) {
    bool known = std::any_of(projects.begin(), projects.end(), [&](const SimProject& p) {
      return p.key == v || p.name == v || std::to_string(p.id) == v;
    });
    if (!known) warnings.push_back("The value '" + v + "' does not exist for the field 'project'.");
  }
  return warnings;
}

std::string JiraApi::endpoint_of(http::verb method, const std::string& path) {
  std::string m(http::to_string(method));
  static const char* kFixed[] = {"/rest/api/3/search/jql", "/rest/api/3/issue/bulkfetch",
                                 "/rest/api/3/myself",     "/rest/api/3/serverInfo",
                                 "/rest/api/2/serverInfo", "/rest/api/3/field",
                                 "/rest/api/2/field",      "/rest/api/3/project/search",
                                 "/rest/api/3/jql/parse",  "/rest/api/3/search/approximate-count",
                                 "/rest/api/3/search",     "/rest/api/2/search"};
  for (const char* p : kFixed) {
    if (path == p) return m + " " + p;
  }
  if (starts_with(path, "/rest/api/3/issue/") && path.find('/', 18) == std::string::npos) {
    return m + " /rest/api/3/issue/{issueIdOrKey}";
  }
  if (comment_path_issue(path)) return m + " /rest/api/3/issue/{issueIdOrKey}/comment";
  return m + " (unknown)";
}

HttpResponse JiraApi::handle(const HttpRequest& req, const RequestTarget& target,
                             const SimUser& user) {
  Caller c{user,
           RenderContext{settings_.base_url(), settings_.zone_of(user), settings_.default_zone()}};
  const std::string& path = target.path;
  const http::verb method = req.method();
  try {
    std::string body;
    if (path == "/rest/api/3/search/jql" &&
        (method == http::verb::get || method == http::verb::post)) {
      body = search_jql(req, target, c);
    } else if ((path == "/rest/api/3/search" || path == "/rest/api/2/search") &&
               (method == http::verb::get || method == http::verb::post)) {
      if (!settings_.legacy_search()) throw ApiError{410, kSearchRemovedMessage};
      body = legacy_search(req, target, c);
    } else if (path == "/rest/api/3/issue/bulkfetch" && method == http::verb::post) {
      body = bulk_fetch(req, c);
    } else if (starts_with(path, "/rest/api/3/issue/") && method == http::verb::get &&
               path.find('/', 18) == std::string::npos) {
      body = get_issue(path.substr(18), target, c);
    } else if (auto ref = comment_path_issue(path); ref && method == http::verb::get) {
      IssuePtr issue = store_.find(*ref);
      if (!issue || !IssueSearch::can_browse(c.user, issue->project_key)) {
        throw ApiError{404, kIssueMissing};
      }
      body = comment_page_json(renderer_, *issue, target, c.render);
    } else if (path == "/rest/api/3/myself" && method == http::verb::get) {
      body = myself(c);
    } else if ((path == "/rest/api/3/serverInfo" || path == "/rest/api/2/serverInfo") &&
               method == http::verb::get) {
      body = server_info(c);
    } else if ((path == "/rest/api/3/field" || path == "/rest/api/2/field") &&
               method == http::verb::get) {
      body = field_list_json();
    } else if (path == "/rest/api/3/project/search" && method == http::verb::get) {
      body = project_search(target, c);
    } else if (path == "/rest/api/3/jql/parse" && method == http::verb::post) {
      body = parse_jql(req, target);
    } else if (path == "/rest/api/3/search/approximate-count" && method == http::verb::post) {
      body = approximate_count(req, c);
    } else if (endpoint_of(method, path).find("(unknown)") == std::string::npos ||
               endpoint_of(http::verb::get, path).find("(unknown)") == std::string::npos ||
               endpoint_of(http::verb::post, path).find("(unknown)") == std::string::npos) {
      throw ApiError{405,
                     "Method " + std::string(req.method_string()) + " is not allowed on " + path};
    } else {
      throw ApiError{404, "No resource found for " + path};
    }
    return make_response(req, 200, std::move(body));
  } catch (const ApiError& e) {
    return make_response(req, e.status, error_body(e.message));
  }
}

std::string JiraApi::search_jql(const HttpRequest& req, const RequestTarget& target,
                                const Caller& c) {
  // GET reads the query string only, POST the body only, as Jira does.
  std::string jql;
  std::optional<std::string> token;
  int max_results = 50;
  std::vector<std::string> fields, expand;
  if (req.method() == http::verb::get) {
    jql = target.first("jql").value_or("");
    token = target.first("nextPageToken");
    if (auto m = target.first("maxResults")) max_results = parse_int_param("maxResults", *m);
    fields = target.all("fields");
    expand = target.all("expand");
  } else {
    rapidjson::Document doc = parse_body(req);
    BodyReader body(doc, {"jql", "nextPageToken", "maxResults", "fields", "expand", "properties",
                          "fieldsByKeys", "reconcileIssues"});
    jql = body.string("jql").value_or("");
    token = body.string("nextPageToken");
    max_results = body.integer("maxResults").value_or(50);
    fields = body.strings("fields");
    expand = body.strings("expand");
    if (body.array_size("reconcileIssues") > 50) {
      throw ApiError{400, "The reconcileIssues parameter accepts at most 50 issue ids."};
    }
  }
  if (max_results < 1 || max_results > 5000) {
    throw ApiError{400, "The maxResults parameter must be between 1 and 5000, got " +
                            std::to_string(max_results) + "."};
  }
  if (unbounded(jql)) throw ApiError{400, kUnbounded};
  FieldSelection selection = FieldSelection::parse(fields, "id");
  Expansion expansion = Expansion::parse(expand);
  // Fewer per page when real fields are asked for; ids/keys page up to 5000.
  int page_size = std::min(max_results, selection.only_id_or_key() ? 5000 : 100);

  uint64_t query_hash = hash_text(jql);
  std::optional<PagePosition> position;
  if (token && !token->empty()) {
    position = tokens_.decode(*token);
    if (!position || position->query_hash != query_hash) throw ApiError{400, kBadToken};
  }
  SearchResult list;
  try {
    list = search_.run(jql, c.user, c.render.zone);
  } catch (const jql::JqlError& e) {
    throw ApiError{400, e.what()};
  }
  size_t start = 0;
  if (position) {
    start = settings_.page_token_mode() == PageTokenMode::kOffset
                ? static_cast<size_t>(std::min<uint64_t>(position->offset, list.size()))
                : list.start_after(position->last);
  }
  size_t end = std::min(list.size(), start + static_cast<size_t>(page_size));
  bool last = end >= list.size();

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  if (expansion.names && !selection.id_only()) {
    w.Key("names");
    renderer_.write_names(w, selection);
  }
  w.Key("issues");
  w.StartArray();
  for (size_t i = start; i < end; ++i) {
    const SimIssue& issue = list.at(i);
    if (selection.id_only() && !expansion.changelog && !expansion.rendered_fields) {
      renderer_.write_id_only(w, issue);
    } else {
      renderer_.write_issue(w, issue, selection,
                            Expansion{expansion.changelog, expansion.rendered_fields, false},
                            c.render);
    }
  }
  w.EndArray();
  if (!last) {
    w.Key("nextPageToken");
    write_string(w, tokens_.encode(PagePosition{query_hash, page_position(list, end - 1), end}));
  }
  w.Key("isLast");
  w.Bool(last);
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::legacy_search(const HttpRequest& req, const RequestTarget& target,
                                   const Caller& c) {
  std::string jql;
  int start_at = 0;
  int max_results = 50;
  std::vector<std::string> fields, expand;
  if (req.method() == http::verb::get) {
    jql = target.first("jql").value_or("");
    if (auto s = target.first("startAt")) start_at = parse_int_param("startAt", *s);
    if (auto m = target.first("maxResults")) max_results = parse_int_param("maxResults", *m);
    fields = target.all("fields");
    expand = target.all("expand");
  } else {
    rapidjson::Document doc = parse_body(req);
    BodyReader body(doc, {"jql", "startAt", "maxResults", "fields", "expand", "properties",
                          "fieldsByKeys", "validateQuery"});
    jql = body.string("jql").value_or("");
    start_at = body.integer("startAt").value_or(0);
    max_results = body.integer("maxResults").value_or(50);
    fields = body.strings("fields");
    expand = body.strings("expand");
  }
  start_at = std::max(0, start_at);
  max_results = std::clamp(max_results, 0, 100);
  FieldSelection selection = FieldSelection::parse(fields, "*navigable");
  SearchResult list;
  try {
    list = search_.run(jql, c.user, c.render.zone);
  } catch (const jql::JqlError& e) {
    throw ApiError{400, e.what()};
  }
  size_t start = std::min(list.size(), static_cast<size_t>(start_at));
  size_t end = std::min(list.size(), start + static_cast<size_t>(max_results));
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("expand");
  w.String("schema,names");
  w.Key("startAt");
  w.Int(start_at);
  w.Key("maxResults");
  w.Int(max_results);
  w.Key("total");
  w.Int64(static_cast<int64_t>(list.size()));
  w.Key("issues");
  w.StartArray();
  Expansion expansion = Expansion::parse(expand);
  for (size_t i = start; i < end; ++i) {
    renderer_.write_issue(w, list.at(i), selection, expansion, c.render);
  }
  w.EndArray();
  w.Key("warningMessages");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::get_issue(const std::string& id_or_key, const RequestTarget& target,
                               const Caller& c) {
  IssuePtr issue = store_.find(id_or_key);
  if (!issue || !IssueSearch::can_browse(c.user, issue->project_key)) {
    throw ApiError{404, kIssueMissing};
  }
  FieldSelection selection = FieldSelection::parse(target.all("fields"), "*all");
  Expansion expansion = Expansion::parse(target.all("expand"));
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  renderer_.write_issue(w, *issue, selection, expansion, c.render);
  return finish(buf);
}

std::string JiraApi::bulk_fetch(const HttpRequest& req, const Caller& c) {
  rapidjson::Document doc = parse_body(req);
  BodyReader body(doc, {"issueIdsOrKeys", "fields", "expand", "properties", "fieldsByKeys"});
  std::vector<std::string> wanted = body.strings("issueIdsOrKeys");
  if (wanted.empty())
    throw ApiError{400, "At least one issue ID or key is required (issueIdsOrKeys)."};
  if (wanted.size() > 100) {
    throw ApiError{400, "At most 100 issue IDs or keys may be requested (issueIdsOrKeys has " +
                            std::to_string(wanted.size()) + ")."};
  }
  FieldSelection selection = FieldSelection::parse(body.strings("fields"), "*navigable");
  Expansion expansion = Expansion::parse(body.strings("expand"));
  double issue_error_rate = faults_.settings().issue_error_rate;
  std::mt19937_64 rng(std::hash<std::string>{}(req.body()));
  std::uniform_real_distribution<double> unit(0, 1);

  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("expand");
  w.String("schema,names");
  std::vector<IssuePtr> found;
  std::vector<int64_t> errored;
  for (const auto& id_or_key : wanted) {
    IssuePtr issue = store_.find(id_or_key);
    // Unknown and invisible issues are left out of both lists (see BulkIssueResults).
    if (!issue || !IssueSearch::can_browse(c.user, issue->project_key)) continue;
    if (std::any_of(found.begin(), found.end(),
                    [&](const IssuePtr& f) { return f->id == issue->id; })) {
      continue;
    }
    if (issue_error_rate > 0 && unit(rng) < issue_error_rate) {
      errored.push_back(issue->id);
    } else {
      found.push_back(issue);
    }
  }
  w.Key("issues");
  w.StartArray();
  for (const auto& issue : found) renderer_.write_issue(w, *issue, selection, expansion, c.render);
  w.EndArray();
  w.Key("issueErrors");
  w.StartArray();
  for (int64_t id : errored) {
    w.StartObject();
    w.Key("id");
    write_string(w, std::to_string(id));
    w.Key("errorMessage");
    w.String("The issue could not be retrieved right now. Try again later.");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::approximate_count(const HttpRequest& req, const Caller& c) {
  rapidjson::Document doc = parse_body(req);
  BodyReader body(doc, {"jql"});
  std::string jql = body.string("jql").value_or("");
  if (unbounded(jql)) throw ApiError{400, kUnbounded};
  SearchResult list;
  try {
    list = search_.run(jql, c.user, c.render.zone);
  } catch (const jql::JqlError& e) {
    throw ApiError{400, e.what()};
  }
  return "{\"count\":" + std::to_string(list.size()) + "}";
}

std::string JiraApi::parse_jql(const HttpRequest& req, const RequestTarget& target) {
  std::string validation = target.first("validation").value_or("strict");
  if (validation != "strict" && validation != "warn" && validation != "none") {
    throw ApiError{400, "The value '" + validation +
                            "' of parameter 'validation' must be one of strict, warn, none."};
  }
  rapidjson::Document doc = parse_body(req);
  BodyReader body(doc, {"queries"});
  if (!doc.HasMember("queries")) throw ApiError{400, "The field 'queries' is required."};
  std::vector<std::string> queries = body.strings("queries");
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("queries");
  w.StartArray();
  for (const auto& q : queries) {
    w.StartObject();
    w.Key("query");
    write_string(w, q);
    try {
      std::unique_ptr<jql::Query> parsed = jql::parse(q, custom_field_names());
      std::string structure = parsed->structure_json();
      std::vector<std::string> warnings = unknown_project_warnings(structure);
      w.Key("structure");
      write_raw(w, structure);
      if (!warnings.empty()) {
        w.Key("warnings");
        w.StartArray();
        for (const auto& warning : warnings) write_string(w, warning);
        w.EndArray();
      }
    } catch (const jql::JqlError& e) {
      w.Key("errors");
      w.StartArray();
      w.String(e.what());
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::myself(const Caller& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  const SimUser& u = c.user;
  w.StartObject();
  w.Key("self");
  write_string(w, c.render.base_url + "/rest/api/3/user?accountId=" + u.account_id);
  w.Key("key");
  w.String("");
  w.Key("name");
  w.String("");
  w.Key("accountId");
  write_string(w, u.account_id);
  w.Key("accountType");
  w.String("atlassian");
  w.Key("emailAddress");
  write_string(w, u.email);
  w.Key("avatarUrls");
  w.StartObject();
  for (const char* size : {"48x48", "24x24", "16x16", "32x32"}) {
    w.Key(size);
    write_string(
        w, "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default.png");
  }
  w.EndObject();
  w.Key("displayName");
  write_string(w, u.display_name);
  w.Key("active");
  w.Bool(true);
  w.Key("timeZone");
  write_string(w, c.render.zone);
  w.Key("locale");
  w.String("en_US");
  w.Key("groups");
  w.StartObject();
  w.Key("size");
  w.Int(1);
  w.Key("items");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  w.Key("applicationRoles");
  w.StartObject();
  w.Key("size");
  w.Int(1);
  w.Key("items");
  w.StartArray();
  w.EndArray();
  w.EndObject();
  w.Key("expand");
  w.String("groups,applicationRoles");
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::server_info(const Caller& c) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("baseUrl");
  write_string(w, c.render.base_url);
  w.Key("displayUrl");
  write_string(w, c.render.base_url);
  w.Key("displayUrlServicedeskHelpCenter");
  write_string(w, c.render.base_url + "/servicedesk");
  w.Key("displayUrlConfluence");
  write_string(w, c.render.base_url + "/wiki");
  w.Key("version");
  w.String("1001.0.0-SNAPSHOT");
  w.Key("versionNumbers");
  w.StartArray();
  w.Int(1001);
  w.Int(0);
  w.Int(0);
  w.EndArray();
  w.Key("deploymentType");
  w.String("Cloud");
  w.Key("buildNumber");
  w.Int(100280);
  w.Key("buildDate");
  write_string(w, jirasync::format_jira_time(1751241600000, c.render.zone));
  w.Key("serverTime");
  write_string(w,
               jirasync::format_jira_time(std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count(),
                                          c.render.zone));
  w.Key("scmInfo");
  w.String("jirasim");
  w.Key("serverTitle");
  w.String("Jira (jirasim)");
  w.Key("serverTimeZone");
  write_string(w, c.render.default_zone);
  w.Key("defaultLocale");
  w.StartObject();
  w.Key("locale");
  w.String("en_US");
  w.EndObject();
  w.EndObject();
  return finish(buf);
}

std::string JiraApi::project_search(const RequestTarget& target, const Caller& c) {
  int start_at = 0;
  int max_results = 50;
  if (auto s = target.first("startAt")) start_at = parse_int_param("startAt", *s);
  if (auto m = target.first("maxResults")) max_results = parse_int_param("maxResults", *m);
  if (start_at < 0) throw ApiError{400, "The startAt parameter must not be negative."};
  max_results = std::clamp(max_results, 1, 100);
  std::string query = target.first("query").value_or("");
  bool insight = false;
  for (const auto& e : target.all("expand")) {
    for (const auto& part : split_commas(e)) insight = insight || part == "insight";
  }
  std::vector<std::string> keys;
  for (const auto& k : target.all("keys")) {
    for (const auto& part : split_commas(k)) keys.push_back(part);
  }
  std::vector<SimProject> visible;
  for (const auto& p : store_.projects()) {
    if (!IssueSearch::can_browse(c.user, p.key)) continue;
    if (!keys.empty() && std::find(keys.begin(), keys.end(), p.key) == keys.end()) continue;
    if (!query.empty() && p.key.find(query) == std::string::npos &&
        p.name.find(query) == std::string::npos) {
      continue;
    }
    visible.push_back(p);
  }
  size_t start = std::min(visible.size(), static_cast<size_t>(start_at));
  size_t end = std::min(visible.size(), start + static_cast<size_t>(max_results));
  bool last = end >= visible.size();
  std::string self = c.render.base_url + "/rest/api/3/project/search?startAt=";
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("self");
  write_string(w, self + std::to_string(start_at) + "&maxResults=" + std::to_string(max_results));
  if (!last) {
    w.Key("nextPage");
    write_string(w, self + std::to_string(end) + "&maxResults=" + std::to_string(max_results));
  }
  w.Key("maxResults");
  w.Int(max_results);
  w.Key("startAt");
  w.Int(start_at);
  w.Key("total");
  w.Int64(static_cast<int64_t>(visible.size()));
  w.Key("isLast");
  w.Bool(last);
  w.Key("values");
  w.StartArray();
  for (size_t i = start; i < end; ++i) {
    const SimProject& p = visible[i];
    w.StartObject();
    w.Key("expand");
    w.String("description,lead,issueTypes,url,projectKeys,permissions,insight");
    w.Key("self");
    write_string(w, c.render.base_url + "/rest/api/3/project/" + std::to_string(p.id));
    w.Key("id");
    write_string(w, std::to_string(p.id));
    w.Key("key");
    write_string(w, p.key);
    w.Key("name");
    write_string(w, p.name);
    w.Key("avatarUrls");
    w.StartObject();
    for (const char* size : {"48x48", "24x24", "16x16", "32x32"}) {
      w.Key(size);
      write_string(
          w, c.render.base_url + "/rest/api/3/universal_avatar/view/type/project/avatar/10400");
    }
    w.EndObject();
    w.Key("projectTypeKey");
    w.String("software");
    w.Key("simplified");
    w.Bool(false);
    w.Key("style");
    w.String("classic");
    w.Key("isPrivate");
    w.Bool(false);
    w.Key("properties");
    w.StartObject();
    w.EndObject();
    w.Key("projectCategory");
    w.StartObject();
    w.Key("self");
    write_string(w, c.render.base_url + "/rest/api/3/projectCategory/10000");
    w.Key("id");
    w.String("10000");
    w.Key("name");
    w.String("Engineering");
    w.Key("description");
    w.String("Projects of the simulated site");
    w.EndObject();
    if (insight) {
      auto [count, last] = store_.project_insight(p.key);
      w.Key("insight");
      w.StartObject();
      w.Key("totalIssueCount");
      w.Int64(count);
      w.Key("lastIssueUpdateTime");
      write_string(w, jirasync::format_jira_time(last, c.render.zone));
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return finish(buf);
}

}  // namespace jirasim
