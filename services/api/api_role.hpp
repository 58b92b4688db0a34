#pragma once

#include <functional>
#include <memory>

#include "services/api/api_context.hpp"
#include "services/api/api_router.hpp"

namespace jirasync {

class Database;
class ServiceHttpServer;
class SyncTrigger;
class Clock;

// The API as one piece, over SQL: the store seams (PostgreSQL or SQLite, as
// `database_url` says), the API keys and their per-key rate, the router with
// every route family. jirasync-api and the embedded `jirasync run` both build
// one and mount it on a ServiceHttpServer.
class ApiRole {
 public:
  // `open_database` is called once: every seam and the keys share that
  // Database. On PostgreSQL open it with one connection per handler thread
  // (Database::open's `connections`), so handlers read in parallel and a slow
  // query holds only its own; on SQLite there is one. Sync requests go
  // through `trigger` (its run store and bus producer).
  ApiRole(const Config& config, const std::function<std::shared_ptr<Database>()>& open_database,
          SyncTrigger& trigger, Clock& clock);
  ~ApiRole();

  ApiContext& context();
  const ApiRouter& router() const;
  void mount(ServiceHttpServer& server) const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

// What `jirasync run` calls: the API on `server` (its `listen` address).
std::unique_ptr<ApiRole> mount_api(ServiceHttpServer& server, const Config& config,
                                   SyncTrigger& trigger, Clock& clock);

}  // namespace jirasync
