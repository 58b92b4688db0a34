// `jirasync replay`: rebuilds the cache's derived rows from `issues.raw`.
#include <soci/soci.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <future>

#include "cli/cache_rebuild.hpp"
#include "cli/cli_context.hpp"
#include "cli/deferred_index_build.hpp"
#include "cli/index_deferral.hpp"
#include "cli/progress_line.hpp"
#include "common/bus/consumer_group_offsets.hpp"
#include "common/bus/group_lag.hpp"
#include "common/bus/topic_snapshot_reader.hpp"
#include "common/bus/topics.hpp"
#include "common/runtime/shutdown_signal.hpp"
#include "common/store/database.hpp"
#include "common/store/deferred_indexes.hpp"
#include "common/store/ticket_statistics.hpp"

namespace jirasync {
namespace {

// A monotonic millisecond count, for the summary's time split.
struct SteadyMs {
  int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

// How often the replay asks whether a reconciler or writer has started.
constexpr int64_t kRoleCheckMs = 5000;

// The roles that write or decide against the cache: a replay and they must
// not run at once (the scheduler and fetchers only add to issues.raw).
constexpr const char* kCacheRoles[] = {"reconciler", "writer"};

// "" when no reconciler or writer consumes; otherwise what to tell the user.
std::string running_roles(const ConsumerGroupOffsets& groups, const std::string& prefix) {
  std::string out;
  for (const char* role : kCacheRoles) {
    const std::string group = consumer_group(prefix, role);
    const auto members = groups.members(group);
    if (members.empty()) continue;
    if (!out.empty()) out += "; ";
    out += "the " + std::string(role) + " is running (consumer group " + group + " has " +
           std::to_string(members.size()) + (members.size() == 1 ? " member" : " members");
    for (size_t i = 0; i < members.size() && i < 3; ++i) {
      out += (i == 0 ? ": " : ", ") + members[i].client_id + "@" + members[i].host;
    }
    out += ")";
  }
  return out;
}

// Progress on one line: redrawn in place on a terminal, a plain line every
// few seconds otherwise.
class ReplayProgress {
 public:
  ReplayProgress(std::FILE* out, int64_t total, int64_t started_ms)
      : out_(out), tty_(isatty(fileno(out)) != 0), total_(total), started_ms_(started_ms) {}

  void update(int64_t read, int64_t now_ms) {
    if (!tty_ && now_ms - last_ms_ < 2000) return;
    if (tty_ && now_ms - last_ms_ < 200) return;
    last_ms_ = now_ms;
    const double pct = total_ > 0 ? 100.0 * static_cast<double>(read) / total_ : 100.0;
    std::fprintf(out_, "%sreplay: %lld of %lld records (%.0f%%), %.0f/s%s", tty_ ? "\r" : "",
                 static_cast<long long>(read), static_cast<long long>(total_), pct,
                 rate(read, now_ms), tty_ ? "   " : "\n");
    std::fflush(out_);
  }
  void finish() {
    if (tty_ && last_ms_ != 0) std::fprintf(out_, "\n");
  }
  double rate(int64_t read, int64_t now_ms) const {
    const int64_t elapsed = now_ms - started_ms_;
    return elapsed > 0 ? static_cast<double>(read) * 1000.0 / static_cast<double>(elapsed) : 0.0;
  }

 private:
  std::FILE* out_;
  bool tty_;
  int64_t total_;
  int64_t started_ms_;
  int64_t last_ms_ = 0;
};

double seconds(int64_t ms) {
  return static_cast<double>(ms) / 1000.0;
}

void print_summary(const ReplayCounts& c, int64_t took_ms, int64_t read_ms, int64_t wait_ms,
                   const DeferredIndexBuild& indexes, int64_t tickets_before,
                   int64_t tickets_after) {
  const double rate =
      took_ms > 0 ? static_cast<double>(c.records) * 1000.0 / static_cast<double>(took_ms) : 0.0;
  std::printf("replay: read %lld records in %.1f s (%.0f/s)\n", static_cast<long long>(c.records),
              seconds(took_ms), rate);
  std::printf(
      "  snapshots: %lld rows the cache lacked, %lld changed (the cache was behind the topic), "
      "%lld rewritten unchanged, %lld older than the cache (left alone), %lld of tickets "
      "deleted since (kept deleted)\n",
      static_cast<long long>(c.inserted), static_cast<long long>(c.changed),
      static_cast<long long>(c.rewritten), static_cast<long long>(c.older),
      static_cast<long long>(c.kept_deleted));
  std::printf(
      "  deletions: %lld verified deletions replayed, %lld tickets deleted by a replayed sweep; "
      "%lld sweep records\n",
      static_cast<long long>(c.gone), static_cast<long long>(c.swept),
      static_cast<long long>(c.sweep_records));
  if (c.unreadable > 0) {
    std::printf("  %lld unreadable records skipped (dead-lettered when they were first read)\n",
                static_cast<long long>(c.unreadable));
  }
  std::printf(
      "  time: %.1f s reading the topic, %.1f s decoding; meanwhile %.1f s reconciling with the "
      "cache and %.1f s writing (%.1f s of it waited for)\n",
      seconds(read_ms), seconds(c.decode_ms), seconds(c.reconcile_ms), seconds(c.write_ms),
      seconds(wait_ms));
  if (indexes.built > 0) {
    std::printf(
        "  indexes: %d built over the rows afterwards in %.1f s (counted in the time above)\n",
        indexes.built, seconds(indexes.ms));
  }
  std::printf(
      "  tickets in the cache: %lld before, %lld now; %lld rows written. Local edits, "
      "notes, tags, links and conflicts were not touched.\n",
      static_cast<long long>(tickets_before), static_cast<long long>(tickets_after),
      static_cast<long long>(c.rows_written));
}

// What the reconciler still has to decide: records the replay also read, or
// produced since it started; runs in flight count them when it decides them.
void print_reconciler_backlog(const KafkaSettings& kafka, const std::string& prefix,
                              const std::string& topic) {
  const std::string group = consumer_group(prefix, "reconciler");
  int64_t backlog = 0;
  bool without_offsets = false;
  for (const auto& p :
       GroupLagReader(kafka, group).read({topic}, std::chrono::seconds(10)).partitions) {
    backlog += std::max<int64_t>(0, p.lag);
    without_offsets = without_offsets || (p.committed < 0 && p.lag > 0);
  }
  std::printf(
      "replay: the reconciler (group %s) has %lld records of %s to decide when it "
      "starts%s; start the reconcilers and writers again.\n",
      group.c_str(), static_cast<long long>(backlog), topic.c_str(),
      without_offsets ? " (it has no offset on some partitions: it reads those from the "
                        "beginning, and the writer skips what runs already counted)"
                      : "");
}

// Waits until every commit of the replay is on disk: a commit with
// synchronous_commit on flushes the server's write-ahead log up to itself,
// which holds every commit before it, on every connection. (It needs a
// transaction id, or nothing is written to flush.)
void make_durable(Database& db) {
  if (db.backend() != Backend::kPostgres) return;
  auto lock = db.lock();
  db.session() << "SET synchronous_commit = on";
  WriteTransaction tx(db);
  long long xid = 0;
  db.session() << "SELECT txid_current()", soci::into(xid);
  tx.commit();
}

// Builds what the replay deferred, when it stops early: nothing may stay
// without its indexes. A failure here is left to the next process that
// opens the cache (migrate() builds what is still waiting).
void build_deferred_after_stop(const std::vector<std::shared_ptr<Database>>& writers) {
  try {
    build_deferred_indexes_on(writers, stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "jirasync replay: could not build the deferred indexes (%s); the next jirasync "
                 "process that opens the cache builds them\n",
                 e.what());
  }
}

int replay_command(CliContext& ctx, int batch_size, int connections, bool keep_indexes) {
  const Config& config = ctx.config();
  if (config.bus == BusKind::kInProcess) {
    std::fprintf(
        stderr,
        "jirasync replay: nothing to replay: this configuration uses the in-process bus (the "
        "embedded mode, bus: inprocess), which keeps no issues.raw topic: snapshots go from the "
        "fetcher to the reconciler in memory and are not stored. To rebuild the cache there, "
        "fetch from Jira again: `jirasync sync --refetch --wait` (every issue of every project; "
        "local edits, notes, tags and links stay). `replay` needs `bus: kafka`.\n");
    return 1;
  }
  const std::string& prefix = config.kafka.topic_prefix;
  const std::string topic = Topics(prefix).raw;
  ConsumerGroupOffsets groups(config.kafka);
  if (const std::string running = running_roles(groups, prefix); !running.empty()) {
    std::fprintf(stderr,
                 "jirasync replay: refused: %s. Stop every reconciler and writer first (the "
                 "scheduler and fetchers may keep running); a process killed without stopping "
                 "stays a member until kafka.session_timeout_ms passes.\n",
                 running.c_str());
    return 1;
  }
  const auto ranges = groups.partitions(topic);
  auto db = ctx.database();
  SystemClock clock;
  SteadyMs steady;
  // More connections only on PostgreSQL: SQLite takes one writer at a time.
  std::vector<std::shared_ptr<Database>> writers{db};
  if (db->backend() == Backend::kPostgres) {
    while (writers.size() < static_cast<size_t>(connections)) {
      writers.push_back(Database::open(config.database_url));
    }
    // A rebuild's commits need not wait for the disk one by one: a crash
    // loses at most the last batches, and running the replay again restores
    // them. make_durable() waits once, before the summary says "done".
    // Generic plans from the first execution: a custom plan sees a batch's
    // 500 keys as constants and, on a list table of a few ten thousand rows
    // (more after a rebuild's deletes), scans the whole table into a hash
    // join; the generic plan probes the index per key (docs/benchmarks.md,
    // "Replay"). Every statement of a batch has its keys in arrays.
    for (auto& w : writers) {
      auto lock = w->lock();
      w->session() << "SET synchronous_commit = off";
      w->session() << "SET plan_cache_mode = force_generic_plan";
      // Indexes deferred into an empty cache are built on these connections
      // at once, one each: parallel workers would only contend for the same
      // cores (and escape a per-backend CPU count).
      w->session() << "SET max_parallel_maintenance_workers = 0";
    }
  }
  CacheRebuild rebuild(config, writers, clock);
  const int64_t tickets_before = rebuild.ticket_count();
  TopicSnapshotReader reader(config.kafka, topic, ranges, consumer_group(prefix, "replay"));
  std::printf("replay: rebuilding %s from %s: %lld records in %zu partitions\n",
              db->redacted_url().c_str(), topic.c_str(), static_cast<long long>(reader.total()),
              ranges.size());
  if (tickets_before == 0) {
    if (const int64_t cleared = rebuild.clear_lists_of_absent_tickets(); cleared > 0) {
      std::printf(
          "replay: the cache has no tickets: removed %lld comment, link, sub-task, attachment "
          "and label rows that belonged to none (the snapshots bring each ticket's back)\n",
          static_cast<long long>(cleared));
    }
  }
  const IndexDeferral deferral =
      decide_index_deferral({.postgres = db->backend() == Backend::kPostgres,
                             .cached_tickets = tickets_before,
                             .records = reader.total(),
                             .keep_indexes = keep_indexes});
  if (deferral.defer) {
    const auto dropped = SqlDeferredIndexes(*db).defer_if_empty();
    std::printf(
        "replay: %s (%zu dropped until then; if the replay is killed before it builds them, "
        "the next jirasync process that opens the cache does)\n",
        deferral.reason.c_str(), dropped.size());
  } else {
    std::printf("replay: %s\n", deferral.reason.c_str());
  }
  std::fflush(stdout);

  ShutdownSignal signal;
  const int64_t started = clock.now_ms();
  ReplayProgress progress(stdout, reader.total(), started);
  int64_t next_role_check = started + kRoleCheckMs;
  std::string stopped_because;
  int64_t read_ms = 0, wait_ms = 0;
  // Stage 2 of the batch before runs while this one is read and decoded.
  std::future<void> applying;
  // Into an empty cache: the planner may hold `tickets` for empty (after a
  // VACUUM of the emptied table), and a generic plan made then reads every
  // row for each key of a batch as the table grows, for the whole replay
  // (docs/benchmarks.md, "Replay"). Statistics gathered again as the cache
  // grows fourfold make the sessions plan again: index probes from a few
  // thousand rows on.
  StatisticsSchedule statistics;
  try {
    while (!reader.done()) {
      if (signal.requested().load()) {
        stopped_because = "interrupted";
        break;
      }
      if (clock.now_ms() >= next_role_check) {
        next_role_check = clock.now_ms() + kRoleCheckMs;
        if (std::string running = running_roles(groups, prefix); !running.empty()) {
          stopped_because = running + " (it started during the replay)";
          break;
        }
      }
      int64_t t0 = steady.now_ms();
      auto records = reader.next(static_cast<size_t>(batch_size), std::chrono::milliseconds(500));
      read_ms += steady.now_ms() - t0;
      PreparedBatch batch = rebuild.prepare(records);
      t0 = steady.now_ms();
      if (applying.valid()) applying.get();  // rethrows a failed apply
      wait_ms += steady.now_ms() - t0;
      if (tickets_before == 0 && statistics.due(rebuild.counts().inserted)) {
        rebuild.refresh_statistics();
      }
      applying = std::async(std::launch::async, [&rebuild, b = std::move(batch)]() mutable {
        rebuild.apply(std::move(b));
      });
      progress.update(reader.position(), clock.now_ms());
    }
    if (applying.valid()) applying.get();
  } catch (...) {
    if (applying.valid()) applying.wait();
    progress.finish();
    build_deferred_after_stop(writers);
    throw;
  }
  progress.finish();
  if (!stopped_because.empty()) {
    build_deferred_after_stop(writers);
    std::fprintf(stderr,
                 "jirasync replay: stopped: %s, after %lld of %lld records. Every batch written "
                 "so far is complete; run `jirasync replay` again to finish (it starts over, and "
                 "applying a record twice changes nothing).\n",
                 stopped_because.c_str(), static_cast<long long>(reader.position()),
                 static_cast<long long>(reader.total()));
    return 1;
  }
  try {
    rebuild.apply_sweeps();
  } catch (...) {
    build_deferred_after_stop(writers);
    throw;
  }
  // After the sweeps: their updates need no index either.
  const DeferredIndexBuild indexes = build_deferred_indexes_on(writers, stdout);
  make_durable(*db);
  print_summary(rebuild.counts(), clock.now_ms() - started, read_ms, wait_ms, indexes,
                tickets_before, rebuild.ticket_count());
  for (const std::string& project : rebuild.projects_without_sweep()) {
    std::printf(
        "  %s: no complete sweep on the topic (compacted away, or never finished): "
        "tickets a sweep deleted are not deleted again by the replay if the cache had "
        "lost them; the next full sync of %s finds them.\n",
        project.c_str(), project.c_str());
  }
  print_reconciler_backlog(config.kafka, prefix, topic);
  return 0;
}

}  // namespace

std::pair<CLI::App*, std::function<int()>> add_replay_command(CLI::App& app, CliContext& ctx) {
  auto batch_size = std::make_shared<int>(1000);
  auto connections = std::make_shared<int>(2);
  auto keep_indexes = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "replay",
      "Rebuild the cache's ticket rows from the issues.raw topic (bus: kafka): after a lost or "
      "emptied cache, or a migration that adds a column. Stop the reconcilers and writers "
      "first. Local edits, notes, tags, links and conflicts are kept. Safe to interrupt and run "
      "again.");
  cmd->add_option("--batch-size", *batch_size, "tickets per transaction (default 1000)")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--connections", *connections,
                  "PostgreSQL connections writing at once, each ticket always on the same one "
                  "(default 2; SQLite always uses 1)")
      ->check(CLI::Range(1, 16));
  cmd->add_flag("--keep-indexes", *keep_indexes,
                "into an empty cache (PostgreSQL), keep the ticket tables' indexes up row by row "
                "instead of dropping them and building them after the rows");
  return {cmd, [&ctx, batch_size, connections, keep_indexes] {
            return replay_command(ctx, *batch_size, *connections, *keep_indexes);
          }};
}

}  // namespace jirasync
