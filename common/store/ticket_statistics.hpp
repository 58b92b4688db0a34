#pragma once

#include <cstdint>

namespace jirasync {

class Database;

// PostgreSQL plans each batch's `ticket_id IN (SELECT unnest($1))` from the
// ticket tables' statistics. Tables filled since their last ANALYZE (a first
// sync, a replay) have none, so the planner assumes a few distinct keys and
// scans the whole table for every batch, more each batch as it grows.
// Gathers the statistics of the looked-up key columns only, from a small
// sample; autovacuum gathers them in full later. Does nothing on SQLite.
void analyze_ticket_keys(Database& db);

// When a process that keeps adding rows to the ticket tables gathers their
// statistics again: once `first` rows are in, then each time that count has
// grown fourfold (a handful of ANALYZEs however large the sync).
class StatisticsSchedule {
 public:
  explicit StatisticsSchedule(int64_t first = 2000) : next_(first) {}

  // `rows`: all rows added so far. True once for each threshold passed.
  bool due(int64_t rows) {
    if (rows < next_) return false;
    while (next_ <= rows) next_ *= 4;
    return true;
  }

 private:
  int64_t next_;
};

}  // namespace jirasync
