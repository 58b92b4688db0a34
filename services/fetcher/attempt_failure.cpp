#include "services/fetcher/attempt_failure.hpp"

#include "common/jira/jira_client.hpp"

namespace jirasync {
namespace {

bool is_authentication_failure(const std::exception& error) {
  const auto* jira = dynamic_cast<const JiraError*>(&error);
  return jira != nullptr && !jira->retryable() &&
         (jira->http_status() == 401 || jira->http_status() == 403);
}

}  // namespace

AttemptFailure attempt_failure(const std::exception& error, int attempt,
                               const RunRetryPolicy& policy, int64_t now_ms) {
  if (is_authentication_failure(error)) {
    return {std::string(error.what()) +
                "; not retried: check jira.email, JIRA_API_TOKEN and the account's access to "
                "the project (`jirasync check` tests the credentials)",
            std::nullopt};
  }
  return {error.what(), policy.next_attempt_ms(attempt, now_ms)};
}

}  // namespace jirasync
