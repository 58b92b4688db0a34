#include "services/fetcher/fetch_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_set>

#include "common/envelope/raw_record.hpp"
#include "common/jira/backoff.hpp"
#include "common/time/jira_time.hpp"
#include "services/fetcher/fetch_query.hpp"

namespace jirasync {
namespace {

constexpr int kBulkFetchChunk = 100;  // Jira's limit for /issue/bulkfetch

// Why the run failed, after the request's retries were used up.
class RunAttemptFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::vector<std::string> ids_of(std::vector<IssueText>& issues) {
  std::vector<std::string> ids;
  ids.reserve(issues.size());
  for (auto& issue : issues) {
    if (issue.id.empty()) throw RunAttemptFailed("sweep page holds an issue without a string id");
    ids.push_back(std::move(issue.id));
  }
  return ids;
}

}  // namespace

FetchRun::FetchRun(const SyncJob& job, FetchContext& ctx) : job_(job), ctx_(ctx) {}

template <typename Fn>
auto FetchRun::call(const char* what, Fn&& fn) -> decltype(fn()) {
  RetryHooks hooks;
  hooks.before_attempt = [&](int) {
    if (ctx_.stop.load()) throw FetchInterrupted();
    ctx_.rate_limit.acquire();
    ++stats_.api_calls;
  };
  hooks.before_wait = [&](const JiraError& e, int attempt, int64_t wait_ms) {
    // Every fetcher holds off until Jira's Retry-After has passed.
    if (e.retry_after_ms()) ctx_.rate_limit.block_for(*e.retry_after_ms());
    spdlog::warn("{} for run {} (attempt {}/{}): {}; retrying in {} ms", what, job_.run_id, attempt,
                 ctx_.jira.max_attempts, e.what(), wait_ms);
  };
  try {
    return call_with_backoff(ctx_.clock, RetryPolicy::from(ctx_.jira), fn, hooks, ctx_.jitter);
  } catch (const JiraError& e) {
    throw RunAttemptFailed(std::string(what) + " failed: " + e.what());
  }
}

bool FetchRun::execute() {
  const int64_t started = ctx_.clock.now_ms();
  try {
    int64_t expected = -1;
    if (job_.kind != JobKind::kRefresh) {
      const int64_t since = job_.kind == JobKind::kRefetch ? 0 : job_.since_ms;
      const std::string jql = updated_since_jql(job_.project, std::max<int64_t>(0, since));
      expected = call("approximate count", [&] { return ctx_.client.approximate_count(jql); });
    } else {
      expected = static_cast<int64_t>(job_.keys.size());
    }
    ctx_.runs.mark_running(job_.run_id, ctx_.clock.now_ms(), expected);

    switch (job_.kind) {
      case JobKind::kIncremental:
        fetch_updated_since(job_.since_ms);
        break;
      case JobKind::kFull:
        fetch_updated_since(job_.since_ms);
        sweep();
        break;
      case JobKind::kRefetch:
        fetch_updated_since(0);
        break;
      case JobKind::kRefresh:
        refresh();
        break;
    }
    ctx_.producer.flush(std::chrono::seconds(60));
    ctx_.runs.mark_fetch_complete(job_.run_id, emitted_, max_updated_ms_, stats_,
                                  ctx_.clock.now_ms());
    spdlog::info("run {} ({} {}) fetched: {} items emitted, {} API calls, {} ms", job_.run_id,
                 job_.project, to_string(job_.kind), emitted_, stats_.api_calls,
                 ctx_.clock.now_ms() - started);
    return true;
  } catch (const FetchInterrupted&) {
    throw;
  } catch (const std::exception& e) {
    const std::string reason = e.what();
    std::optional<int64_t> next;
    if (job_.attempt < ctx_.max_run_attempts) {
      next = ctx_.clock.now_ms() +
             ctx_.run_retry_base_ms * (int64_t{1} << std::min(job_.attempt - 1, 20));
    }
    spdlog::error("run {} ({}) attempt {}/{} failed: {}", job_.run_id, job_.project, job_.attempt,
                  ctx_.max_run_attempts, reason);
    ctx_.runs.mark_attempt_failed(job_.run_id, reason, ctx_.clock.now_ms(), next);
    return false;
  }
}

void FetchRun::fetch_updated_since(int64_t since_ms) {
  // Search results lag behind writes: start the window a little early and
  // let the content hash drop what we already have.
  const int64_t from = since_ms > 0 ? std::max<int64_t>(1, since_ms - ctx_.jira.overlap_ms) : 0;
  SearchRequest req;
  req.jql = updated_since_jql(job_.project, from);
  req.fields = {"*all"};
  req.max_results = ctx_.jira.page_size;
  std::unordered_set<std::string> tokens_seen;
  for (;;) {
    SearchPage page = call("search page", [&] { return ctx_.client.search(req); });
    ++stats_.pages;
    for (auto& issue : page.issues) emit_issue(issue);
    heartbeat();
    if (page.is_last || page.next_page_token.empty()) break;
    if (!tokens_seen.insert(page.next_page_token).second)
      throw RunAttemptFailed(
          "Jira returned the same nextPageToken twice; stopping to avoid a loop");
    req.next_page_token = page.next_page_token;
  }
}

void FetchRun::sweep() {
  // Ids only, up to 5000 a page; deletions are decided by the writer only
  // after the end marker, so a sweep that stops here deletes nothing.
  const int64_t started = ctx_.clock.now_ms();
  SearchRequest req;
  req.jql = sweep_jql(job_.project);
  req.fields = {"id"};
  req.max_results = ctx_.jira.sweep_page_size;
  int seq = 0;
  int64_t total = 0;
  std::unordered_set<std::string> tokens_seen;
  const std::string key = "sweep:" + job_.project;
  for (;;) {
    SearchPage page = call("sweep page", [&] { return ctx_.client.search(req); });
    ++stats_.pages;
    SweepChunk chunk{job_.run_id, job_.project, seq++, ids_of(page.issues)};
    total += static_cast<int64_t>(chunk.issue_ids.size());
    ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{chunk}));
    ++emitted_;
    heartbeat();
    if (page.is_last || page.next_page_token.empty()) break;
    if (!tokens_seen.insert(page.next_page_token).second)
      throw RunAttemptFailed("Jira returned the same nextPageToken twice during the sweep");
    req.next_page_token = page.next_page_token;
  }
  SweepEnd end{job_.run_id, job_.project, seq, total, started};
  ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{end}));
  ++emitted_;
}

void FetchRun::refresh() {
  for (size_t i = 0; i < job_.keys.size(); i += kBulkFetchChunk) {
    const auto end = std::min(job_.keys.size(), i + kBulkFetchChunk);
    std::vector<std::string> chunk(job_.keys.begin() + static_cast<std::ptrdiff_t>(i),
                                   job_.keys.begin() + static_cast<std::ptrdiff_t>(end));
    BulkFetchResult result =
        call("bulk fetch", [&] { return ctx_.client.bulk_fetch(chunk, {"*all"}); });
    ++stats_.pages;
    for (auto& issue : result.issues) emit_issue(issue);
    for (const auto& missing : result.missing)
      spdlog::warn("run {}: Jira has no issue {} (or it is not visible)", job_.run_id, missing);
    heartbeat();
  }
}

void FetchRun::emit_issue(IssueText& issue) {
  IssueSnapshot s;
  s.run_id = job_.run_id;
  s.project = job_.project;
  s.issue_id = std::move(issue.id);
  s.key = std::move(issue.key);
  if (!issue.updated.empty()) {
    try {
      s.updated_ms = parse_jira_time(issue.updated);
    } catch (const std::exception&) {
      s.updated_ms = 0;  // the reconciler rejects it with the reason
    }
  }
  s.fetched_ms = ctx_.clock.now_ms();
  s.issue_json = std::move(issue.json);
  s.unreadable = std::move(issue.unreadable);  // the reconciler dead-letters it by id
  // An issue without an id still travels, so the reconciler can dead-letter it
  // with the reason and count it on the run.
  const std::string key = s.issue_id.empty() ? "invalid:" + job_.run_id : s.issue_id;
  // A refresh of a few keys must not move the project cursor past issues
  // that no run has fetched yet.
  if (job_.kind != JobKind::kRefresh) max_updated_ms_ = std::max(max_updated_ms_, s.updated_ms);
  ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{std::move(s)}));
  ++emitted_;
  ++stats_.fetched;
}

void FetchRun::heartbeat() {
  ctx_.runs.heartbeat(job_.run_id, ctx_.clock.now_ms(), stats_);
}

}  // namespace jirasync
