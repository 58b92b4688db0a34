#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "common/jira/jira_client.hpp"

namespace jirasync::fakes {

// A scripted JiraClient: each call pops the next scripted answer (or throws it).
// bulk_fetch may be called from several threads at once (requests in flight):
// it records under a lock and tracks the most calls seen at one time.
class FakeJiraClient final : public JiraClient {
 public:
  using SearchAnswer = std::function<SearchPage(const SearchRequest&)>;
  std::deque<SearchAnswer> search_answers;
  std::vector<SearchRequest> search_requests;
  std::function<BulkFetchResult(const std::vector<std::string>&)> bulk_answer;
  std::vector<std::vector<std::string>> bulk_requests;
  std::vector<std::string> count_requests;
  int64_t count = 0;
  std::deque<JiraError> count_errors;  // thrown, in order, before `count` is answered

  SearchPage search(const SearchRequest& r) override {
    search_requests.push_back(r);
    if (search_answers.empty()) throw JiraError("no scripted search answer left", 500, false);
    auto answer = std::move(search_answers.front());
    search_answers.pop_front();
    return answer(r);
  }
  std::function<void()> while_bulk_fetching;  // runs outside the lock, e.g. to wait
  int bulk_in_flight_peak = 0;

  BulkFetchResult bulk_fetch(const std::vector<std::string>& ids,
                             const std::vector<std::string>&) override {
    {
      std::lock_guard lock(mutex_);
      bulk_requests.push_back(ids);
      bulk_in_flight_peak = std::max(bulk_in_flight_peak, ++bulk_in_flight_);
    }
    if (while_bulk_fetching) while_bulk_fetching();
    std::lock_guard lock(mutex_);
    --bulk_in_flight_;
    return bulk_answer(ids);
  }
  int64_t approximate_count(const std::string& jql) override {
    count_requests.push_back(jql);
    if (!count_errors.empty()) {
      const JiraError error = count_errors.front();
      count_errors.pop_front();
      throw error;
    }
    return count;
  }
  // issue id -> its comment pages' source; unanswered issues have none.
  std::function<CommentPage(const std::string&, int64_t, int)> comment_answer;
  std::vector<std::pair<std::string, int64_t>> comment_requests;  // (issue, startAt)
  std::function<void()> while_paging_comments;  // runs outside the lock, e.g. to wait
  int comment_in_flight_peak = 0;
  CommentPage comments(const std::string& issue, int64_t start_at, int max_results) override {
    {
      std::lock_guard lock(mutex_);
      comment_requests.emplace_back(issue, start_at);
      comment_in_flight_peak = std::max(comment_in_flight_peak, ++comment_in_flight_);
    }
    if (while_paging_comments) while_paging_comments();
    std::lock_guard lock(mutex_);
    --comment_in_flight_;
    if (!comment_answer) throw JiraError("no scripted comment answer", 500, false);
    return comment_answer(issue, start_at, max_results);
  }
  JiraAccount myself() override { return {"acc-1", "Test User", "UTC"}; }

 private:
  std::mutex mutex_;
  int bulk_in_flight_ = 0;
  int comment_in_flight_ = 0;
};

}  // namespace jirasync::fakes
