#pragma once

// The Jira-compatible routes over a real SQLite cache (the store's scratch
// database and seams), dispatched by the real router with every key admitted.

#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "common/clock/fake_clock.hpp"
#include "common/config/config.hpp"
#include "common/store/sql_change_feed.hpp"
#include "common/store/sql_issue_documents.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/store_test_fixtures.hpp"
#include "common/store/store_test_support.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_context.hpp"
#include "services/api/api_router.hpp"
#include "services/api/jira_compat/jira_compat_routes.hpp"

namespace jirasync::testing {

class AdmitEveryKey final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest&, ApiScope, ApiCaller& caller) override {
    caller.key_name = "reports";
    caller.scope = ApiScope::kRead;
    return std::nullopt;
  }
};

class NoSync final : public SyncRequests {
 public:
  Started request(const std::string& project, JobKind, const std::vector<std::string>&,
                  const std::string&) override {
    return {"", project, false};
  }
};

// The cache's read seams, counting what a request asks them: a page must be
// read in a fixed number of batches, not one issue at a time.
class CountingTicketQueries final : public TicketQueries {
 public:
  explicit CountingTicketQueries(TicketQueries& inner) : inner_(inner) {}
  std::optional<CachedTicket> find_by_key(const std::string& key) override {
    ++single_reads;
    return inner_.find_by_key(key);
  }
  std::map<std::string, std::string> current_keys(const std::vector<std::string>& ids) override {
    ++single_reads;
    return inner_.current_keys(ids);
  }
  std::map<std::string, CachedTicket> find_by_ids(const std::vector<std::string>& ids) override {
    ++batch_reads;
    return inner_.find_by_ids(ids);
  }
  std::map<std::string, CachedTicket> find_rows_by_ids(
      const std::vector<std::string>& ids) override {
    ++batch_reads;
    ++row_reads;
    return inner_.find_rows_by_ids(ids);
  }
  std::map<std::string, std::string> ids_of_keys(const std::vector<std::string>& keys) override {
    ++batch_reads;
    return inner_.ids_of_keys(keys);
  }
  std::vector<TicketSummary> list(const std::string& project, int limit) override {
    return inner_.list(project, limit);
  }
  int64_t count(const std::string& project) override { return inner_.count(project); }
  std::vector<TicketChange> changes(const std::string& id) override { return inner_.changes(id); }

  int single_reads = 0;  // find_by_key, current_keys
  int batch_reads = 0;   // find_by_ids, find_rows_by_ids, ids_of_keys
  int row_reads = 0;     // find_rows_by_ids (no lists)

 private:
  TicketQueries& inner_;
};

class CountingIssueSearch final : public IssueSearch {
 public:
  explicit CountingIssueSearch(IssueSearch& inner) : inner_(inner) {}
  IssueSearchPage search(const JqlQuery& query, const JqlContext& context, int limit,
                         const std::string& after) override {
    IssueSearchPage page = inner_.search(query, context, limit, after);
    rows_read += static_cast<int>(page.rows.size());
    return page;
  }
  int64_t count(const JqlQuery& query, const JqlContext& context) override {
    return inner_.count(query, context);
  }
  JqlContext with_field_list(const JqlContext& context) const override {
    return inner_.with_field_list(context);
  }
  std::vector<CatalogField> stored_fields() override { return inner_.stored_fields(); }
  int rows_read = 0;

 private:
  IssueSearch& inner_;
};

inline constexpr int64_t kJiraNow = 1'735'700'000'000;  // 2025-01-01T02:53:20Z

class JiraCompatCache {
 public:
  JiraCompatCache()
      : scratch(Backend::kSqlite),
        tables(scratch.db()),
        search(scratch.db()),
        changes(scratch.db()),
        freshness(scratch.db()),
        documents(scratch.db()),
        runs(scratch.db()),
        counted_search(search),
        counted_tickets(tables),
        templates(std::vector<TemplateSettings>{}),
        clock(kJiraNow),
        context{config,    clock, counted_search, changes, counted_tickets, tables, freshness,
                documents, runs,  templates,      sync},
        router(access) {
    config.jira.account_id = "acc-1";
    config.jira.account_time_zone = "UTC";
    runs.create_run(queued_run("r1", "WRKA", kJiraNow));
    runs.mark_running("r1", kJiraNow, -1);
    router.add(jira_compat_routes(context));
  }

  void put(const std::vector<JiraIssue>& issues) {
    std::vector<Decision> batch;
    for (const auto& i : issues) batch.push_back(snapshot("r1", i));
    tables.apply(batch, "writer", {}, kJiraNow);
  }

  void move(JiraIssue moved, const std::string& previous_key) {
    Decision d = snapshot("r1", moved, DecisionKind::kMove);
    d.item_key = moved.id + "#moved";
    d.previous_key = previous_key;
    tables.apply({d}, "writer", {}, kJiraNow);
  }

  RouteResponse call(const std::string& method, const std::string& target,
                     const std::string& body = "") const {
    RouteRequest r;
    r.method = method;
    r.target = target;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    r.headers["host"] = "cache.test:8080";
    r.body = body;
    return router.dispatch(r);
  }

  static rapidjson::Document json(const RouteResponse& r) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    return d;
  }

  ScratchDatabase scratch;
  SqlTicketTables tables;
  SqlIssueSearch search;
  SqlChangeFeed changes;
  SqlTicketFreshness freshness;
  SqlIssueDocuments documents;
  SqlRunStore runs;
  CountingIssueSearch counted_search;
  CountingTicketQueries counted_tickets;
  TemplateCatalog templates;
  FakeClock clock;
  Config config;
  NoSync sync;
  ApiContext context;
  AdmitEveryKey access;
  ApiRouter router;
};

// An issue with every list the cache keeps filled in.
inline JiraIssue rich_issue(const std::string& id, const std::string& key, int64_t updated_ms) {
  JiraIssue i = issue(id, key, updated_ms, "Login fails for " + key);
  i.created_ms = kJiraNow - 86'400'000;
  i.fix_versions = {"1.2"};
  i.affected_versions = {"1.1"};
  i.resolution = "Done";
  i.resolution_date_ms = updated_ms;
  i.status = "Done";
  i.status_category = "done";
  i.due_date = "2025-02-01";
  i.creator = JiraUser{"acc-3", "Alan Turing"};
  i.description_adf =
      R"({"content":[{"content":[{"text":"Steps","type":"text"}],"type":"paragraph"}],"type":"doc","version":1})";
  i.description_text = "Steps";
  i.comments = {JiraComment{"5001", JiraUser{"acc-1", "Ada Lovelace"},
                            R"({"content":[],"type":"doc","version":1})", "", kJiraNow - 1000,
                            kJiraNow - 1000}};
  i.attachments = {JiraAttachment{"7001", "log.txt", "text/plain", 42, kJiraNow - 2000,
                                  JiraUser{"acc-2", "Grace Hopper"}}};
  i.time_tracking.original_estimate_s = 3600 * 10;
  i.time_tracking.remaining_estimate_s = 3600;
  i.time_tracking.time_spent_s = 1800;
  return i;
}

}  // namespace jirasync::testing
