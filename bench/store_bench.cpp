// Cost of the writer's store path on PostgreSQL, run by hand:
//
//   store_bench POSTGRES_URL [--issues N] [--batch N] [--updates] [--keep]
//
// Creates a scratch schema, migrates it with the store's own migrations and
// applies N synthetic issues (about 2.5 kB each: ADF description, labels,
// components, custom fields) through SqlDecisionSink::apply in batches, exactly
// as the writer does (one transaction per batch, offsets included). With
// --updates it then applies every issue once more with changed content (the
// incremental path: ON CONFLICT DO UPDATE, after an ANALYZE as autovacuum
// would have run one by then). For each phase it prints issues/s
// and the CPU per issue of the PostgreSQL backend (utime+stime of
// /proc/<pg_backend_pid()>/stat, so the server must run on this machine) and of
// this process inside apply(). The schema is dropped at the end unless --keep.

#include <soci/soci.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_decision_sink.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_queries.hpp"
#include "common/store/store_test_fixtures.hpp"

namespace jirasync {
namespace {

constexpr const char* kUsage =
    "usage: store_bench POSTGRES_URL [--issues N] [--batch N] [--updates] [--keep]\n";
constexpr int64_t kNowMs = 1'700'000'000'000;

struct Options {
  std::string url;
  int issues = 20'000;
  int batch = 500;
  bool updates = false;
  bool keep = false;
};

int positive(const std::string& flag, const char* value) {
  if (!value) throw std::invalid_argument(flag + ": missing value");
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  if (*end != '\0' || n <= 0 || n > 10'000'000) {
    throw std::invalid_argument(flag + ": expected a positive count, got '" + value + "'");
  }
  return static_cast<int>(n);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (a == "--issues") {
      o.issues = positive(a, next), ++i;
    } else if (a == "--batch") {
      o.batch = positive(a, next), ++i;
    } else if (a == "--updates") {
      o.updates = true;
    } else if (a == "--keep") {
      o.keep = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (o.url.empty() && a.rfind("postgresql://", 0) == 0) {
      o.url = a;
    } else {
      throw std::invalid_argument("unexpected argument '" + a + "'");
    }
  }
  if (o.url.empty()) throw std::invalid_argument("a postgresql:// URL is required");
  return o;
}

// A word list gives the text the byte mix of real prose (JSON and COPY
// escaping costs depend on it), including quotes, a tab and non-ASCII.
const std::vector<std::string> kWords = {
    "login",    "fails",  "when",  "the",     "session", "expires", "user",    "clicks",
    "\"Save\"", "button", "twice", "staging", "grüße",   "naïve",   "café",    "—",
    "error",    "500",    "retry", "cache",   "C:\\tmp", "a\tb",    "timeout", "cookie"};

std::string sentence(std::mt19937& rng, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) {
    if (i) s += ' ';
    s += kWords[rng() % kWords.size()];
  }
  return s;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// An issue of about 2.5 kB in the shape the parser produces: canonical ADF,
// its plain-text rendering and compact custom field values.
JiraIssue synthetic_issue(int n, int64_t updated_ms, int revision) {
  std::mt19937 rng(static_cast<uint32_t>(n * 7919 + revision));
  JiraIssue i;
  i.id = std::to_string(100'000 + n);
  i.key = "BENCH-" + std::to_string(n + 1);
  i.project_key = "BENCH";
  i.project_id = "10000";
  i.issue_type = n % 5 == 0 ? "Story" : "Bug";
  i.status = revision % 2 ? "In Progress" : "To Do";
  i.status_category = revision % 2 ? "indeterminate" : "new";
  i.priority = "High";
  i.assignee = JiraUser{"557058:" + std::to_string(rng() % 50), "Ada Lovelace"};
  i.reporter = JiraUser{"557058:" + std::to_string(rng() % 50), "Grace Hopper"};
  i.labels = {"qa", "login", "regression-" + std::to_string(n % 17)};
  i.components = {"web", "auth"};
  i.fix_versions = {"2024.3"};
  i.created_ms = kNowMs - 86'400'000LL * 30 + n;
  i.updated_ms = updated_ms;
  i.summary = sentence(rng, 8);
  std::string adf = R"({"content":[)";
  std::string text;
  for (int p = 0; p < 4; ++p) {
    const std::string para = sentence(rng, 22);
    if (p) adf += ',';
    adf +=
        R"({"content":[{"text":)" + json_string(para) + R"(,"type":"text"}],"type":"paragraph"})";
    text += para + "\n";
  }
  adf += R"(,{"content":[)";
  for (int b = 0; b < 3; ++b) {
    const std::string item = sentence(rng, 6);
    if (b) adf += ',';
    adf += R"({"content":[{"content":[{"text":)" + json_string(item) +
           R"(,"type":"text"}],"type":"paragraph"}],"type":"listItem"})";
    text += "- " + item + "\n";
  }
  adf += R"(],"type":"bulletList"}],"type":"doc","version":1})";
  i.description_adf = std::move(adf);
  i.description_text = std::move(text);
  i.custom_fields = {
      {"customfield_10001", R"({"id":"10020","value":"Gold"})"},
      {"customfield_10002", std::to_string(rng() % 13)},
      {"customfield_10003", json_string(sentence(rng, 12))},
      {"customfield_10004", R"([{"id":"10101","value":"Android"},{"id":"10102","value":"iOS"}])"},
      {"customfield_10005", R"({"accountId":"557058:a1","displayName":"Ada Lovelace"})"},
      {"customfield_10006", json_string("2024-03-0" + std::to_string(1 + rng() % 9))},
  };
  return i;
}

// utime + stime of a process, in seconds.
double process_cpu_seconds(int pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path + ": is the server on this machine?");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command (field 2) is in parentheses and may hold spaces; utime and
  // stime are fields 14 and 15, the 12th and 13th after it.
  const size_t close = stat.rfind(')');
  std::istringstream fields(close == std::string::npos ? "" : stat.substr(close + 1));
  std::vector<std::string> f;
  for (std::string field; f.size() < 13 && fields >> field;) f.push_back(field);
  if (f.size() < 13) throw std::runtime_error("unexpected format of " + path);
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::stod(f[11]) + std::stod(f[12])) / ticks;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A schema of its own, dropped on the way out: the scratch database.
class ScratchSchema {
 public:
  ScratchSchema(const std::string& base_url, bool keep) : keep_(keep) {
    name_ = "store_bench_" + std::to_string(::getpid()) + "_" +
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000);
    admin_ = Database::open(base_url);
    auto lock = admin_->lock();
    admin_->session() << "CREATE SCHEMA " + name_;
    url_ = base_url + (base_url.find('?') == std::string::npos ? "?" : "&") +
           "options=-csearch_path%3D" + name_;
  }
  ~ScratchSchema() {
    if (keep_) {
      std::cout << "kept schema " << name_ << "\n";
      return;
    }
    try {
      auto lock = admin_->lock();
      admin_->session() << "DROP SCHEMA " + name_ + " CASCADE";
    } catch (const std::exception& e) {
      std::cerr << "store_bench: could not drop schema " << name_ << ": " << e.what() << "\n";
    }
  }
  const std::string& url() const { return url_; }

 private:
  bool keep_;
  std::string name_;
  std::string url_;
  std::shared_ptr<Database> admin_;
};

struct PhaseResult {
  double wall_s = 0;
  double backend_cpu_s = 0;
  double writer_cpu_s = 0;
};

PhaseResult run_phase(const Options& o, SqlDecisionSink& store, int backend_pid,
                      const std::string& run_id, int revision, int64_t* next_offset) {
  PhaseResult r;
  const DecisionKind kind = revision == 0 ? DecisionKind::kInsert : DecisionKind::kUpdate;
  for (int start = 0; start < o.issues; start += o.batch) {
    std::vector<Decision> batch;
    const int n = std::min(o.batch, o.issues - start);
    batch.reserve(static_cast<size_t>(n));
    for (int k = start; k < start + n; ++k) {
      const JiraIssue issue = synthetic_issue(k, kNowMs - 60'000 + revision * 1000 + k, revision);
      batch.push_back(testing::snapshot(run_id, issue, kind));
    }
    *next_offset += n;
    const std::vector<StoredOffset> offsets = {{"issues.decided", start % 4, *next_offset}};
    const double backend_before = process_cpu_seconds(backend_pid);
    const double cpu_before = thread_cpu_seconds();
    const auto wall_before = std::chrono::steady_clock::now();
    store.apply(batch, "jirasync.writer", offsets, kNowMs);
    r.wall_s +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
    r.writer_cpu_s += thread_cpu_seconds() - cpu_before;
    r.backend_cpu_s += process_cpu_seconds(backend_pid) - backend_before;
  }
  return r;
}

void print(const char* phase, const Options& o, const PhaseResult& r) {
  const double n = o.issues;
  std::printf(
      "%-7s %8d issues  %6.2f s  %8.0f issues/s  backend %6.1f us/issue  writer %6.1f us/issue\n",
      phase, o.issues, r.wall_s, n / r.wall_s, r.backend_cpu_s * 1e6 / n, r.writer_cpu_s * 1e6 / n);
}

int run(const Options& o) {
  ScratchSchema scratch(o.url, o.keep);
  auto db = Database::open(scratch.url());
  if (db->backend() != Backend::kPostgres) throw std::invalid_argument("URL: not PostgreSQL");
  migrate(*db);
  int backend_pid = 0;
  {
    auto lock = db->lock();
    backend_pid =
        static_cast<int>(SqlQuery("SELECT pg_backend_pid()").fetch_one(db->session(), "i")->i64(0));
  }
  process_cpu_seconds(backend_pid);  // fails early when the server is elsewhere

  SqlRunStore runs(db);
  SqlDecisionSink store(db);
  int64_t next_offset = 0;
  std::printf("store_bench: %d issues in batches of %d, backend pid %d\n", o.issues, o.batch,
              backend_pid);
  std::fflush(stdout);  // for profilers that wait for the pid

  SyncRun run = testing::queued_run("bench-cold", "BENCH", kNowMs, JobKind::kFull);
  runs.create_run(run);
  runs.mark_running(run.id, kNowMs, o.issues);
  print("insert", o, run_phase(o, store, backend_pid, run.id, 0, &next_offset));
  runs.mark_fetch_complete(run.id, o.issues, kNowMs, RunStats{}, kNowMs);
  if (runs.get_run(run.id)->status != RunStatus::kSuccess) {
    throw std::runtime_error("the cold run did not finish: the store lost items");
  }

  if (o.updates) {
    // An incremental sync meets tables autovacuum has analyzed since the cold
    // one; without statistics the planner scans ticket_keys for every batch.
    {
      auto lock = db->lock();
      db->session() << "ANALYZE tickets, ticket_keys, conflicts, run_items";
    }
    run.id = "bench-update";
    run.kind = JobKind::kIncremental;
    runs.create_run(run);
    runs.mark_running(run.id, kNowMs, o.issues);
    print("update", o, run_phase(o, store, backend_pid, run.id, 1, &next_offset));
  }
  if (SqlTicketQueries(db).count("BENCH") != o.issues)
    throw std::runtime_error("ticket count is off");
  return 0;
}

}  // namespace
}  // namespace jirasync

int main(int argc, char** argv) {
  try {
    return jirasync::run(jirasync::parse(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "store_bench: " << e.what() << "\n" << jirasync::kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "store_bench: " << e.what() << "\n";
    return 1;
  }
}
