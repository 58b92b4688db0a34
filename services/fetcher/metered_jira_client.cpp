#include "services/fetcher/metered_jira_client.hpp"

namespace jirasync {

namespace {
// The endpoints as Atlassian's OpenAPI names them: a bounded label set.
constexpr const char* kSearch = "POST /rest/api/3/search/jql";
constexpr const char* kBulkFetch = "POST /rest/api/3/issue/bulkfetch";
constexpr const char* kCount = "POST /rest/api/3/search/approximate-count";
constexpr const char* kComments = "GET /rest/api/3/issue/{issueIdOrKey}/comment";
constexpr const char* kMyself = "GET /rest/api/3/myself";
constexpr const char* kFieldList = "GET /rest/api/3/field";
}  // namespace

MeteredJiraClient::MeteredJiraClient(JiraClient& client, FetcherProbe& probe, std::string project)
    : client_(client), probe_(probe), project_(std::move(project)) {}

template <typename Fn>
auto MeteredJiraClient::counted(const char* endpoint, Fn&& fn) -> decltype(fn()) {
  try {
    auto result = fn();
    probe_.jira_request(project_, endpoint, "ok");
    return result;
  } catch (const JiraError& e) {
    probe_.jira_request(project_, endpoint, e.http_status() == 429 ? "rate_limited" : "failed");
    throw;
  } catch (...) {
    probe_.jira_request(project_, endpoint, "failed");
    throw;
  }
}

SearchPage MeteredJiraClient::search(const SearchRequest& request) {
  return counted(kSearch, [&] { return client_.search(request); });
}

BulkFetchResult MeteredJiraClient::bulk_fetch(const std::vector<std::string>& ids_or_keys,
                                              const std::vector<std::string>& fields) {
  return counted(kBulkFetch, [&] { return client_.bulk_fetch(ids_or_keys, fields); });
}

int64_t MeteredJiraClient::approximate_count(const std::string& jql) {
  return counted(kCount, [&] { return client_.approximate_count(jql); });
}

CommentPage MeteredJiraClient::comments(const std::string& issue_id_or_key, int64_t start_at,
                                        int max_results) {
  return counted(kComments,
                 [&] { return client_.comments(issue_id_or_key, start_at, max_results); });
}

JiraAccount MeteredJiraClient::myself() {
  return counted(kMyself, [&] { return client_.myself(); });
}

std::vector<JiraField> MeteredJiraClient::field_list() {
  return counted(kFieldList, [&] { return client_.field_list(); });
}

}  // namespace jirasync
