#include "services/api/api_role.hpp"

#include "common/http/service_http_server.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_change_feed.hpp"
#include "common/store/sql_issue_documents.hpp"
#include "common/store/sql_issue_search.hpp"
#include "common/store/sql_local_ticket_data.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_freshness.hpp"
#include "common/store/sql_ticket_queries.hpp"
#include "common/templates/template_catalog.hpp"
#include "services/api/api_keys_sql.hpp"
#include "services/api/api_routes.hpp"
#include "services/api/key_access_check.hpp"
#include "services/api/pipeline_sync_requests.hpp"
#include "services/api/request_rate.hpp"

namespace jirasync {
namespace {

// The embedded listener's handler threads (cli/embedded_listener.cpp).
constexpr int kEmbeddedHandlerThreads = 4;

// The hot reads (a ticket by key with its lists, local data and history; a
// page's tickets by id) are fetch_in statements, prepared once per
// connection with the keys as one array. PostgreSQL's default plans such a
// statement again on every run (its generic plan's guess of the array's size
// looks dearer than a custom plan), and that planning cost more CPU than
// running it: 1.5 of the 2 ms a key lookup cost. JQL searches bind their
// values too, and their plans may depend on them, so they get a pool of
// their own with PostgreSQL's default.
constexpr const char* kGenericPlans = "SET plan_cache_mode = force_generic_plan";

}  // namespace

struct ApiRole::Parts {
  Parts(const Config& config, const DatabaseOpener& open, int handler_threads, SyncTrigger& trigger,
        Clock& clock)
      : main_db(open(handler_threads, kGenericPlans)),
        search_db(main_db->backend() == Backend::kPostgres ? open(handler_threads, "") : main_db),
        search(search_db),
        changes(main_db),
        tickets(main_db),
        local(main_db),
        freshness(main_db),
        documents(main_db),
        runs(main_db),
        templates(config.templates),
        sync(trigger),
        context{config,    clock,     search, changes,   tickets, local,
                freshness, documents, runs,   templates, sync},
        keys(main_db),
        rate(config.api.rate_per_s, config.api.rate_burst),
        access(keys, clock, &rate),
        router(access) {
    router.add(all_routes(context));
  }

  // On PostgreSQL two pools with a connection per handler thread each, so
  // the handlers read in parallel, each on the connection it took for the
  // length of a seam call: JQL searches on search_db, every other read on
  // main_db (generic plans). On SQLite both are the one connection.
  std::shared_ptr<Database> main_db;
  std::shared_ptr<Database> search_db;
  SqlIssueSearch search;
  SqlChangeFeed changes;
  SqlTicketQueries tickets;
  SqlLocalTicketData local;
  SqlTicketFreshness freshness;
  SqlIssueDocuments documents;
  SqlRunStore runs;
  TemplateCatalog templates;
  PipelineSyncRequests sync;
  ApiContext context;
  SqlApiKeyStore keys;
  RequestRate rate;
  KeyAccessCheck access;
  ApiRouter router;
};

ApiRole::ApiRole(const Config& config, const DatabaseOpener& open_database, int handler_threads,
                 SyncTrigger& trigger, Clock& clock)
    : parts_(std::make_unique<Parts>(config, open_database, handler_threads, trigger, clock)) {}

ApiRole::~ApiRole() = default;

ApiContext& ApiRole::context() {
  return parts_->context;
}

const ApiRouter& ApiRole::router() const {
  return parts_->router;
}

void ApiRole::mount(ServiceHttpServer& server) const {
  parts_->router.mount(server);
}

std::unique_ptr<ApiRole> mount_api(ServiceHttpServer& server, const Config& config,
                                   SyncTrigger& trigger, Clock& clock) {
  const std::string url = config.database_url;
  auto role = std::make_unique<ApiRole>(
      config,
      [url](int connections, const std::string& session_setup) {
        return Database::open(url, connections, session_setup);
      },
      kEmbeddedHandlerThreads, trigger, clock);
  role->mount(server);
  return role;
}

}  // namespace jirasync
