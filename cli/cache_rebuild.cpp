#include "cli/cache_rebuild.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <variant>

#include "cli/finish_together.hpp"
#include "cli/rebuild_shards.hpp"
#include "common/hash/content_hash.hpp"
#include "services/reconciler/raw_record_decoding.hpp"

namespace jirasync {

namespace {

// Rows deleted by one replayed sweep per transaction.
constexpr size_t kSweepBatch = 1000;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CacheRebuild::CacheRebuild(const Config& config, std::vector<std::shared_ptr<Database>> connections,
                           Clock& clock)
    : clock_(clock),
      limits_(parse_limits(config)),
      decode_threads_(std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4)) {
  if (connections.empty()) throw std::invalid_argument("connections: at least one is needed");
  for (auto& db : connections) stores_.push_back(std::make_unique<SqlCacheRebuild>(std::move(db)));
}

PreparedBatch CacheRebuild::prepare(const std::vector<BusMessage>& records) {
  const int64_t started = steady_ms();
  // Decoding and hashing are pure and most of a replay's CPU: spread over the cores.
  struct Decoded {
    DecodedRawRecord raw;
    IssueHashes hashes;
  };
  std::vector<Decoded> decoded(records.size());
  auto decode_range = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      decoded[i].raw = decode_raw_record_value(records[i].value, limits_);
      if (const auto& issue = decoded[i].raw.issue) {
        decoded[i].hashes = {content_hash(*issue), significant_hash(*issue)};
      }
    }
  };
  const size_t workers = records.size() >= 64 ? decode_threads_ : 1;
  const size_t per = (records.size() + workers - 1) / workers;
  std::vector<std::future<void>> helpers;
  for (size_t w = 1; w < workers; ++w) {
    helpers.push_back(std::async(std::launch::async, decode_range,
                                 std::min(records.size(), w * per),
                                 std::min(records.size(), (w + 1) * per)));
  }
  decode_range(0, std::min(records.size(), per));
  for (auto& h : helpers) h.get();

  PreparedBatch out;
  out.shards.resize(stores_.size());
  auto add = [&](PreparedBatch::Item item, const std::string& id) {
    out.shards[rebuild_shard(id, stores_.size())].push_back(std::move(item));
  };
  for (Decoded& d : decoded) {
    ++counts_.records;
    DecodedRawRecord& raw = d.raw;
    if (!raw.record) {
      ++counts_.unreadable;
      continue;
    }
    if (const auto* chunk = std::get_if<SweepChunk>(&*raw.record)) {
      ++counts_.sweep_records;
      read_chunk(*chunk);
    } else if (const auto* end = std::get_if<SweepEnd>(&*raw.record)) {
      ++counts_.sweep_records;
      read_end(*end);
    } else if (const auto* gone = std::get_if<IssueGone>(&*raw.record)) {
      PreparedBatch::Item item;
      item.gone_id = gone->issue_id;
      item.gone_project = gone->project;
      seen_alive_ms_.erase(gone->issue_id);
      add(std::move(item), gone->issue_id);
    } else if (!raw.issue) {
      // The reconciler dead-lettered it when it first read it; nothing to rebuild.
      ++counts_.unreadable;
    } else {
      PreparedBatch::Item item;
      item.snapshot = std::get<IssueSnapshot>(std::move(*raw.record));
      item.issue = std::move(*raw.issue);
      item.hashes = std::move(d.hashes);
      int64_t& seen = seen_alive_ms_[item.issue.id];
      seen = std::max(seen, item.snapshot.fetched_ms);
      projects_.insert(item.issue.project_key.empty() ? item.snapshot.project
                                                      : item.issue.project_key);
      const std::string id = item.issue.id;
      add(std::move(item), id);
    }
  }
  counts_.decode_ms += steady_ms() - started;
  return out;
}

void CacheRebuild::apply(PreparedBatch&& batch) {
  std::vector<ReplayCounts> parts(stores_.size());
  std::vector<std::future<void>> others;
  for (size_t i = 1; i < stores_.size(); ++i) {
    if (batch.shards[i].empty()) continue;
    others.push_back(std::async(std::launch::async, [this, &batch, &parts, i] {
      apply_shard(*stores_[i], batch.shards[i], parts[i]);
    }));
  }
  // What the shards that succeeded wrote is counted before a failure goes on.
  std::exception_ptr failed;
  try {
    finish_together(
        [&] {
          if (!batch.shards.empty()) apply_shard(*stores_[0], batch.shards[0], parts[0]);
        },
        others);
  } catch (...) {
    failed = std::current_exception();
  }
  int64_t reconcile_ms = 0, write_ms = 0;
  for (const ReplayCounts& p : parts) {
    counts_.inserted += p.inserted;
    counts_.changed += p.changed;
    counts_.rewritten += p.rewritten;
    counts_.older += p.older;
    counts_.kept_deleted += p.kept_deleted;
    counts_.gone += p.gone;
    counts_.rows_written += p.rows_written;
    // The parts run at once: the batch took as long as the slowest.
    reconcile_ms = std::max(reconcile_ms, p.reconcile_ms);
    write_ms = std::max(write_ms, p.write_ms);
  }
  counts_.reconcile_ms += reconcile_ms;
  counts_.write_ms += write_ms;
  if (failed) std::rethrow_exception(failed);
}

void CacheRebuild::apply_shard(SqlCacheRebuild& store, std::vector<PreparedBatch::Item>& items,
                               ReplayCounts& counts) {
  if (items.empty()) return;
  const int64_t started = steady_ms();
  std::vector<std::string> ids;
  for (const auto& item : items) {
    ids.push_back(item.gone_id.empty() ? item.issue.id : item.gone_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::map<std::string, CachedTicket> cached = store.load_compared(ids);

  // No local edits and no policy: a rebuild settles no conflict.
  static const ConflictPolicy kNoPolicy;
  const int64_t now = clock_.now_ms();
  std::vector<Decision> decisions;
  decisions.reserve(items.size());
  for (auto& item : items) {
    if (!item.gone_id.empty()) {
      Decision d;
      d.project = item.gone_project;
      d.kind = DecisionKind::kDelete;
      d.issue_id = item.gone_id;
      ++counts.gone;
      if (auto it = cached.find(item.gone_id); it != cached.end()) it->second.deleted = true;
      decisions.push_back(std::move(d));
      continue;
    }
    std::optional<CachedTicket> row;
    if (auto it = cached.find(item.issue.id); it != cached.end()) row = it->second;
    const int64_t updated_ms = item.issue.updated_ms;
    if (row && updated_ms < row->updated_ms) {
      ++counts.older;  // the writer's rule too: older never overwrites newer
      continue;
    }
    // A later snapshot of the same ticket in this batch compares with this one.
    CachedTicket next;
    next.id = item.issue.id;
    next.key = item.issue.key;
    next.content_hash = item.hashes.content;
    next.significant_hash = item.hashes.significant;
    next.updated_ms = updated_ms;
    next.deleted = row && row->deleted && row->updated_ms >= updated_ms;
    // The issue is used once: it moves into the decision (a copy of every
    // issue was a tenth of the replay's CPU).
    Decision d = decide(item.snapshot, std::move(item.issue), item.hashes, row, {}, kNoPolicy, now);
    d.run_id.clear();  // counted on no run: the runs that fetched it counted it then
    if (d.kind == DecisionKind::kSkip) {
      // Unchanged by hash: rewritten all the same, so derived columns a
      // migration added are filled from the snapshot. (A touch carries it already.)
      d.kind = DecisionKind::kUpdate;
      if (!d.issue) d.issue = std::move(item.issue);
      ++counts.rewritten;
    } else if (!row) {
      ++counts.inserted;
    } else if (row->deleted && row->updated_ms >= updated_ms) {
      ++counts.kept_deleted;
    } else {
      ++counts.changed;
    }
    cached[next.id] = std::move(next);
    decisions.push_back(std::move(d));
  }
  const int64_t decided = steady_ms();
  counts.reconcile_ms += decided - started;
  if (!decisions.empty()) counts.rows_written += store.apply(decisions, now);
  counts.write_ms += steady_ms() - decided;
}

void CacheRebuild::read_chunk(const SweepChunk& chunk) {
  Sweep& sweep = reading_[chunk.project];
  // One sweep per project at a time (the run lease): another run's chunk
  // means the one before never ended.
  if (sweep.run_id != chunk.run_id) sweep = Sweep{chunk.run_id, 0, {}, {}};
  sweep.seqs.insert(chunk.seq);
  sweep.ids.insert(chunk.issue_ids.begin(), chunk.issue_ids.end());
}

void CacheRebuild::read_end(const SweepEnd& end) {
  auto it = reading_.find(end.project);
  const bool ours = it != reading_.end() && it->second.run_id == end.run_id;
  // Complete as the writer counts it: every chunk 0..chunks-1 was read.
  bool complete = end.chunks == 0 ||
                  (ours && static_cast<int>(it->second.seqs.size()) >= end.chunks &&
                   *it->second.seqs.rbegin() == end.chunks - 1 && *it->second.seqs.begin() == 0);
  if (complete) {
    Sweep sweep = ours ? std::move(it->second) : Sweep{end.run_id, 0, {}, {}};
    sweep.started_ms = end.started_ms;
    auto& latest = complete_[end.project];
    if (latest.run_id.empty() || latest.started_ms <= sweep.started_ms) latest = std::move(sweep);
  }
  if (ours) reading_.erase(it);
}

void CacheRebuild::apply_sweeps() {
  for (const auto& [project, sweep] : complete_) {
    std::vector<std::string> gone;
    for (const std::string& id :
         stores_.front()->live_ids_created_before(project, sweep.started_ms)) {
      if (sweep.ids.count(id)) continue;
      // Only tickets the topic showed, and none seen alive after the sweep began.
      auto seen = seen_alive_ms_.find(id);
      if (seen == seen_alive_ms_.end() || seen->second >= sweep.started_ms) continue;
      gone.push_back(id);
    }
    for (size_t i = 0; i < gone.size(); i += kSweepBatch) {
      Decision d;
      d.project = project;
      d.kind = DecisionKind::kDelete;
      d.issue_ids.assign(
          gone.begin() + static_cast<std::ptrdiff_t>(i),
          gone.begin() + static_cast<std::ptrdiff_t>(std::min(gone.size(), i + kSweepBatch)));
      const int64_t written = stores_.front()->apply({d}, clock_.now_ms());
      counts_.swept += written;
      counts_.rows_written += written;
    }
  }
}

std::vector<std::string> CacheRebuild::projects_without_sweep() const {
  std::vector<std::string> out;
  for (const auto& p : projects_) {
    if (!complete_.count(p)) out.push_back(p);
  }
  return out;
}

}  // namespace jirasync
