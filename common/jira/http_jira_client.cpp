#include "common/jira/http_jira_client.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

#include "common/jira/retry_after.hpp"
#include "common/json/json_document.hpp"
#include "common/json/json_writer.hpp"
#include "common/json/payload_error.hpp"
#include "common/log/base64.hpp"

namespace jirasync {
namespace {

constexpr const char* kSearchPath = "/rest/api/3/search/jql";
constexpr const char* kBulkFetchPath = "/rest/api/3/issue/bulkfetch";
constexpr const char* kCountPath = "/rest/api/3/search/approximate-count";
constexpr const char* kMyselfPath = "/rest/api/3/myself";
constexpr const char* kFieldListPath = "/rest/api/3/field";
constexpr std::size_t kExcerptChars = 300;

HttpsEndpoint endpoint_from(const JiraSettings& settings) {
  try {
    return HttpsEndpoint::parse(settings.base_url);
  } catch (const std::invalid_argument& e) {
    throw ConfigError("jira.base_url", e.what());
  }
}

HttpConnectionOptions with_timeout(HttpConnectionOptions options, const JiraSettings& settings) {
  if (settings.timeout_ms <= 0) {
    throw ConfigError("jira.timeout_ms",
                      "must be positive, got " + std::to_string(settings.timeout_ms));
  }
  options.timeout_ms = settings.timeout_ms;
  return options;
}

const Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

// The start of a body, on one line, for a message.
std::string excerpt(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, kExcerptChars)) {
    out += std::isspace(static_cast<unsigned char>(c)) ? ' ' : c;
  }
  if (body.size() > kExcerptChars) out += "...";
  return out.empty() ? "(empty body)" : out;
}

// Jira's ErrorCollection (errorMessages[], errors{field: message}) as one line;
// a plain excerpt when the body is something else.
std::string jira_error_text(const std::string& body) {
  rapidjson::Document doc;
  bool parsed = true;
  try {
    parse_json_text(body, doc, "body");
  } catch (const PayloadError&) {
    parsed = false;  // not an ErrorCollection: shown as an excerpt
  }
  std::string text;
  auto append = [&text](const std::string& part) { text += (text.empty() ? "" : "; ") + part; };
  if (parsed && doc.IsObject()) {
    if (doc.HasMember("errorMessages") && doc["errorMessages"].IsArray()) {
      for (const auto& message : doc["errorMessages"].GetArray()) {
        if (message.IsString()) append(message.GetString());
      }
    }
    if (doc.HasMember("errors") && doc["errors"].IsObject()) {
      for (const auto& error : doc["errors"].GetObject()) {
        append(std::string(error.name.GetString()) + ": " +
               (error.value.IsString() ? error.value.GetString() : compact_json(error.value)));
      }
    }
  }
  return text.empty() ? excerpt(body) : text;
}

bool is_json_content_type(const std::string& value) {
  std::string media = value.substr(0, value.find(';'));
  media.erase(std::remove_if(media.begin(), media.end(),
                             [](unsigned char c) { return std::isspace(c) != 0; }),
              media.end());
  std::transform(media.begin(), media.end(), media.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media == "application/json";
}

// A 2xx whose body cannot be used: likely a proxy or a Jira hiccup, so retryable.
[[noreturn]] void unusable(const std::string& what, const std::string& reason) {
  throw JiraError(what + ": unusable response: " + reason, 200, true);
}

rapidjson::Document parse_object(const std::string& what, const std::string& body) {
  rapidjson::Document doc;
  try {
    parse_json_text(body, doc, "body");
  } catch (const PayloadError& e) {
    unusable(what, e.what());
  }
  if (!doc.IsObject()) unusable(what, "expected a JSON object");
  return doc;
}

// One pass over a search/bulkfetch body; its shape errors are retryable like any unusable body.
IssueList issue_list(const std::string& what, const std::string& body) {
  try {
    IssueList list = read_issue_list(body);
    if (!list.has_issues) unusable(what, "missing `issues`");
    return list;
  } catch (const IssueListError& e) {
    unusable(what, e.what());
  }
}

std::string optional_string(const std::string& what, const rapidjson::Value& object,
                            const char* name) {
  if (!object.HasMember(name) || object[name].IsNull()) return "";
  if (!object[name].IsString()) unusable(what, std::string("`") + name + "` is not a string");
  return object[name].GetString();
}

}  // namespace

HttpJiraClient::HttpJiraClient(const JiraSettings& settings, const Clock& clock,
                               HttpConnectionOptions connection_options)
    : email_(settings.email),
      clock_(clock),
      endpoint_(endpoint_from(settings)),
      options_(with_timeout(std::move(connection_options), settings)) {
  if (settings.email.empty() != settings.api_token.empty()) {
    // Both or neither: anonymous access is legitimate for public Jira sites.
    throw ConfigError(settings.email.empty() ? "jira.email" : "jira.api_token",
                      settings.email.empty()
                          ? "is required when an API token is set"
                          : "is required when jira.email is set (JIRA_API_TOKEN or "
                            "JIRA_API_TOKEN_FILE)");
  }
  if (!settings.api_token.empty()) {
    authorization_ = "Basic " + base64_encode(settings.email + ":" + settings.api_token);
    redactor_.add_basic_auth(settings.email, settings.api_token);
    // Log lines written elsewhere in the process must mask them too.
    SecretRedactor::process().add_basic_auth(settings.email, settings.api_token);
  }
  idle_.push_back(std::make_unique<HttpConnection>(endpoint_, options_));
}

std::unique_ptr<HttpConnection> HttpJiraClient::take_connection() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back());
      idle_.pop_back();
      return connection;
    }
  }
  return std::make_unique<HttpConnection>(endpoint_, options_);
}

void HttpJiraClient::give_back(std::unique_ptr<HttpConnection> connection) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

HttpJiraClient::HttpJiraClient(const JiraSettings& settings)
    : HttpJiraClient(settings, system_clock()) {}

std::string HttpJiraClient::exchange(const std::string& method, const std::string& target,
                                     std::string body) {
  const std::string what = "Jira " + method + " " + target;
  HttpRequest request;
  request.method = method;
  request.target = target;
  request.headers["Accept"] = "application/json";
  if (!authorization_.empty()) request.headers["Authorization"] = authorization_;
  if (method != "GET") request.headers["Content-Type"] = "application/json";
  request.body = std::move(body);

  HttpResponse response;
  {
    std::unique_ptr<HttpConnection> connection = take_connection();
    ++api_calls_;
    try {
      response = connection->send(request);
    } catch (const HttpTransportError& e) {
      // Its state is unknown after a failure: the next request opens a fresh one.
      // An oversized body will be oversized again: the caller must ask for less.
      const bool retryable = e.kind() != HttpTransportError::Kind::kBodyTooLarge;
      throw JiraError(redact(what + ": " + e.what()), 0, retryable);
    }
    give_back(std::move(connection));
  }
  if (response.status < 200 || response.status >= 300) throw classify_failure(what, response);
  const auto content_type = response.header("content-type").value_or("");
  if (!is_json_content_type(content_type)) {
    unusable(what, "expected application/json, got '" + redact(content_type) + "' (HTTP " +
                       std::to_string(response.status) + "): " + redact(excerpt(response.body)));
  }
  return std::move(response.body);
}

JiraError HttpJiraClient::classify_failure(const std::string& what,
                                           const HttpResponse& response) const {
  const int status = response.status;
  const std::string http = "HTTP " + std::to_string(status);
  // Jira asks for a pause with 429, and with 503 while it is overloaded or in
  // maintenance; either way the wait it names is honoured.
  std::optional<int64_t> retry_after;
  std::string pause;
  if (status == 429 || status == 503) {
    if (auto header = response.header("retry-after")) {
      retry_after = parse_retry_after_ms(*header, clock_.now_ms());
      pause = retry_after ? ", Retry-After " + std::to_string(*retry_after) + " ms"
                          : ", unreadable Retry-After '" + redact(*header) + "'";
    }
  }
  if (status == 429) {
    return JiraError(what + ": rate limited by Jira (" + http + ")" + pause, status, true,
                     retry_after);
  }
  if (status == 401 || status == 403) {
    std::string message = authorization_.empty()
                              ? what + ": Jira rejected the anonymous request (" + http +
                                    "); set jira.email and JIRA_API_TOKEN"
                              : "Jira rejected the credentials for " + email_ + " (" + http + ")";
    const std::string detail = jira_error_text(response.body);
    if (!response.body.empty()) message += ": " + detail;
    return JiraError(redact(message), status, false);
  }
  if (status >= 500 || status == 408) {
    return JiraError(
        redact(what + ": Jira failed (" + http + ")" + pause + ": " + excerpt(response.body)),
        status, true, retry_after);
  }
  if (status >= 300 && status < 400) {
    return JiraError(redact(what + ": unexpected redirect (" + http + ") to '" +
                            response.header("location").value_or("") + "'; check jira.base_url"),
                     status, false);
  }
  if (status == 400) {
    return JiraError(redact(what + ": Jira rejected the request (" + http +
                            "): " + jira_error_text(response.body)),
                     status, false);
  }
  return JiraError(redact(what + ": " + http + ": " + jira_error_text(response.body)), status,
                   false);
}

SearchPage HttpJiraClient::search(const SearchRequest& request) {
  const std::string what = std::string("Jira POST ") + kSearchPath;
  if (request.max_results < 1) {
    throw JiraError(
        what + ": max_results must be positive, got " + std::to_string(request.max_results), 0,
        false);
  }
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_string(writer, "jql", request.jql);
  writer.Key("maxResults");
  writer.Int(request.max_results);
  if (!request.fields.empty()) write_strings(writer, "fields", request.fields);
  if (!request.expand.empty()) {
    // Unlike bulkfetch, search/jql takes expand as one comma-separated string.
    std::string expand;
    for (const auto& item : request.expand) expand += (expand.empty() ? "" : ",") + item;
    write_string(writer, "expand", expand);
  }
  if (!request.next_page_token.empty()) {
    write_string(writer, "nextPageToken", request.next_page_token);
  }
  writer.EndObject();

  IssueList list = issue_list(what, exchange("POST", kSearchPath, buffer.GetString()));
  SearchPage page;
  page.issues = std::move(list.issues);
  page.next_page_token = std::move(list.next_page_token);
  page.is_last = list.is_last.value_or(page.next_page_token.empty());
  if (!page.is_last && page.next_page_token.empty()) {
    unusable(what, "`isLast` is false but there is no `nextPageToken`");
  }
  if (page.is_last) page.next_page_token.clear();
  return page;
}

BulkFetchResult HttpJiraClient::bulk_fetch(const std::vector<std::string>& ids_or_keys,
                                           const std::vector<std::string>& fields) {
  const std::string what = std::string("Jira POST ") + kBulkFetchPath;
  if (ids_or_keys.empty()) return {};
  if (ids_or_keys.size() > kMaxBulkFetch) {
    throw JiraError(what + ": " + std::to_string(ids_or_keys.size()) +
                        " ids/keys requested, Jira accepts at most " +
                        std::to_string(kMaxBulkFetch),
                    0, false);
  }
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_strings(writer, "issueIdsOrKeys", ids_or_keys);
  if (!fields.empty()) write_strings(writer, "fields", fields);
  writer.EndObject();

  IssueList list = issue_list(what, exchange("POST", kBulkFetchPath, buffer.GetString()));
  BulkFetchResult result;
  result.issues = std::move(list.issues);
  result.missing = std::move(list.error_ids);
  return result;
}

std::vector<std::string> HttpJiraClient::validate_jql(const std::string& jql) {
  const std::string what = "Jira POST /rest/api/3/jql/parse";
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("queries");
  writer.StartArray();
  writer.String(jql.data(), static_cast<rapidjson::SizeType>(jql.size()));
  writer.EndArray();
  writer.EndObject();
  const auto doc = parse_object(
      what, exchange("POST", "/rest/api/3/jql/parse?validation=strict", buffer.GetString()));
  if (!doc.HasMember("queries") || !doc["queries"].IsArray() || doc["queries"].Size() != 1 ||
      !doc["queries"][0].IsObject()) {
    unusable(what, "missing `queries`");
  }
  std::vector<std::string> errors;
  const auto& q = doc["queries"][0];
  if (q.HasMember("errors") && q["errors"].IsArray()) {
    for (const auto& e : q["errors"].GetArray())
      if (e.IsString()) errors.emplace_back(e.GetString(), e.GetStringLength());
  }
  return errors;
}

int64_t HttpJiraClient::approximate_count(const std::string& jql) {
  const std::string what = std::string("Jira POST ") + kCountPath;
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  write_string(writer, "jql", jql);
  writer.EndObject();
  const auto doc = parse_object(what, exchange("POST", kCountPath, buffer.GetString()));
  if (!doc.HasMember("count") || !doc["count"].IsInt64() || doc["count"].GetInt64() < 0) {
    unusable(what, "missing or invalid `count`");
  }
  return doc["count"].GetInt64();
}

CommentPage HttpJiraClient::comments(const std::string& issue, int64_t start_at, int max_results) {
  const std::string what = "Jira GET /rest/api/3/issue/{issueIdOrKey}/comment";
  if (issue.empty() ||
      issue.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                              "0123456789_-") != std::string::npos) {
    throw JiraError(what + ": not an issue id or key", 0, false);
  }
  const std::string target = "/rest/api/3/issue/" + issue +
                             "/comment?startAt=" + std::to_string(start_at) +
                             "&maxResults=" + std::to_string(max_results);
  const auto doc = parse_object(what, exchange("GET", target, ""));
  if (!doc.HasMember("comments") || !doc["comments"].IsArray()) {
    unusable(what, "missing or invalid `comments`");
  }
  if (!doc.HasMember("total") || !doc["total"].IsInt64() || doc["total"].GetInt64() < 0) {
    unusable(what, "missing or invalid `total`");
  }
  CommentPage page;
  page.total = doc["total"].GetInt64();
  const auto& list = doc["comments"];
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const auto& c = list[i];
    const std::string at = "comments[" + std::to_string(i) + "]";
    if (!c.IsObject()) unusable(what, at + " is not an object");
    if (!c.HasMember("id") || !c["id"].IsString()) unusable(what, at + ".id is not a string");
    page.ids.emplace_back(c["id"].GetString(), c["id"].GetStringLength());
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    c.Accept(writer);
    page.comments.emplace_back(buffer.GetString(), buffer.GetSize());
  }
  return page;
}

JiraAccount HttpJiraClient::myself() {
  const std::string what = std::string("Jira GET ") + kMyselfPath;
  const auto doc = parse_object(what, exchange("GET", kMyselfPath, ""));
  JiraAccount account;
  account.account_id = optional_string(what, doc, "accountId");
  if (account.account_id.empty()) unusable(what, "missing `accountId`");
  account.display_name = optional_string(what, doc, "displayName");
  account.time_zone = optional_string(what, doc, "timeZone");
  return account;
}

std::vector<JiraField> HttpJiraClient::field_list() {
  const std::string what = std::string("Jira GET ") + kFieldListPath;
  const std::string body = exchange("GET", kFieldListPath, "");
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsArray()) unusable(what, "expected a JSON array");
  std::vector<JiraField> out;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const auto& f = doc[i];
    const std::string at = "[" + std::to_string(i) + "]";
    if (!f.IsObject()) unusable(what, at + " is not an object");
    JiraField field;
    field.id = optional_string(what, f, "id");
    if (field.id.empty()) unusable(what, at + ".id is missing");
    field.name = optional_string(what, f, "name");
    field.custom = f.HasMember("custom") && f["custom"].IsBool() && f["custom"].GetBool();
    out.push_back(std::move(field));
  }
  return out;
}

}  // namespace jirasync
