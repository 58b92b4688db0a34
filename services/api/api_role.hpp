#pragma once

#include <functional>
#include <memory>
#include <string>

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
  // Opens a Database of `connections` (PostgreSQL) running `session_setup`
  // on each (Database::open).
  using DatabaseOpener =
      std::function<std::shared_ptr<Database>(int connections, const std::string& session_setup)>;
  // On PostgreSQL the role opens two pools of `handler_threads` connections
  // (the server's handler threads), so handlers read in parallel and a slow
  // query holds only its own connection: one for JQL searches, one for every
  // other read (api_role.cpp says why); on SQLite one connection for all.
  // Sync requests go through `trigger` (its run store and bus producer).
  ApiRole(const Config& config, const DatabaseOpener& open_database, int handler_threads,
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
