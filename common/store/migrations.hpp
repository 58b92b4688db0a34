#pragma once

#include <string>
#include <vector>

#include "common/store/database.hpp"

namespace jirasync {

// One schema step. Statements may use the SqlDialect template variables
// (${BIGINT}, ${TEXT}, ${REAL}, ${BOOL}, ${SERIAL_PK}).
struct Migration {
  int version = 0;
  std::string description;
  std::vector<std::string> statements;
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
