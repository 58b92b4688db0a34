#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/model/issue_parser.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_cache_rebuild.hpp"
#include "services/reconciler/reconcile_rule.hpp"

namespace jirasync {

// What one replay did, counted per record read.
struct ReplayCounts {
  int64_t records = 0;       // read from issues.raw
  int64_t inserted = 0;      // snapshots of tickets the cache lacked
  int64_t changed = 0;       // snapshots newer in content than the cached row
  int64_t rewritten = 0;     // the same content: the row rewritten (new columns filled)
  int64_t older = 0;         // the cache holds something newer: left alone
  int64_t kept_deleted = 0;  // snapshots of tickets deleted since: rewritten, still deleted
  int64_t gone = 0;          // verified deletions (IssueGone) replayed
  int64_t swept = 0;         // tickets a replayed sweep found gone
  int64_t unreadable = 0;    // dead-lettered when first decided; skipped again
  int64_t sweep_records = 0;
  int64_t rows_written = 0;
  // Where the time went (ms): decoding runs while the previous batch is
  // reconciled and written.
  int64_t decode_ms = 0;
  int64_t reconcile_ms = 0;  // reading the cached rows and deciding
  int64_t write_ms = 0;      // the rebuild transactions
};

// One batch of records, decoded and hashed, ready to reconcile and apply:
// split by the connection that writes them (rebuild_shards.hpp), each part in
// topic order.
struct PreparedBatch {
  struct Item {
    IssueSnapshot snapshot;  // issue_json empty: `issue` is the parsed form
    JiraIssue issue;
    IssueHashes hashes;
    std::string gone_id;  // set for a verified deletion (then the rest is empty)
    std::string gone_project;
  };
  std::vector<std::vector<Item>> shards;
};

// Rebuilds the derived rows of the cache from `issues.raw` records with the
// reconciler's own decoding and reconcile rule (decide()) and the writer's
// apply path in its rebuild mode (SqlCacheRebuild). Two stages, so they can
// overlap: prepare() decodes and hashes (no database), apply() reconciles
// against the cache and writes one transaction; then apply_sweeps() once
// every record was read.
//
// Local edits play no part: a replay settles no conflict and drops no edit.
// On several connections (PostgreSQL), apply() writes the parts of a batch at
// once, one transaction each: the server's work (index and text search
// upkeep) is most of a rebuild's CPU.
//
// Sweeps: the latest complete sweep of each project on the topic deletes the
// tickets it did not list, as its run did, unless a snapshot read after it
// started shows the ticket alive. A compacted topic keeps only the last
// record of each `sweep:<project>` key, so there may be none.
class CacheRebuild {
 public:
  // `connections`: at least one; the first also reads counts and sweeps.
  CacheRebuild(const Config& config, std::vector<std::shared_ptr<Database>> connections,
               Clock& clock);

  // Stage 1 (no database): decode, validate, hash (on up to 4 threads);
  // records sweeps and the time each ticket was last seen alive. Call in
  // topic order.
  PreparedBatch prepare(const std::vector<BusMessage>& records);
  // Stage 2: reconcile against the cache and write the batch (one
  // transaction per connection). Its issues move into the decisions.
  void apply(PreparedBatch&& batch);
  // After the last apply(): each project's latest complete sweep.
  void apply_sweeps();

  const ReplayCounts& counts() const { return counts_; }
  // Projects with snapshots on the topic but no complete sweep there.
  std::vector<std::string> projects_without_sweep() const;
  // Tickets in the cache, deleted ones included.
  int64_t ticket_count() { return stores_.front()->ticket_count(); }
  // Before the first apply(): SqlCacheRebuild::clear_lists_of_absent_tickets().
  int64_t clear_lists_of_absent_tickets() {
    return stores_.front()->clear_lists_of_absent_tickets();
  }
  // Between two apply() calls.
  void refresh_statistics() { stores_.front()->refresh_statistics(); }

 private:
  struct Sweep {
    std::string run_id;
    int64_t started_ms = 0;
    std::set<int> seqs;
    std::unordered_set<std::string> ids;
  };
  // One connection's part of a batch; counts into `counts`.
  void apply_shard(SqlCacheRebuild& store, std::vector<PreparedBatch::Item>& items,
                   ReplayCounts& counts);
  void read_chunk(const SweepChunk& chunk);
  void read_end(const SweepEnd& end);

  Clock& clock_;
  ParseLimits limits_;
  size_t decode_threads_;
  std::vector<std::unique_ptr<SqlCacheRebuild>> stores_;  // one per connection
  ReplayCounts counts_;
  std::map<std::string, Sweep> reading_;   // project -> the sweep whose chunks come now
  std::map<std::string, Sweep> complete_;  // project -> its latest complete sweep
  std::set<std::string> projects_;         // of the snapshots read
  // Ticket id -> when a snapshot last showed it alive (IssueSnapshot::fetched_ms).
  std::unordered_map<std::string, int64_t> seen_alive_ms_;
};

}  // namespace jirasync
