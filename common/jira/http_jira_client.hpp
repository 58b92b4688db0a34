#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/http/http_connection.hpp"
#include "common/jira/jira_client.hpp"
#include "common/log/secret_redactor.hpp"

namespace jirasync {

// JiraClient over HTTPS (Jira Cloud REST API v3) on keep-alive connections.
// Every failure becomes a JiraError classified for the caller's retry loop:
// 429 (with Retry-After), 5xx, 408, transport failures and unusable bodies are
// retryable; 400, 401/403, 404 and other 4xx are not. Error messages never
// contain the API token, nor the Authorization header. Thread-safe: calls made
// together each take an idle connection or open one, so N callers keep N
// requests in flight (the caller bounds N and owns the rate limit).
class HttpJiraClient final : public JiraClient {
 public:
  // Throws ConfigError naming jira.base_url, jira.email, jira.api_token or
  // jira.timeout_ms when one is unusable. `clock` dates Retry-After headers.
  HttpJiraClient(const JiraSettings& settings, const Clock& clock,
                 HttpConnectionOptions connection_options = {});
  explicit HttpJiraClient(const JiraSettings& settings);  // on the system clock

  SearchPage search(const SearchRequest& request) override;
  BulkFetchResult bulk_fetch(const std::vector<std::string>& ids_or_keys,
                             const std::vector<std::string>& fields) override;
  int64_t approximate_count(const std::string& jql) override;
  CommentPage comments(const std::string& issue_id_or_key, int64_t start_at,
                       int max_results) override;
  JiraAccount myself() override;
  std::vector<JiraField> field_list() override;
  // POST /rest/api/3/jql/parse?validation=strict for one query: Jira's
  // errors for it (empty when it is valid). For `search --source live`.
  std::vector<std::string> validate_jql(const std::string& jql);

  // Requests sent to Jira so far (each attempt counts), for stats and metrics.
  int64_t api_calls() const { return api_calls_.load(); }

  static constexpr int kMaxBulkFetch = 100;  // Jira's limit per bulkfetch request

 private:
  // Sends one request; returns the body of a 2xx JSON response, or throws JiraError.
  std::string exchange(const std::string& method, const std::string& target, std::string body);
  JiraError classify_failure(const std::string& what, const HttpResponse& response) const;
  std::string redact(const std::string& text) const { return redactor_.redact(text); }

  std::string email_;
  std::string authorization_;  // "Basic ..." or "" for anonymous access
  const Clock& clock_;
  SecretRedactor redactor_;
  // A connection taken for one request, given back when the request is done.
  std::unique_ptr<HttpConnection> take_connection();
  void give_back(std::unique_ptr<HttpConnection> connection);

  HttpsEndpoint endpoint_;
  HttpConnectionOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;
  std::atomic<int64_t> api_calls_{0};
};

}  // namespace jirasync
