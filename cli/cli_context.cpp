#include "cli/cli_context.hpp"

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"
#include "common/store/sql_local_ticket_data.hpp"
#include "common/store/sql_run_store.hpp"
#include "common/store/sql_ticket_cache.hpp"
#include "common/store/sql_ticket_queries.hpp"

namespace jirasync {

const Config& CliContext::config() {
  if (!config_) config_ = std::make_unique<Config>(load_config(config_path));
  return *config_;
}

std::shared_ptr<Database> CliContext::database() {
  if (!db_) {
    db_ = Database::open(config().database_url);
    migrate(*db_);
  }
  return db_;
}

TicketQueries& CliContext::ticket_queries() {
  if (!queries_) queries_ = std::make_shared<SqlTicketQueries>(database());
  return *queries_;
}

LocalTicketData& CliContext::local_data() {
  if (!local_data_) local_data_ = std::make_shared<SqlLocalTicketData>(database());
  return *local_data_;
}

TicketCache& CliContext::ticket_cache() {
  if (!cache_) cache_ = std::make_shared<SqlTicketCache>(database());
  return *cache_;
}

RunStore& CliContext::runs() {
  if (!runs_) runs_ = std::make_shared<SqlRunStore>(database());
  return *runs_;
}

}  // namespace jirasync
