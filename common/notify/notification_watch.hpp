#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/jql/sql_compiler.hpp"
#include "common/notify/notification_event.hpp"
#include "common/store/database.hpp"

namespace jirasync {

// Which events a sink takes.
struct SinkRoute {
  std::string sink;
  std::set<NotificationKind> kinds;
};

struct WatchRules {
  std::vector<SinkRoute> routes;
  std::string conflict_jql;  // "" = every MANUAL conflict
  JqlContext jql_context;    // account and zone the JQL is read in (now_ms set per scan)
  double stale_factor = 3.0;
  std::map<std::string, int64_t> cache_ttl_ms;  // per configured project
};

// Turns what the pipeline stored into outbox entries: runs that ended failed
// (after their retries) or succeeded, new MANUAL conflicts on tickets the
// conflict JQL matches, held sweeps, and projects whose last success is older
// than stale_factor × cache_ttl. Each source keeps a mark in
// notification_marks, written in the same transaction as the entries it led
// to, so an event is enqueued at least once and (by its dedupe key) at most
// once per sink. A first scan starts from now: history is not announced.
class NotificationWatch {
 public:
  NotificationWatch(std::shared_ptr<Database> db, WatchRules rules);

  // Returns how many outbox entries were added.
  int scan(int64_t now_ms);

 private:
  std::vector<NotificationEvent> finished_runs(int64_t now_ms);
  std::vector<NotificationEvent> new_conflicts(int64_t now_ms);
  std::vector<NotificationEvent> held_sweeps(int64_t now_ms);
  std::vector<NotificationEvent> stale_projects(int64_t now_ms);
  // The source's mark, set to `initial` when it has none.
  int64_t mark(const std::string& source, int64_t initial);
  void set_mark(const std::string& source, int64_t value);
  bool wanted(NotificationKind kind) const;

  std::shared_ptr<Database> db_;
  WatchRules rules_;
};

}  // namespace jirasync
