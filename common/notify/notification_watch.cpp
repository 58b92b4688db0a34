#include "common/notify/notification_watch.hpp"

#include <algorithm>

#include "common/jql/parser.hpp"
#include "common/notify/notification_outbox.hpp"
#include "common/store/json_columns.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

namespace {

// Runs finish in several processes, each stamping its own clock, and commit
// in any order: each scan looks this far behind its mark (the dedupe key
// drops what it already has).
constexpr int64_t kRunLookbackMs = 10 * 60000;

std::string duration_text(int64_t ms) {
  if (ms >= 3600000) return std::to_string(ms / 3600000) + " h";
  if (ms >= 60000) return std::to_string(ms / 60000) + " min";
  return std::to_string(ms / 1000) + " s";
}

}  // namespace

NotificationWatch::NotificationWatch(std::shared_ptr<Database> db, WatchRules rules)
    : db_(std::move(db)), rules_(std::move(rules)) {}

bool NotificationWatch::wanted(NotificationKind kind) const {
  for (const SinkRoute& r : rules_.routes) {
    if (r.kinds.count(kind)) return true;
  }
  return false;
}

int64_t NotificationWatch::mark(const std::string& source, int64_t initial) {
  if (auto row = SqlQuery("SELECT mark FROM notification_marks WHERE source = ?")
                     .arg(source)
                     .fetch_one(db_->session(), "i")) {
    return row->i64(0);
  }
  set_mark(source, initial);
  return initial;
}

void NotificationWatch::set_mark(const std::string& source, int64_t value) {
  SqlQuery(
      "INSERT INTO notification_marks (source, mark) VALUES (?, ?) "
      "ON CONFLICT (source) DO UPDATE SET mark = excluded.mark")
      .arg(source)
      .arg(value)
      .execute(db_->session());
}

int NotificationWatch::scan(int64_t now_ms) {
  if (rules_.routes.empty()) return 0;
  auto lock = db_->lock();
  WriteTransaction tx(*db_);
  std::vector<NotificationEvent> events;
  for (auto source : {&NotificationWatch::finished_runs, &NotificationWatch::new_conflicts,
                      &NotificationWatch::held_sweeps, &NotificationWatch::stale_projects}) {
    for (NotificationEvent& e : (this->*source)(now_ms)) events.push_back(std::move(e));
  }
  int added = 0;
  for (const NotificationEvent& e : events) {
    for (const SinkRoute& r : rules_.routes) {
      if (r.kinds.count(e.kind) && NotificationOutbox::enqueue(*db_, r.sink, e, now_ms)) ++added;
    }
  }
  tx.commit();
  return added;
}

std::vector<NotificationEvent> NotificationWatch::finished_runs(int64_t now_ms) {
  std::vector<NotificationEvent> out;
  const bool failed = wanted(NotificationKind::kRunFailed);
  const bool succeeded = wanted(NotificationKind::kRunSucceeded);
  if (!failed && !succeeded) return out;
  const int64_t since = mark("runs", now_ms);
  // What finished before the first scan is history, lookback or not.
  const int64_t floor = mark("runs_floor", since);
  int64_t newest = since;
  for (const SqlRow& r :
       SqlQuery(
           "SELECT id, project, kind, status, error, attempt, finished_ms, started_ms, "
           "stat_created, stat_updated, stat_deleted FROM sync_runs "
           "WHERE status IN ('failed', 'success') AND finished_ms > ? ORDER BY finished_ms, id")
           .arg(std::max(floor, since - kRunLookbackMs))
           .fetch(db_->session(), "tttttiiiiii")) {
    newest = std::max(newest, r.i64(6));
    const bool is_failed = r.text(3) == "failed";
    if ((is_failed && !failed) || (!is_failed && !succeeded)) continue;
    NotificationEvent e;
    e.kind = is_failed ? NotificationKind::kRunFailed : NotificationKind::kRunSucceeded;
    e.project = r.text(1);
    e.key = std::string(to_string(e.kind)) + ":" + r.text(0);
    const std::string what = r.text(2) + " sync of " + e.project;
    if (is_failed) {
      e.title = what + " failed after " + std::to_string(r.i64(5)) + " attempt(s)";
      e.text = "run " + r.text(0) + ": " + r.text(4);
    } else {
      e.title = what + " succeeded";
      e.text = "run " + r.text(0) + ": " + std::to_string(r.i64(8)) + " created, " +
               std::to_string(r.i64(9)) + " updated, " + std::to_string(r.i64(10)) +
               " deleted in " + duration_text(r.i64(6) - r.i64(7));
    }
    e.details_json = "\"run_id\":" + json_quote(r.text(0)) + ",\"kind\":" + json_quote(r.text(2)) +
                     ",\"attempts\":" + std::to_string(r.i64(5)) +
                     ",\"error\":" + json_quote(r.text(4));
    out.push_back(std::move(e));
  }
  set_mark("runs", newest);
  return out;
}

std::vector<NotificationEvent> NotificationWatch::new_conflicts(int64_t now_ms) {
  std::vector<NotificationEvent> out;
  if (!wanted(NotificationKind::kConflict)) return out;
  const int64_t initial =
      SqlQuery("SELECT COALESCE(MAX(id), 0) FROM conflicts").fetch_one(db_->session(), "i")->i64(0);
  const int64_t since = mark("conflicts", initial);
  int64_t newest = since;
  struct Found {
    int64_t id;
    std::string ticket_id, field, key, project, summary;
  };
  std::vector<Found> found;
  for (const SqlRow& r : SqlQuery("SELECT c.id, c.ticket_id, c.field, t.key, t.project, t.summary "
                                  "FROM conflicts c JOIN tickets t ON t.id = c.ticket_id "
                                  "WHERE c.id > ? AND c.outcome = 'manual' ORDER BY c.id")
                             .arg(since)
                             .fetch(db_->session(), "ittttt")) {
    newest = std::max(newest, r.i64(0));
    found.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
  }
  std::set<std::string> matching;
  if (!rules_.conflict_jql.empty() && !found.empty()) {
    JqlContext context = rules_.jql_context;
    context.now_ms = now_ms;
    const CompiledJql c = compile_jql(parse_jql(rules_.conflict_jql), db_->backend(), context);
    for (const Found& f : found) {
      SqlQuery q("SELECT t.id FROM tickets t WHERE t.id = ? AND (" + c.where + ")");
      q.arg(f.ticket_id);
      for (const JqlParam& p : c.params) {
        if (const auto* i = std::get_if<int64_t>(&p)) {
          q.arg(*i);
        } else {
          q.arg(std::get<std::string>(p));
        }
      }
      if (q.fetch_one(db_->session(), "t")) matching.insert(f.ticket_id);
    }
  }
  for (const Found& f : found) {
    if (!rules_.conflict_jql.empty() && !matching.count(f.ticket_id)) continue;
    NotificationEvent e;
    e.kind = NotificationKind::kConflict;
    e.project = f.project;
    e.key = "conflict:" + std::to_string(f.id);
    e.title = "manual conflict on " + f.key + " (" + f.field + ")";
    e.text = f.key + " " + f.summary + "\n`jirasync conflicts " + f.key + "` shows it";
    e.details_json = "\"conflict_id\":" + std::to_string(f.id) +
                     ",\"issue_key\":" + json_quote(f.key) + ",\"field\":" + json_quote(f.field);
    out.push_back(std::move(e));
  }
  set_mark("conflicts", newest);
  return out;
}

std::vector<NotificationEvent> NotificationWatch::held_sweeps(int64_t) {
  std::vector<NotificationEvent> out;
  if (!wanted(NotificationKind::kMassDelete)) return out;
  // Holds are rare and held on purpose: every one is announced, from the start.
  const int64_t since = mark("sweep_holds", 0);
  int64_t newest = since;
  for (const SqlRow& r :
       SqlQuery("SELECT id, project, run_id, would_delete, live FROM sweep_holds WHERE id > ? "
                "ORDER BY id")
           .arg(since)
           .fetch(db_->session(), "ittii")) {
    newest = std::max(newest, r.i64(0));
    NotificationEvent e;
    e.kind = NotificationKind::kMassDelete;
    e.project = r.text(1);
    e.key = "mass_delete:" + r.text(2);
    e.title = "sweep of " + e.project + " held: it would delete " + std::to_string(r.i64(3)) +
              " of " + std::to_string(r.i64(4)) + " tickets";
    e.text =
        "Nothing was deleted. Check the project's JQL and permissions in Jira; "
        "`jirasync sweep release " +
        e.project + "` applies the deletion.";
    e.details_json = "\"run_id\":" + json_quote(r.text(2)) +
                     ",\"would_delete\":" + std::to_string(r.i64(3)) +
                     ",\"live\":" + std::to_string(r.i64(4));
    out.push_back(std::move(e));
  }
  set_mark("sweep_holds", newest);
  return out;
}

std::vector<NotificationEvent> NotificationWatch::stale_projects(int64_t now_ms) {
  std::vector<NotificationEvent> out;
  if (!wanted(NotificationKind::kStaleCache)) return out;
  for (const auto& [project, ttl] : rules_.cache_ttl_ms) {
    // A refresh of a few keys does not make a project fresh.
    const auto row = SqlQuery(
                         "SELECT MAX(finished_ms) FROM sync_runs WHERE project = ? AND "
                         "status = 'success' AND kind <> 'refresh'")
                         .arg(project)
                         .fetch_one(db_->session(), "i");
    if (!row || row->is_null(0)) continue;  // never synced: nothing is stale yet
    const int64_t last = row->i64(0);
    const auto limit = static_cast<int64_t>(rules_.stale_factor * static_cast<double>(ttl));
    if (now_ms - last <= limit) continue;
    NotificationEvent e;
    e.kind = NotificationKind::kStaleCache;
    e.project = project;
    e.key = "stale_cache:" + project + ":" + std::to_string(last);  // once per stale spell
    e.title = "the cache of " + project + " is " + duration_text(now_ms - last) + " old";
    e.text = "The last successful sync ended " + duration_text(now_ms - last) +
             " ago; the limit is " + duration_text(limit) + ". `jirasync runs -p " + project +
             "` shows why.";
    e.details_json =
        "\"last_success_ms\":" + std::to_string(last) + ",\"limit_ms\":" + std::to_string(limit);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace jirasync
