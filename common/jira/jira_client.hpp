#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/jira/issue_list_reader.hpp"

namespace jirasync {

// A failure talking to Jira. `retryable` is true for 429, 5xx, timeouts,
// broken connections and malformed bodies; `retry_after_ms` comes from a 429 or 503.
class JiraError : public std::runtime_error {
 public:
  JiraError(const std::string& what, int http_status, bool retryable,
            std::optional<int64_t> retry_after_ms = std::nullopt)
      : std::runtime_error(what),
        http_status_(http_status),
        retryable_(retryable),
        retry_after_ms_(retry_after_ms) {}
  int http_status() const { return http_status_; }  // 0 when no response
  bool retryable() const { return retryable_; }
  std::optional<int64_t> retry_after_ms() const { return retry_after_ms_; }

 private:
  int http_status_;
  bool retryable_;
  std::optional<int64_t> retry_after_ms_;
};

struct SearchRequest {
  std::string jql;
  std::vector<std::string> fields;  // e.g. {"*all"} or {"id"}
  std::vector<std::string> expand;
  int max_results = 100;
  std::string next_page_token;  // "" for the first page
};

// One page of /rest/api/3/search/jql. Issues are kept as their raw JSON text
// (the reconciler parses and validates them).
struct SearchPage {
  std::vector<IssueText> issues;
  std::string next_page_token;  // "" on the last page
  bool is_last = true;
};

struct BulkFetchResult {
  std::vector<IssueText> issues;
  std::vector<std::string> missing;  // ids/keys reported in issueErrors
};

// One page of GET /rest/api/3/issue/{issueIdOrKey}/comment: each comment's
// JSON text as Jira sent it, with its id.
struct CommentPage {
  std::vector<std::string> comments;
  std::vector<std::string> ids;  // comments[i]'s id
  int64_t total = 0;             // every comment of the issue, as Jira counts them now
};

struct JiraAccount {
  std::string account_id;
  std::string display_name;
  std::string time_zone;
};

// One entry of Jira's field list (GET /rest/api/3/field: FieldDetails).
struct JiraField {
  std::string id;    // "summary", "customfield_10016"
  std::string name;  // "Summary", "Story Points"
  bool custom = false;
};

// The one part that talks to Jira Cloud REST API v3. One call = one request
// (no retry inside: the caller owns the rate limit and backoff).
class JiraClient {
 public:
  virtual ~JiraClient() = default;
  virtual SearchPage search(const SearchRequest& request) = 0;
  virtual BulkFetchResult bulk_fetch(const std::vector<std::string>& ids_or_keys,
                                     const std::vector<std::string>& fields) = 0;
  virtual int64_t approximate_count(const std::string& jql) = 0;
  // Comments of an issue from offset `start_at`, at most `max_results`.
  virtual CommentPage comments(const std::string& issue_id_or_key, int64_t start_at,
                               int max_results) = 0;
  virtual JiraAccount myself() = 0;
  // Every field of the site, system and custom. Clients that never need it
  // (the fakes of tests about other things) keep this default, which refuses.
  virtual std::vector<JiraField> field_list() {
    throw std::logic_error("this Jira client does not read the field list");
  }
};

}  // namespace jirasync
