#pragma once

#include <cstdint>
#include <string>

namespace jirasync {

// What `jirasync replay` knows when it starts.
struct IndexDeferralFacts {
  bool postgres = false;       // SQLite keeps its indexes up row by row
  int64_t cached_tickets = 0;  // rows in `tickets`, deleted ones included
  int64_t records = 0;         // records on issues.raw to replay
  bool keep_indexes = false;   // --keep-indexes
};

struct IndexDeferral {
  bool defer = false;
  std::string reason;  // one sentence for the replay's output
};

// Whether a replay drops the secondary indexes of the ticket tables and
// builds them after the last batch: only into an empty cache on PostgreSQL,
// where every row is new and one sorted build per index costs a fraction of
// keeping 16 indexes up row by row (docs/benchmarks.md, "Replay"). Over rows
// (in place) the indexes stay: most rows are left as they are.
IndexDeferral decide_index_deferral(const IndexDeferralFacts& facts);

}  // namespace jirasync
