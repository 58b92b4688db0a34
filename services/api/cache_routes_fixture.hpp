#pragma once

// The cache routes over a real SQLite cache (the store's SQL seams on a
// scratch database), a fake clock and a SyncRequests that plays the pipeline,
// driven through ApiRouter::dispatch with an AccessCheck that reads the scope
// from a header.

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
#include "services/api/api_error.hpp"
#include "services/api/api_router.hpp"
#include "services/api/cache_routes.hpp"

namespace jirasync::testing {

inline constexpr int64_t kNowMs = 1'700'000'000'000;
inline constexpr int64_t kHourMs = 3'600'000;

// "x-scope: read|admin" admits with that scope; no header is 401.
class ScopeHeaderAccess final : public AccessCheck {
 public:
  std::optional<RouteResponse> admit(const RouteRequest& request, ApiScope needed,
                                     ApiCaller& caller) override {
    auto it = request.headers.find("x-scope");
    if (it == request.headers.end()) return api_error(401, "unauthenticated", "no key");
    caller.key_name = it->second;
    caller.scope = it->second == "admin" ? ApiScope::kAdmin : ApiScope::kRead;
    if (needed == ApiScope::kAdmin && caller.scope != ApiScope::kAdmin)
      return api_error(403, "forbidden", "admin scope needed");
    return std::nullopt;
  }
};

// The pipeline as the API sees it: each request creates a refresh run; with
// `finish` the run succeeds at once (as if the fetcher found nothing new),
// else it stays queued.
class ScriptedSyncRequests final : public SyncRequests {
 public:
  explicit ScriptedSyncRequests(RunStore& runs, Clock& clock) : runs_(runs), clock_(clock) {}
  Started request(const std::string& project, JobKind kind, const std::vector<std::string>& keys,
                  const std::string& why) override {
    asked.push_back({project, keys, why});
    SyncRun run =
        queued_run("refresh-" + std::to_string(asked.size()), project, clock_.now_ms(), kind);
    const auto created = runs_.create_run(run);
    if (finish && created.created) {
      runs_.mark_running(run.id, clock_.now_ms(), static_cast<int64_t>(keys.size()));
      runs_.mark_fetch_complete(run.id, 0, 0, {}, clock_.now_ms());
    }
    return {created.run.id, project, created.created};
  }
  struct Asked {
    std::string project;
    std::vector<std::string> keys;
    std::string why;
  };
  std::vector<Asked> asked;
  bool finish = true;

 private:
  RunStore& runs_;
  Clock& clock_;
};

inline Config cache_test_config() {
  Config config;
  ProjectSettings wrka;
  wrka.key = "WRKA";
  wrka.cache_ttl_ms = kHourMs;
  config.projects.push_back(wrka);
  config.jira.account_id = "acc-1";
  TemplateSettings mine;
  mine.name = "by-status";
  mine.description = "issues in a status";
  mine.jql = "status = ${status} ORDER BY key";
  config.templates.push_back(mine);
  return config;
}

class CacheRoutesTest : public ::testing::Test {
 protected:
  CacheRoutesTest()
      : scratch(Backend::kSqlite),
        tables(scratch.db()),
        runs(scratch.db()),
        search(scratch.db()),
        feed(scratch.db()),
        freshness(scratch.db()),
        documents(scratch.db()),
        config(cache_test_config()),
        clock(kNowMs),
        templates(config.templates),
        sync(runs, clock),
        ctx{config,    clock,     search, feed,      tables, tables,
            freshness, documents, runs,   templates, sync},
        router(access) {
    router.add(cache_routes(ctx));
  }

  // Writes an issue as the writer would, at `at_ms` (its synced time).
  void cache(const std::string& id, const std::string& key, int64_t at_ms,
             DecisionKind kind = DecisionKind::kInsert, const std::string& status = "To Do") {
    JiraIssue i = issue(id, key, at_ms - 1000, "Summary of " + key);
    i.status = status;
    Decision d = snapshot("", i, kind);
    d.item_key = id + "@" + std::to_string(++seq_);
    tables.apply({d}, "test", {}, at_ms);
  }
  void open_conflict(const std::string& id, const std::string& key, const std::string& field) {
    JiraIssue i = issue(id, key, kNowMs + seq_, "Summary of " + key);
    Decision d = snapshot("", i, DecisionKind::kUpdate);
    d.item_key = id + "@" + std::to_string(++seq_);
    d.content_hash += "+";
    d.conflicts = {{field, "mine", "theirs", ConflictStrategy::kManual, "manual"}};
    tables.apply({d}, "test", {}, kNowMs);
  }

  RouteResponse call(const std::string& method, const std::string& target,
                     const std::string& body = "", const std::string& scope = "admin") {
    RouteRequest r;
    r.method = method;
    r.target = target;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    r.query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!scope.empty()) r.headers["x-scope"] = scope;
    r.body = body;
    return router.dispatch(r);
  }
  rapidjson::Document json(const RouteResponse& response) {
    rapidjson::Document doc;
    parse_json_text(response.body, doc, "response");
    return doc;
  }
  // The 400's parameter, or what else came back.
  std::string bad_parameter(const RouteResponse& response) {
    if (response.status != 400)
      return "status " + std::to_string(response.status) + " " + response.body;
    auto doc = json(response);
    const auto& e = doc["error"];
    if (std::string(e["code"].GetString()) != "bad_parameter") return response.body;
    return e.HasMember("parameter") ? e["parameter"].GetString() : "(none)";
  }

  ScratchDatabase scratch;
  SqlTicketTables tables;
  SqlRunStore runs;
  SqlIssueSearch search;
  SqlChangeFeed feed;
  SqlTicketFreshness freshness;
  SqlIssueDocuments documents;
  Config config;
  FakeClock clock;
  TemplateCatalog templates;
  ScriptedSyncRequests sync;
  ApiContext ctx;
  ScopeHeaderAccess access;
  ApiRouter router;

 private:
  int seq_ = 0;
};

}  // namespace jirasync::testing
