#pragma once

#include <string>

#include "common/jira/jira_client.hpp"
#include "services/fetcher/fetcher_probe.hpp"

namespace jirasync {

// The Jira client of one job, counting each request by its project, endpoint
// and outcome on the fetcher's probe (jirasync_fetcher_jira_requests_total).
// Thread-safe as far as the client it wraps is: requests in flight together
// pass through it from several threads.
class MeteredJiraClient final : public JiraClient {
 public:
  MeteredJiraClient(JiraClient& client, FetcherProbe& probe, std::string project);

  SearchPage search(const SearchRequest& request) override;
  BulkFetchResult bulk_fetch(const std::vector<std::string>& ids_or_keys,
                             const std::vector<std::string>& fields) override;
  int64_t approximate_count(const std::string& jql) override;
  CommentPage comments(const std::string& issue_id_or_key, int64_t start_at,
                       int max_results) override;
  JiraAccount myself() override;
  std::vector<JiraField> field_list() override;

 private:
  template <typename Fn>
  auto counted(const char* endpoint, Fn&& fn) -> decltype(fn());

  JiraClient& client_;
  FetcherProbe& probe_;
  std::string project_;
};

}  // namespace jirasync
