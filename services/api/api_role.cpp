#include "services/api/api_role.hpp"

#include "common/http/service_http_server.hpp"
#include "common/store/database.hpp"
#include "common/store/sql_change_feed.hpp"
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
constexpr int kEmbeddedApiConnections = 4;

}  // namespace

struct ApiRole::Parts {
  Parts(const Config& config, const std::function<std::shared_ptr<Database>()>& open,
        SyncTrigger& trigger, Clock& clock)
      : main_db(open()),
        search(main_db),
        changes(main_db),
        tickets(main_db),
        local(main_db),
        freshness(main_db),
        runs(main_db),
        templates(config.templates),
        sync(trigger),
        context{config, clock, search, changes, tickets, local, freshness, runs, templates, sync},
        keys(main_db),
        rate(config.api.rate_per_s, config.api.rate_burst),
        access(keys, clock, &rate),
        router(access) {
    router.add(all_routes(context));
  }

  // Every seam on the one Database: on PostgreSQL open it with a connection
  // per handler thread, so the handlers read in
  // parallel, each on the connection it took for the length of a seam call.
  std::shared_ptr<Database> main_db;
  SqlIssueSearch search;
  SqlChangeFeed changes;
  SqlTicketQueries tickets;
  SqlLocalTicketData local;
  SqlTicketFreshness freshness;
  SqlRunStore runs;
  TemplateCatalog templates;
  PipelineSyncRequests sync;
  ApiContext context;
  SqlApiKeyStore keys;
  RequestRate rate;
  KeyAccessCheck access;
  ApiRouter router;
};

ApiRole::ApiRole(const Config& config,
                 const std::function<std::shared_ptr<Database>()>& open_database,
                 SyncTrigger& trigger, Clock& clock)
    : parts_(std::make_unique<Parts>(config, open_database, trigger, clock)) {}

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
      config, [url] { return Database::open(url, kEmbeddedApiConnections); }, trigger, clock);
  role->mount(server);
  return role;
}

}  // namespace jirasync
