#pragma once

#include <memory>
#include <string>

#include "common/bus/topics.hpp"
#include "common/clock/fake_clock.hpp"
#include "common/config/config.hpp"
#include "common/service/sync_trigger.hpp"
#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_run_store.hpp"
#include "services/api/api_keys_sql.hpp"
#include "services/api/api_role.hpp"
#include "tests/fakes/recording_producer.hpp"

namespace jirasync {

// The whole API over an in-memory SQLite database, a fake clock and a
// recording producer: requests go through the router as the server sends
// them (key check included). Two keys exist: `read_key` and `admin_key`.
class ApiFixture {
 public:
  explicit ApiFixture(Config config = default_config())
      : config_(std::move(config)),
        db_(Database::open("sqlite::memory:")),
        migrated_((migrate(*db_), true)),
        runs_(db_),
        trigger_(runs_, producer_, topic_name(config_.kafka.topic_prefix, Topic::kJobs), clock_),
        role_(
            config_, [this](int, const std::string&) { return db_; }, 1, trigger_, clock_) {
    SqlApiKeyStore keys(db_);
    auto read = make_api_key("reader", ApiScope::kRead, clock_.now_ms());
    auto admin = make_api_key("operator", ApiScope::kAdmin, clock_.now_ms());
    keys.insert(read.record);
    keys.insert(admin.record);
    read_key = read.key;
    admin_key = admin.key;
  }

  static Config default_config() {
    Config config;
    config.database_url = "sqlite::memory:";
    config.bus = BusKind::kInProcess;
    ProjectSettings a;
    a.key = "WRKA";
    ProjectSettings b;
    b.key = "WRKB";
    config.projects = {a, b};
    config.api.rate_per_s = 0;  // unlimited unless a test sets it
    return config;
  }

  // A request as the server hands it over; `key` "" sends no Authorization.
  RouteResponse send(const std::string& method, const std::string& target,
                     const std::string& key = "", const std::string& body = "") {
    RouteRequest request;
    request.method = method;
    request.target = target;
    const auto q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!key.empty()) request.headers["authorization"] = "Bearer " + key;
    request.body = body;
    return role_.router().dispatch(request);
  }

  Config config_;
  FakeClock clock_;
  std::shared_ptr<Database> db_;
  bool migrated_;
  SqlRunStore runs_;
  fakes::RecordingProducer producer_;
  SyncTrigger trigger_;
  ApiRole role_;
  std::string read_key;
  std::string admin_key;
};

}  // namespace jirasync
