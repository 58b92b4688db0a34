#pragma once

// A small cache on SQLite behind a real ApiContext, for the MCP tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/clock/fake_clock.hpp"
#include "common/config/config.hpp"
#include "common/json/json_document.hpp"
#include "common/store/sql_change_feed.hpp"
#include "common/store/sql_issue_documents.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_context.hpp"

namespace jirasync::testing {

inline constexpr int64_t kMcpT0 = 1'700'000'000'000;

// SyncRequests that records what was asked and, when `complete` is set,
// finishes the run at once (as an in-process refresh would), applying
// `refreshed` first.
class RecordingSyncRequests final : public SyncRequests {
 public:
  RecordingSyncRequests(RunStore& runs, SqlTicketTables& store, Clock& clock)
      : runs_(runs), store_(store), clock_(clock) {}
  Started request(const std::string& project, JobKind kind, const std::vector<std::string>& keys,
                  const std::string& why) override {
    asked.push_back({project, kind, keys, why});
    const std::string id = "run-" + std::to_string(asked.size());
    const auto created = runs_.create_run(queued_run(id, project, clock_.now_ms(), kind));
    if (complete && created.created) {
      runs_.mark_running(id, clock_.now_ms(), -1);
      if (refreshed)
        store_.apply({snapshot(id, *refreshed, DecisionKind::kUpdate)}, "writer", {},
                     clock_.now_ms());
      runs_.mark_fetch_complete(id, refreshed ? 1 : 0, 0, {}, clock_.now_ms());
    }
    return {created.run.id, project, created.created};
  }
  struct Ask {
    std::string project;
    JobKind kind;
    std::vector<std::string> keys;
    std::string why;
  };
  std::vector<Ask> asked;
  bool complete = true;
  std::optional<JiraIssue> refreshed;

 private:
  RunStore& runs_;
  SqlTicketTables& store_;
  Clock& clock_;
};

class McpWorld {
 public:
  McpWorld()
      : scratch(Backend::kSqlite),
        store(scratch.db()),
        search(scratch.db()),
        feed(scratch.db()),
        freshness(scratch.db()),
        documents(scratch.db()),
        runs(scratch.db()),
        catalog({}),
        clock(kMcpT0),
        sync(runs, store, clock),
        ctx{config(),  clock,     search, feed,    store, store,
            freshness, documents, runs,   catalog, sync} {
    runs.create_run(queued_run("seed", "WRKA", kMcpT0 - 10'000, JobKind::kFull));
    runs.mark_running("seed", kMcpT0 - 10'000, 3);
    store.apply({snapshot("seed", issue("1", "WRKA-1", 5'000, "Login fails")),
                 snapshot("seed", issue("2", "WRKA-2", 6'000, "Logout hangs")),
                 snapshot("seed", issue("3", "WRKA-3", 7'000, "Search is slow"))},
                "writer", {}, kMcpT0 - 5'000);
    runs.mark_fetch_complete("seed", 3, 7'000, {}, kMcpT0 - 4'000);
    store.add_note("1", "seen on staging", kMcpT0 - 3'000);
  }

  static const Config& config() {
    static const Config c = [] {
      Config out;
      ProjectSettings p;
      p.key = "WRKA";
      p.cache_ttl_ms = 60'000;
      out.projects = {p};
      return out;
    }();
    return c;
  }

  ScratchDatabase scratch;
  SqlTicketTables store;
  SqlIssueSearch search;
  SqlChangeFeed feed;
  SqlTicketFreshness freshness;
  SqlIssueDocuments documents;
  SqlRunStore runs;
  TemplateCatalog catalog;
  FakeClock clock;
  RecordingSyncRequests sync;
  ApiContext ctx;
};

inline rapidjson::Document parsed(const std::string& text) {
  rapidjson::Document doc;
  parse_json_text(text, doc, "test");
  return doc;
}

}  // namespace jirasync::testing
