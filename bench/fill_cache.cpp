// Fills a cache database with a jirasim site, fast, run by hand (docs/benchmarks.md,
// bench/api_bench.sh):
//
//   fill_cache DATABASE_URL [--projects KEY:N,...] [--seed N] [--batch N] [--check]
//
// The site is jirasim's own (the simulator runs in this process, same seed and
// projects as `jirasim --seed N --projects ...`), read as the fetcher reads it:
// /rest/api/3/issue/bulkfetch with fields=*all, the rest of long comment lists
// from /issue/{id}/comment, each issue parsed by the product's parser, hashed
// by the product's hashes and written by the writer's store path
// (SqlDecisionSink::apply, one transaction per batch). So every column and
// child row the API reads is what a real sync of that site would write, with
// no Kafka in between. What makes it fast: no broker, no reconciler, and on
// PostgreSQL the secondary indexes of the ticket tables (full-text GIN ones
// above all) are dropped during the fill and built once at the end.
//
// A table `bench_fill` records what was filled; --check exits 0 when the
// database holds exactly this fill (same projects, seed, count) and 3 when it
// does not, so a script can reuse a fill instead of repeating it.
#include <soci/soci.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "bench/site_reader.hpp"
#include "common/clock/clock.hpp"
#include "common/envelope/decision.hpp"
#include "common/hash/content_hash.hpp"
#include "common/model/issue_parser.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "tests/jirasim/simulator.hpp"

namespace jirasync {
namespace {

constexpr const char* kUsage =
    "usage: fill_cache DATABASE_URL [--projects KEY:N,...] [--seed N] [--batch N] [--check]\n"
    "  Fills the cache at DATABASE_URL (postgresql://... or sqlite:FILE) with jirasim's site\n"
    "  for that seed and projects (default: 20 projects of 50,000 issues, seed 7), through the\n"
    "  writer's store path. --check: exit 0 if the database holds exactly this fill, 3 if not.\n";
constexpr const char* kRunId = "fill-cache";

struct Options {
  std::string url;
  std::string projects;
  uint64_t seed = 7;
  int batch = 1000;
  bool check = false;
};

std::string default_projects() {
  std::string out;
  for (char c = 'A'; c < 'A' + 20; ++c) {
    out += std::string(out.empty() ? "" : ",") + "AP" + c + ":50000";
  }
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
  o.projects = default_projects();
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + ": missing value");
      return argv[++i];
    };
    if (a == "--projects") {
      o.projects = value();
    } else if (a == "--seed") {
      o.seed = std::stoull(value());
    } else if (a == "--batch") {
      o.batch = std::stoi(value());
      if (o.batch < 1 || o.batch > 5000) throw std::invalid_argument("--batch: 1..5000");
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (o.url.empty() && a.rfind("--", 0) != 0) {
      o.url = a;
    } else {
      throw std::invalid_argument("unexpected argument '" + a + "'");
    }
  }
  if (o.url.empty()) throw std::invalid_argument("DATABASE_URL is required");
  (void)jirasim::parse_project_specs(o.projects);  // names the bad part
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

int64_t total_issues(const std::vector<jirasim::ProjectSpec>& specs) {
  int64_t n = 0;
  for (const auto& s : specs) n += s.issue_count;
  return n;
}

// Unprepared: SET, DDL and VACUUM cannot be prepared statements.
void exec(Database& db, const std::string& sql) {
  auto lock = db.lock();
  db.session() << sql;
}

// What bench_fill says is in the database; "" when nothing (or no table).
std::string recorded_fill(Database& db) {
  auto lock = db.lock();
  try {
    auto row = SqlQuery("SELECT description FROM bench_fill").fetch_one(db.session(), "t");
    return row ? row->text(0) : "";
  } catch (const std::exception&) {
    return "";
  }
}

std::string fill_description(const Options& o) {
  return "seed " + std::to_string(o.seed) + " projects " + o.projects;
}

// The issues with these ids, parsed as the fetcher stores them.
std::vector<JiraIssue> read_issues(bench::SiteReader& reader, int64_t first_id, int count) {
  rapidjson::Document page = reader.page(first_id, count);
  std::vector<JiraIssue> out;
  for (auto& issue : page["issues"].GetArray()) out.push_back(parse_complete_issue(issue));
  return out;
}

// PostgreSQL: the non-unique indexes of the tables the fill writes, dropped
// now and built again by build() (one sort per index instead of 1,000,000
// inserts into each, which for the GIN full-text indexes is most of the time).
class DeferredIndexes {
 public:
  explicit DeferredIndexes(Database& db) : db_(db) {
    if (db.backend() != Backend::kPostgres) return;
    auto lock = db.lock();
    for (const SqlRow& r :
         SqlQuery("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                  "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
                  "WHERE t.relnamespace = current_schema()::regnamespace "
                  "AND NOT i.indisunique AND NOT i.indisprimary "
                  "AND t.relname IN ('tickets', 'ticket_keys', 'ticket_changes', "
                  "'ticket_comments', 'ticket_links', 'ticket_subtasks', 'ticket_attachments')")
             .fetch(db.session(), "tt")) {
      definitions_.emplace_back(r.text(0), r.text(1));
    }
    for (const auto& [name, def] : definitions_) {
      db.session() << "DROP INDEX " + name;
    }
  }

  void build() {
    for (const auto& [name, def] : definitions_) {
      const auto t = std::chrono::steady_clock::now();
      exec(db_, def);
      std::printf("  index %s: %.1f s\n", name.c_str(), seconds_since(t));
      std::fflush(stdout);
    }
  }

 private:
  Database& db_;
  std::vector<std::pair<std::string, std::string>> definitions_;
};

int fill(const Options& o) {
  auto db = Database::open(o.url);
  const std::string description = fill_description(o);
  if (o.check) {
    const bool same = recorded_fill(*db) == description;
    std::printf("%s\n",
                same ? ("holds the fill: " + description).c_str() : "does not hold this fill");
    return same ? 0 : 3;
  }
  migrate(*db);
  {
    auto lock = db->lock();
    if (SqlQuery("SELECT COUNT(*) FROM tickets").fetch_one(db->session(), "i")->i64(0) != 0) {
      throw std::invalid_argument("DATABASE_URL: the cache is not empty; fill an empty database");
    }
  }
  const auto started = std::chrono::steady_clock::now();
  jirasim::SimOptions sim_options;
  sim_options.seed = o.seed;
  sim_options.projects = jirasim::parse_project_specs(o.projects);
  SystemClock clock;
  jirasim::Simulator sim(sim_options, clock);
  const int64_t issues = total_issues(sim_options.projects);
  std::printf("fill_cache: jirasim generated %lld issues in %.1f s\n",
              static_cast<long long>(issues), seconds_since(started));
  std::fflush(stdout);

  if (db->backend() == Backend::kPostgres) {
    // This session only: the fill may lose its work on a crash, never the server's data.
    exec(*db, "SET synchronous_commit = off");
    exec(*db, "SET maintenance_work_mem = '512MB'");
  }
  DeferredIndexes indexes(*db);
  SqlRunStore runs(db);
  SqlDecisionSink sink(db);
  const int64_t now = clock.now_ms();
  SyncRun run;
  run.id = kRunId;
  run.project = sim_options.projects.front().key;
  run.kind = JobKind::kFull;
  run.status = RunStatus::kQueued;
  run.trigger = "manual";
  run.created_ms = now;
  runs.create_run(run);
  runs.mark_running(kRunId, now, issues);

  bench::SiteReader reader(sim);
  auto read_batch = [&](int64_t first, int count) {
    std::vector<Decision> out;
    for (int64_t at = first; at < first + count; at += 100) {
      const int n = static_cast<int>(std::min<int64_t>(100, first + count - at));
      for (JiraIssue& issue : read_issues(reader, at, n)) {
        Decision d;
        d.run_id = kRunId;
        d.project = issue.project_key;
        d.kind = DecisionKind::kInsert;
        d.issue_id = issue.id;
        d.item_key = issue.id + "@" + std::to_string(issue.updated_ms);
        d.content_hash = content_hash(issue);
        d.significant_hash = significant_hash(issue);
        d.issue = std::move(issue);
        out.push_back(std::move(d));
      }
    }
    return out;
  };
  // Reading and parsing the next batch overlaps with the database writing this one.
  const int64_t first_id = jirasim::IssueGenerator::kFirstIssueId;
  const int64_t end_id = first_id + issues;
  auto next = std::async(std::launch::async, read_batch, first_id,
                         static_cast<int>(std::min<int64_t>(o.batch, issues)));
  int64_t written = 0;
  int64_t offset = 0;
  auto last_report = std::chrono::steady_clock::now();
  for (int64_t at = first_id; at < end_id; at += o.batch) {
    std::vector<Decision> batch = next.get();
    const int64_t following = at + o.batch;
    if (following < end_id) {
      next = std::async(std::launch::async, read_batch, following,
                        static_cast<int>(std::min<int64_t>(o.batch, end_id - following)));
    }
    offset += static_cast<int64_t>(batch.size());
    sink.apply(batch, "fill_cache", {{"issues.decided", 0, offset}}, now);
    written += static_cast<int64_t>(batch.size());
    if (seconds_since(last_report) >= 10 || written == issues) {
      last_report = std::chrono::steady_clock::now();
      std::printf("  %lld / %lld issues, %.0f s\n", static_cast<long long>(written),
                  static_cast<long long>(issues), seconds_since(started));
      std::fflush(stdout);
    }
  }
  runs.mark_fetch_complete(kRunId, written, now, RunStats{}, now);
  std::printf("fill_cache: %lld issues written in %.1f s; building indexes\n",
              static_cast<long long>(written), seconds_since(started));
  std::fflush(stdout);
  indexes.build();
  exec(*db, db->backend() == Backend::kPostgres
                ? "VACUUM ANALYZE tickets, ticket_keys, ticket_changes, ticket_comments, "
                  "ticket_links, ticket_subtasks, ticket_attachments, run_items"
                : "ANALYZE");
  exec(*db, "CREATE TABLE IF NOT EXISTS bench_fill (description TEXT NOT NULL)");
  exec(*db, "DELETE FROM bench_fill");
  {
    auto lock = db->lock();
    SqlQuery("INSERT INTO bench_fill (description) VALUES (?)")
        .arg(description)
        .execute(db->session());
  }
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  std::printf("fill_cache: done in %.1f s (this process: %.1f CPU s, peak RSS %ld MB): %s\n",
              seconds_since(started),
              static_cast<double>(self.ru_utime.tv_sec + self.ru_stime.tv_sec) +
                  static_cast<double>(self.ru_utime.tv_usec + self.ru_stime.tv_usec) / 1e6,
              self.ru_maxrss / 1024, description.c_str());
  return 0;
}

}  // namespace
}  // namespace jirasync

int main(int argc, char** argv) {
  try {
    return jirasync::fill(jirasync::parse_options(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "fill_cache: " << e.what() << "\n" << jirasync::kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "fill_cache: " << e.what() << "\n";
    return 1;
  }
}
