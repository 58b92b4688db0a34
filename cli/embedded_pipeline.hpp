#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/stoppable_clock.hpp"
#include "common/clock/clock.hpp"
#include "common/config/config.hpp"

namespace prometheus {
class Registry;
}

namespace jirasync {

class InProcessBus;
class Database;
class JiraClient;
class Scheduler;
class Fetcher;
class Reconciler;
class Writer;
class SqlRunStore;
class SqlFieldCatalog;
class SqlTicketCache;
class SqlDecisionSink;
class SqlRateBucketStore;
class SqlRunSlices;
class SqlCachedIssueIds;
class NotificationService;

// `jirasync run`: all four roles in one process over the in-process bus, each
// on its own thread and its own database connection. The roles are the same
// classes the separate services run; only the bus differs.
class EmbeddedPipeline {
 public:
  EmbeddedPipeline(const Config& config, JiraClient& jira, prometheus::Registry& registry);
  ~EmbeddedPipeline();

  // Starts the fetcher, reconciler, writer and scheduler threads; the
  // scheduler retries failed attempts always, and fires cron only `with_cron`.
  void start(bool with_cron);
  // Stops every role (each drains what it holds) and joins the threads; no
  // role waits out a poll or a tick first.
  void stop();
  // The first error a role died of ("" while all are healthy).
  std::string failure() const;

  Scheduler& scheduler() { return *scheduler_; }
  SqlRunStore& runs() { return *runs_; }

 private:
  void spawn(const char* name, std::function<void(const std::atomic<bool>&)> body);

  const Config& config_;
  SystemClock clock_;
  StoppableClock scheduler_clock_;  // its sleeps between ticks end at stop()
  std::unique_ptr<InProcessBus> bus_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<SqlRunStore> runs_;
  std::unique_ptr<SqlRunStore> fetch_runs_;
  std::unique_ptr<SqlRateBucketStore> buckets_;
  std::unique_ptr<SqlCachedIssueIds> cached_ids_;
  std::unique_ptr<SqlRunSlices> fetch_slices_;
  std::unique_ptr<SqlFieldCatalog> field_catalog_;  // Jira's field list, kept by the fetcher
  std::unique_ptr<SqlTicketCache> reconcile_tickets_;
  std::unique_ptr<SqlDecisionSink> write_tickets_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Fetcher> fetcher_;
  std::unique_ptr<Reconciler> reconciler_;
  std::unique_ptr<Writer> writer_;
  std::unique_ptr<NotificationService> notifications_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex failure_mu_;
  std::string failure_;
};

}  // namespace jirasync
