#pragma once

#include <cstdint>

namespace jirasync {

// Whether SQLite should read a date range (`updated >= -7d`) through its
// index or walk the index of the query's order and test the range row by row.
// SQLite built without STAT4 guesses that any range is a quarter of the table
// (a sixty-fourth with two bounds), so for a range covering most issues it
// reads them all by the range index and sorts them, where walking the order
// would stop after the page. The adapter counts the range's rows up to
// range_probe_limit() (an index range read, bounded) and asks
// walk_order_past_range(); PostgreSQL has histograms and needs none of this.
struct RangePlanInputs {
  int64_t table_rows = 0;  // about how many tickets there are
  int64_t page_rows = 0;   // rows the statement asks for (limit + 1)
};

// How many rows of the range to count at most; 0: do not count (the table is
// small enough that either plan is fast).
int64_t range_probe_limit(const RangePlanInputs& in);

// True when `counted` (rows in the range, counted up to range_probe_limit())
// says the range is large enough to walk the order instead: enough that a
// page is expected within a few times its rows when matches spread evenly
// over the order, and at least a sixteenth of the table, which bounds what a
// walk past matches that all come last in the order can cost.
bool walk_order_past_range(const RangePlanInputs& in, int64_t counted);

}  // namespace jirasync
