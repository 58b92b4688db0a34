#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jirasync {

class Database;

// Secondary indexes of the ticket tables that a replay into an empty cache
// drops and builds again after its last batch: one sorted build per index
// instead of an index insert per row (docs/benchmarks.md, "Replay"). Each
// definition waits in `deferred_indexes` (migration 16) from the transaction
// that drops the index to the one that builds it, so a replay killed in
// between leaves it to the next process that opens the cache
// (build_deferred_indexes(), which migrate() runs first).
class DeferredIndexes {
 public:
  virtual ~DeferredIndexes() = default;

  // When `tickets` has no row: in one transaction, records and drops every
  // index of the ticket tables that no primary key or unique constraint
  // needs (the upserts' ON CONFLICT targets stay); returns their names.
  // Nothing when the cache has rows, or on SQLite.
  virtual std::vector<std::string> defer_if_empty() = 0;

  // The names still waiting to be built, full-text (GIN) ones first: they
  // take longest.
  virtual std::vector<std::string> waiting() = 0;

  // Builds one waiting index and forgets it, in one transaction; waits while
  // another process builds it. False when it was no longer waiting.
  virtual bool build(const std::string& name) = 0;
};

// On PostgreSQL; on SQLite it defers nothing (SQLite keeps its indexes up
// row by row).
class SqlDeferredIndexes : public DeferredIndexes {
 public:
  explicit SqlDeferredIndexes(Database& db) : db_(db) {}
  std::vector<std::string> defer_if_empty() override;
  std::vector<std::string> waiting() override;
  bool build(const std::string& name) override;

 private:
  Database& db_;
};

// Builds every index a replay dropped and did not build again (it was killed
// or lost the database in between); returns how many. Does nothing before
// migration 16 and on SQLite. Every role and command runs it when it opens
// the cache (migrate()).
int build_deferred_indexes(Database& db);

}  // namespace jirasync
