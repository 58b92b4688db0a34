#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/store/database.hpp"

namespace jirasync {

// One schema step. Statements may use the SqlDialect template variables
// (${BIGINT}, ${TEXT}, ${REAL}, ${BOOL}, ${SERIAL_PK}).
struct Migration {
  Migration(int version, std::string description, std::vector<std::string> statements,
            std::optional<Backend> only_on = std::nullopt)
      : version(version),
        description(std::move(description)),
        statements(std::move(statements)),
        only_on(only_on) {}

  int version;
  std::string description;
  std::vector<std::string> statements;
  // Set for a step that means something on one backend only (storage tuning
  // such as column compression): the others record the version and run none
  // of its statements, so both keep one version sequence.
  std::optional<Backend> only_on;
};

// Every migration of the schema, oldest first. Never edit a released one: add
// a new version.
const std::vector<Migration>& schema_migrations();

// Applies the migrations not yet recorded in schema_migrations(version,
// applied_ms), all in one transaction that also locks out concurrent
// migrators. Re-running is a no-op. Returns how many were applied.
int migrate(Database& db);
int migrate(Database& db, const std::vector<Migration>& migrations);

// Versions recorded as applied, ascending.
std::vector<int> applied_migrations(Database& db);

}  // namespace jirasync
