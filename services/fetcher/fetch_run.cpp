#include "services/fetcher/fetch_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <future>
#include <random>
#include <unordered_set>

#include "common/envelope/raw_record.hpp"
#include "common/jira/backoff.hpp"
#include "common/time/jira_time.hpp"
#include "services/fetcher/attempt_failure.hpp"
#include "services/fetcher/comment_completion.hpp"
#include "services/fetcher/fetch_query.hpp"
#include "services/fetcher/listing_query.hpp"
#include "services/fetcher/sync_scope.hpp"

namespace jirasync {
namespace {

// Jira issue ids are decimal numbers; keys are PROJECT-N.
bool is_issue_id(const std::string& s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos;
}

constexpr int kBulkFetchChunk = 100;  // Jira's limit for /issue/bulkfetch

// Why the run failed, after the request's retries were used up.
class RunAttemptFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request in flight beside one that failed: not sent, the failure is the news.
class CallCancelled : public std::runtime_error {
 public:
  CallCancelled() : std::runtime_error("cancelled: another request of the run failed") {}
};

// More changed issues than this many search pages hold are listed by id and
// fetched by bulkfetch chunks in flight together.
constexpr int64_t kListedPages = 2;

std::vector<std::string> ids_of(std::vector<IssueText>& issues) {
  std::vector<std::string> ids;
  ids.reserve(issues.size());
  for (auto& issue : issues) {
    if (issue.id.empty()) throw RunAttemptFailed("sweep page holds an issue without a string id");
    ids.push_back(std::move(issue.id));
  }
  return ids;
}

// Names one execution's listing: a job delivered again lists anew, and the
// slices of the listing it abandoned must not count.
std::string new_listing_id(const SyncJob& job) {
  std::random_device random;
  const uint64_t bits = (static_cast<uint64_t>(random()) << 32) ^ random();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
  return std::to_string(job.attempt) + "-" + hex;
}

int64_t updated_ms_of(const IssueText& issue) {
  if (issue.updated.empty()) return 0;
  try {
    return parse_jira_time(issue.updated);
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

FetchRun::FetchRun(const SyncJob& job, FetchContext& ctx) : job_(job), ctx_(ctx) {}

template <typename Fn>
auto FetchRun::call(const char* what, Fn&& fn, InFlightSlots::Priority priority) -> decltype(fn()) {
  // One slot of the fetcher's concurrency for the whole request, retries included.
  InFlightSlots::Hold slot(ctx_.slots, priority);
  RetryHooks hooks;
  hooks.before_attempt = [&](int) {
    if (ctx_.stop.load()) throw FetchInterrupted();
    if (cancelled_.load()) throw CallCancelled();
    try {
      ctx_.rate_limit.acquire(&ctx_.stop);
    } catch (const RateWaitInterrupted&) {
      throw FetchInterrupted();
    }
    std::lock_guard lock(stats_mutex_);
    ++stats_.api_calls;
  };
  hooks.before_wait = [&](const JiraError& e, int attempt, int64_t wait_ms) {
    // Every fetcher holds off until Jira's Retry-After has passed.
    if (e.retry_after_ms()) ctx_.rate_limit.block_for(*e.retry_after_ms());
    if (e.http_status() == 429) {
      ctx_.rate_limit.refused();
      ctx_.rate_limit.record_wait(wait_ms);
    }
    spdlog::warn("{} for run {} (attempt {}/{}): {}; retrying in {} ms", what, job_.run_id, attempt,
                 ctx_.jira.max_attempts, e.what(), wait_ms);
  };
  try {
    return call_with_backoff(ctx_.clock, RetryPolicy::from(ctx_.jira), fn, hooks, ctx_.jitter);
  } catch (const JiraError& e) {
    throw JiraError(std::string(what) + " failed: " + e.what(), e.http_status(), e.retryable());
  }
}

template <typename Request, typename Consume>
void FetchRun::in_flight(size_t count, Request&& request, Consume&& consume) {
  using Result = decltype(request(size_t{0}));
  const size_t window = ctx_.workers ? std::min<size_t>(ctx_.workers->size(),
                                                        static_cast<size_t>(ctx_.jira.concurrency))
                                     : 1;
  if (window <= 1) {
    for (size_t i = 0; i < count; ++i) {
      Result result = request(i);
      consume(i, result);
    }
    return;
  }
  std::deque<std::future<Result>> pending;
  size_t next = 0;
  try {
    for (size_t done = 0; done < count; ++done) {
      while (next < count && pending.size() < window) {
        const size_t i = next++;
        pending.push_back(ctx_.workers->submit([&request, i] { return request(i); }));
      }
      Result result = pending.front().get();
      pending.pop_front();
      consume(done, result);
    }
  } catch (...) {
    // `request` lives in this frame: nothing may still run it when we leave.
    cancelled_ = true;
    for (auto& f : pending) {
      if (f.valid()) f.wait();  // the one whose get() threw is spent
    }
    cancelled_ = false;
    throw;
  }
}

void FetchRun::cap_cursor_at_listing(int64_t listing_sent_ms) {
  cursor_cap_ms_ = std::min(cursor_cap_ms_, listing_sent_ms);
}

bool FetchRun::execute() {
  const int64_t started = ctx_.clock.now_ms();
  try {
    if (slicing()) {
      // Before anything is emitted: what an earlier execution of this attempt
      // sliced (it crashed, and the job came again) stops counting.
      listing_ = new_listing_id(job_);
      ctx_.run_slices->open(job_.run_id, listing_, ctx_.clock.now_ms());
    }
    int64_t expected = -1;
    // A full sync with no cursor lists first; the listing counts it.
    const bool listed_full = job_.kind == JobKind::kFull && job_.since_ms <= 0;
    if (job_.kind != JobKind::kRefresh && !listed_full) {
      const int64_t since = job_.kind == JobKind::kRefetch ? 0 : job_.since_ms;
      const std::string jql = updated_since_jql(job_.project, std::max<int64_t>(0, since));
      expected = call(
          "approximate count", [&] { return ctx_.client.approximate_count(jql); },
          InFlightSlots::Priority::kListing);
    } else if (job_.kind == JobKind::kRefresh) {
      expected = static_cast<int64_t>(job_.keys.size());
    }
    ctx_.runs.mark_running(job_.run_id, ctx_.clock.now_ms(), expected);
    // Many changes go by id listing and bulkfetch chunks in flight together.
    const bool many = expected > kListedPages * ctx_.jira.page_size;

    switch (job_.kind) {
      case JobKind::kIncremental:
        if (many) {
          fetch_listed_since(job_.since_ms);
        } else {
          fetch_updated_since(job_.since_ms);
        }
        break;
      case JobKind::kFull:
        if (listed_full) {
          sweep(/*fetch_all=*/true);
          break;
        }
        if (many) {
          fetch_listed_since(job_.since_ms);
        } else {
          fetch_updated_since(job_.since_ms);
        }
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
    const int64_t cursor = std::min(max_updated_ms_, cursor_cap_ms_);
    if (slicing()) {
      // The slices' own issues come with their own `updated`: the cap holds them.
      ctx_.run_slices->close(job_.run_id, listing_, slices_published_,
                             cursor_cap_ms_ == INT64_MAX ? INT64_MAX : cursor_cap_ms_);
    }
    ctx_.runs.mark_fetch_complete(job_.run_id, emitted_, cursor, stats_, ctx_.clock.now_ms());
    spdlog::info(
        "run {} ({} {}) fetched: {} items emitted, {} slices published, {} API calls, "
        "{} ms",
        job_.run_id, job_.project, to_string(job_.kind), emitted_, slices_published_,
        stats_.api_calls, ctx_.clock.now_ms() - started);
    return true;
  } catch (const FetchInterrupted&) {
    throw;
  } catch (const std::exception& e) {
    heartbeat();  // the requests Jira answered count, failed attempt or not
    const int64_t now = ctx_.clock.now_ms();
    const AttemptFailure failure =
        attempt_failure(e, job_.attempt, {ctx_.max_run_attempts, ctx_.run_retry_base_ms}, now);
    spdlog::error("run {} ({}) attempt {}/{} failed: {}", job_.run_id, job_.project, job_.attempt,
                  ctx_.max_run_attempts, failure.reason);
    ctx_.runs.mark_attempt_failed(job_.run_id, failure.reason, now, failure.next_attempt_ms);
    return false;
  }
}

void FetchRun::fetch_updated_since(int64_t since_ms) {
  // Search results lag behind writes: start the window a little early and
  // let the content hash drop what we already have.
  const int64_t from = since_ms > 0 ? std::max<int64_t>(1, since_ms - ctx_.jira.overlap_ms) : 0;
  SearchRequest req;
  req.fields = {"*all"};
  req.max_results = ctx_.jira.page_size;
  // Each page is a fresh query from the newest `updated` read so far, so an
  // issue edited meanwhile (it jumps to the end) shifts nothing we still have
  // to read. Issues at exactly that instant come again and are dropped by id.
  int64_t anchor = from;
  std::unordered_set<std::string> at_anchor;  // ids read whose `updated` is the anchor
  std::unordered_set<std::string> tokens_seen;
  req.jql = updated_since_jql(job_.project, anchor);
  for (;;) {
    SearchPage page = call(
        "search page", [&] { return ctx_.client.search(req); }, InFlightSlots::Priority::kListing);
    ++stats_.pages;
    const int64_t anchor_before = anchor;
    for (auto& issue : page.issues) {
      const int64_t updated = updated_ms_of(issue);
      if (updated == anchor && !issue.id.empty() && at_anchor.count(issue.id)) continue;
      if (updated > anchor) {
        anchor = updated;
        at_anchor.clear();
      }
      if (updated == anchor && !issue.id.empty()) at_anchor.insert(issue.id);
      emit_issue(issue, updated, /*moves_cursor=*/true);
    }
    heartbeat();
    if (page.is_last || page.next_page_token.empty()) break;
    if (anchor > anchor_before) {
      req.jql = updated_since_jql(job_.project, anchor);
      req.next_page_token.clear();
      continue;
    }
    // The whole page shares one instant: more issues do than a page holds,
    // and only the token goes on within it until `updated` moves again.
    if (!tokens_seen.insert(page.next_page_token).second)
      throw RunAttemptFailed(
          "Jira returned the same nextPageToken twice; stopping to avoid a loop");
    req.next_page_token = page.next_page_token;
  }
}

void FetchRun::sweep(bool fetch_all) {
  // Ids only, up to 5000 a page; deletions are decided by the writer only
  // after the end marker, so a sweep that stops here deletes nothing.
  const int64_t started = ctx_.clock.now_ms();
  SearchRequest req;
  req.fields = {"key"};  // the anchor of the next page
  req.max_results = ctx_.jira.sweep_page_size;
  int seq = 0;
  int64_t total = 0;
  std::vector<std::string> listed;
  std::string after;
  const std::string key = "sweep:" + job_.project;
  int64_t last_sent_ms = 0;
  for (;;) {
    req.jql = sweep_jql(job_.project, after);
    last_sent_ms = ctx_.clock.now_ms();
    SearchPage page = call(
        "sweep page", [&] { return ctx_.client.search(req); }, InFlightSlots::Priority::kListing);
    ++stats_.pages;
    const std::string last_key = page.issues.empty() ? std::string() : page.issues.back().key;
    SweepChunk chunk{job_.run_id, job_.project, seq++, ids_of(page.issues)};
    total += static_cast<int64_t>(chunk.issue_ids.size());
    listed.insert(listed.end(), chunk.issue_ids.begin(), chunk.issue_ids.end());
    // Every fetcher fetches this page's issues while the next page is listed.
    if (fetch_all && slicing()) {
      cap_cursor_at_listing(last_sent_ms);
      publish_slices(chunk.issue_ids);
    }
    ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{chunk}));
    ++emitted_;
    heartbeat();
    if (page.is_last || page.next_page_token.empty()) break;
    // An incomplete listing must fail: the ids it left out would be deleted.
    if (last_key.empty())
      throw RunAttemptFailed("sweep page that is not the last ends without an issue key");
    if (last_key == after) throw RunAttemptFailed("sweep made no progress after key " + after);
    after = last_key;
  }
  // The cache both ways round: what Jira has and the cache lacks is fetched,
  // what the cache has and the sweep did not list is asked about.
  const std::vector<std::string> cached =
      ctx_.cached_ids ? ctx_.cached_ids->live_ids(job_.project) : std::vector<std::string>{};
  if (fetch_all) {
    ctx_.runs.mark_running(job_.run_id, ctx_.clock.now_ms(), total);
    cap_cursor_at_listing(last_sent_ms);
    if (!slicing()) fetch_listed(listed);
  } else {
    fetch_missing(listed, cached);
  }
  // Ids Jira still has though the sweep did not list them (moved to another
  // project) travel as one more chunk on this partition, so the end marker
  // that follows never deletes them, whatever order their snapshots land in.
  std::vector<std::string> still_exist = verify_unlisted(listed, cached);
  if (!still_exist.empty()) {
    SweepChunk chunk{job_.run_id, job_.project, seq++, std::move(still_exist)};
    chunk.out_of_scope = !sync_scope_of(job_.project).empty();  // not listed: outside the scope
    total += static_cast<int64_t>(chunk.issue_ids.size());
    ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{chunk}));
    ++emitted_;
  }
  SweepEnd end{job_.run_id, job_.project, seq, total, started};
  ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{end}));
  ++emitted_;
}

void FetchRun::fetch_listed(const std::vector<std::string>& listed) {
  std::vector<std::string> wanted;
  wanted.reserve(listed.size());
  std::unordered_set<std::string> queued;
  for (const std::string& id : listed) {
    if (emitted_updated_.count(id) || !queued.insert(id).second) continue;
    wanted.push_back(id);
  }
  spdlog::info("run {}: fetching {} listed issues of {} by bulkfetch, up to {} requests in flight",
               job_.run_id, wanted.size(), job_.project, ctx_.workers ? ctx_.jira.concurrency : 1);
  // Cursor material: every issue of the project is in this run (capped at the listing).
  fetch_until_complete(bulk_fetch(wanted, /*moves_cursor=*/true), /*moves_cursor=*/true);
}

void FetchRun::fetch_until_complete(std::vector<std::string> errors, bool moves_cursor) {
  // issueErrors are retriable failures of single issues: asked again, and a
  // run that still lacks them fails rather than pass with holes in the cache.
  for (int round = 1; !errors.empty(); ++round) {
    if (round >= ctx_.jira.max_attempts) {
      throw RunAttemptFailed(std::to_string(errors.size()) +
                             " listed issues could not be fetched (Jira reported issueErrors "
                             "for them), e.g. " +
                             errors.front());
    }
    spdlog::info("run {}: asking again for {} issues Jira reported in issueErrors", job_.run_id,
                 errors.size());
    ctx_.clock.sleep_ms(ctx_.jira.backoff_base_ms);
    errors = bulk_fetch(errors, moves_cursor);
  }
}

void FetchRun::publish_slices(const std::vector<std::string>& ids) {
  std::vector<std::string> fresh;
  fresh.reserve(ids.size());
  for (const std::string& id : ids) {
    if (!emitted_updated_.count(id) && sliced_.insert(id).second) fresh.push_back(id);
  }
  for (size_t i = 0; i < fresh.size(); i += kBulkFetchChunk) {
    const auto end = std::min(fresh.size(), i + kBulkFetchChunk);
    FetchSlice slice{job_.run_id,
                     job_.project,
                     job_.attempt,
                     listing_,
                     slices_published_,
                     {fresh.begin() + static_cast<std::ptrdiff_t>(i),
                      fresh.begin() + static_cast<std::ptrdiff_t>(end)},
                     /*moves_cursor=*/true};
    ctx_.producer.produce(ctx_.slice_topic, slice_key(slice), encode(slice));
    ++slices_published_;
  }
  heartbeat();
}

SliceOutcome FetchRun::fetch_slice(const FetchSlice& slice) {
  slice_mode_ = true;
  fetch_until_complete(bulk_fetch(slice.ids, slice.moves_cursor), slice.moves_cursor);
  SliceOutcome outcome;
  outcome.emitted = emitted_;
  outcome.fetched = stats_.fetched;
  outcome.api_calls = stats_.api_calls;
  outcome.max_updated_ms = max_updated_ms_;
  return outcome;
}

void FetchRun::fetch_listed_since(int64_t since_ms) {
  const int64_t from = since_ms > 0 ? std::max<int64_t>(1, since_ms - ctx_.jira.overlap_ms) : 0;
  SearchRequest req;
  req.fields = {"key"};  // the anchor of the next page
  req.max_results = ctx_.jira.sweep_page_size;
  std::vector<std::string> listed;
  std::string after;
  int64_t last_sent_ms = 0;
  // Keyset on key within `updated >= from`: an issue edited meanwhile stays in
  // the set, a new one comes at the end, a deletion shifts nothing.
  for (;;) {
    req.jql = changed_listing_jql(job_.project, from, after);
    last_sent_ms = ctx_.clock.now_ms();
    SearchPage page = call(
        "listing page", [&] { return ctx_.client.search(req); }, InFlightSlots::Priority::kListing);
    ++stats_.pages;
    const std::string last_key = page.issues.empty() ? std::string() : page.issues.back().key;
    std::vector<std::string> ids = ids_of(page.issues);
    if (slicing()) {
      cap_cursor_at_listing(last_sent_ms);
      publish_slices(ids);
    }
    listed.insert(listed.end(), ids.begin(), ids.end());
    heartbeat();
    if (page.is_last || page.next_page_token.empty()) break;
    if (last_key.empty())
      throw RunAttemptFailed("listing page that is not the last ends without an issue key");
    if (last_key == after) throw RunAttemptFailed("listing made no progress after key " + after);
    after = last_key;
  }
  cap_cursor_at_listing(last_sent_ms);
  if (!slicing()) fetch_listed(listed);
}

void FetchRun::fetch_missing(const std::vector<std::string>& jira_ids,
                             const std::vector<std::string>& cached) {
  if (!ctx_.cached_ids) return;
  const std::unordered_set<std::string> have(cached.begin(), cached.end());
  std::unordered_set<std::string> queued;
  std::vector<std::string> missing;
  for (const std::string& id : jira_ids) {
    if (have.count(id) || emitted_updated_.count(id) || sliced_.count(id) ||
        !queued.insert(id).second)
      continue;
    missing.push_back(id);
  }
  if (missing.empty()) return;
  spdlog::info(
      "run {}: {} issues of {} are in Jira but neither in the cache nor fetched yet; "
      "fetching them",
      job_.run_id, missing.size(), job_.project);
  // Not cursor material: they were not read in `updated` order.
  bulk_fetch(missing, /*moves_cursor=*/false);
}

std::vector<std::string> FetchRun::verify_unlisted(const std::vector<std::string>& jira_ids,
                                                   const std::vector<std::string>& cached) {
  if (!ctx_.cached_ids) return {};
  const std::unordered_set<std::string> listed(jira_ids.begin(), jira_ids.end());
  std::vector<std::string> unlisted;
  for (const std::string& id : cached) {
    if (!listed.count(id)) unlisted.push_back(id);
  }
  // A sweep that would delete nothing asks Jira nothing more.
  if (unlisted.empty()) return {};
  std::sort(unlisted.begin(), unlisted.end());
  unlisted.erase(std::unique(unlisted.begin(), unlisted.end()), unlisted.end());
  std::vector<std::string> returned;
  bulk_fetch(unlisted, /*moves_cursor=*/false, &returned);
  // What Jira returns exists (a move: the reconciler moves it by its
  // snapshot); what it omits, or reports an error for, the sweep deletes.
  std::unordered_set<std::string> exist(returned.begin(), returned.end());
  std::vector<std::string> still_exist;
  for (const std::string& id : unlisted) {
    if (exist.count(id)) still_exist.push_back(id);
  }
  if (!still_exist.empty()) {
    spdlog::info(
        "run {}: {} issues of {} were not listed by the sweep but Jira still has them "
        "(moved); not deleting them",
        job_.run_id, still_exist.size(), job_.project);
  }
  return still_exist;
}

void FetchRun::refresh() {
  // A refresh of a few keys must not move the project cursor past issues
  // that no run has fetched yet.
  const std::vector<std::string> errors = bulk_fetch(job_.keys, /*moves_cursor=*/false);
  // An id asked for (a webhook's issue_deleted queues the id) that Jira
  // neither returned nor reported an error for is gone: that is the deletion
  // verified. A key proves nothing: it may be the old key of a moved issue.
  const std::unordered_set<std::string> unsure(errors.begin(), errors.end());
  for (const std::string& asked : job_.keys) {
    if (!is_issue_id(asked) || emitted_updated_.count(asked) || unsure.count(asked)) continue;
    spdlog::info("run {}: issue {} of {} is gone from Jira; deleting it from the cache",
                 job_.run_id, asked, job_.project);
    const IssueGone gone{job_.run_id, job_.project, asked};
    ctx_.producer.produce(ctx_.raw_topic, asked, encode(RawRecord{gone}));
    ++emitted_;
  }
}

std::vector<std::string> FetchRun::bulk_fetch(const std::vector<std::string>& ids_or_keys,
                                              bool moves_cursor,
                                              std::vector<std::string>* returned_ids) {
  std::vector<std::string> errors;
  std::vector<std::vector<std::string>> chunks;
  for (size_t i = 0; i < ids_or_keys.size(); i += kBulkFetchChunk) {
    const auto end = std::min(ids_or_keys.size(), i + kBulkFetchChunk);
    chunks.emplace_back(ids_or_keys.begin() + static_cast<std::ptrdiff_t>(i),
                        ids_or_keys.begin() + static_cast<std::ptrdiff_t>(end));
  }
  // Chunks are independent: several in flight, their issues emitted in order here.
  in_flight(
      chunks.size(),
      [&](size_t i) {
        BulkFetchResult result =
            call("bulk fetch", [&] { return ctx_.client.bulk_fetch(chunks[i], {"*all"}); });
        // Comments Jira left out are paged here, on the chunk's worker, so
        // they are in flight with the other chunks rather than one by one
        // on the emitting thread (emit_issue then finds the list complete).
        for (auto& issue : result.issues) complete_issue_comments(issue);
        return result;
      },
      [&](size_t, BulkFetchResult& result) {
        ++stats_.pages;
        for (auto& issue : result.issues) {
          if (returned_ids && !issue.id.empty()) returned_ids->push_back(issue.id);
          emit_issue(issue, updated_ms_of(issue), moves_cursor);
        }
        for (auto& missing : result.missing) {
          spdlog::warn("run {}: Jira has no issue {} (or it is not visible)", job_.run_id, missing);
          errors.push_back(std::move(missing));
        }
        heartbeat();
      });
  return errors;
}

bool FetchRun::emit_issue(IssueText& issue, int64_t updated_ms, bool moves_cursor) {
  // A slice of this run fetches it (on whichever fetcher): one emission, so
  // the run's count of items matches what the writer applies.
  if (!issue.id.empty() && sliced_.count(issue.id)) return false;
  if (!issue.id.empty()) {
    auto [it, first] = emitted_updated_.try_emplace(issue.id, updated_ms);
    if (!first) {
      if (updated_ms <= it->second) return false;
      it->second = updated_ms;
    }
  }
  // Comments Jira left out of the page, fetched before the issue travels.
  complete_issue_comments(issue);
  IssueSnapshot s;
  s.run_id = job_.run_id;
  s.project = job_.project;
  s.issue_id = std::move(issue.id);
  s.key = std::move(issue.key);
  s.updated_ms = updated_ms;  // 0 when unreadable: the reconciler rejects it with the reason
  s.fetched_ms = ctx_.clock.now_ms();
  s.issue_json = std::move(issue.json);
  s.unreadable = std::move(issue.unreadable);  // the reconciler dead-letters it by id
  // An issue without an id still travels, so the reconciler can dead-letter it
  // with the reason and count it on the run.
  const std::string key = s.issue_id.empty() ? "invalid:" + job_.run_id : s.issue_id;
  if (moves_cursor) max_updated_ms_ = std::max(max_updated_ms_, s.updated_ms);
  ctx_.producer.produce(ctx_.raw_topic, key, encode(RawRecord{std::move(s)}));
  ++emitted_;
  ++stats_.fetched;
  return true;
}

void FetchRun::complete_issue_comments(IssueText& issue) {
  complete_comments(issue, [&](int64_t start_at) {
    return call("comment page",
                [&] { return ctx_.client.comments(issue.id, start_at, kCommentPageSize); });
  });
}

void FetchRun::heartbeat() {
  // A slice does not own the run's counters; its completion keeps the lease.
  if (slice_mode_) return;
  RunStats stats;
  {
    std::lock_guard lock(stats_mutex_);
    stats = stats_;
  }
  ctx_.runs.heartbeat(job_.run_id, ctx_.clock.now_ms(), stats);
}

}  // namespace jirasync
