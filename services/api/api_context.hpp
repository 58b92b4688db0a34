#pragma once

#include <string>
#include <vector>

#include "common/envelope/sync_job.hpp"

namespace jirasync {

class ChangeFeed;
class Clock;
class IssueDocuments;
class IssueSearch;
class LocalTicketData;
class RunStore;
class TemplateCatalog;
class TicketFreshness;
class TicketQueries;
struct Config;

// How the API asks the pipeline for work. It never calls Jira for a sync
// itself: it starts a run (the per-project lease) and its job goes to the
// fetchers, on Kafka or on the embedded in-process bus.
class SyncRequests {
 public:
  virtual ~SyncRequests() = default;
  struct Started {
    std::string run_id;
    std::string project;
    bool started = false;  // false: the project already had an active run (its id is run_id)
  };
  // `keys` empty = the whole project by `kind`; else a refresh of those keys.
  virtual Started request(const std::string& project, JobKind kind,
                          const std::vector<std::string>& keys, const std::string& why) = 0;
};

// The seams every API route reads and writes through (the store split's
// interfaces, never SQL): one per process, shared by the routes.
struct ApiContext {
  const Config& config;
  Clock& clock;
  IssueSearch& search;
  ChangeFeed& changes;
  TicketQueries& tickets;
  LocalTicketData& local;
  TicketFreshness& freshness;
  IssueDocuments& documents;  // the three above at once, for one issue
  RunStore& runs;
  const TemplateCatalog& templates;
  SyncRequests& sync;
};

}  // namespace jirasync
