#include "cli/cli_context.hpp"

#include "common/store/database.hpp"
#include "common/store/migrations.hpp"

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

}  // namespace jirasync
