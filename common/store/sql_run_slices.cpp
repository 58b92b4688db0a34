#include "common/store/sql_run_slices.hpp"

#include "common/store/run_completion.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/sql_run_store.hpp"

namespace jirasync {

SqlRunSlices::SqlRunSlices(std::shared_ptr<Database> db) : db_(std::move(db)) {}

void SqlRunSlices::open(const std::string& run_id, const std::string& listing, int64_t now_ms) {
  auto lock = db_->lock();
  // The fetch is not complete under a new listing, whatever an earlier one of
  // this attempt recorded: its slices are fetched again under this one.
  SqlQuery(
      "UPDATE sync_runs SET slice_listing = ?, slices_total = 0, slices_done = 0, "
      "slice_emitted = 0, slice_fetched = 0, cursor_cap_ms = NULL, fetch_complete = 0, "
      "heartbeat_ms = ? WHERE id = ? AND status IN ('queued', 'running')")
      .arg(listing)
      .arg(now_ms)
      .arg(run_id)
      .execute(db_->session());
}

void SqlRunSlices::close(const std::string& run_id, const std::string& listing, int64_t slices,
                         int64_t cursor_cap_ms) {
  auto lock = db_->lock();
  SqlQuery(
      "UPDATE sync_runs SET slices_total = ?, cursor_cap_ms = ? "
      "WHERE id = ? AND slice_listing = ? AND status IN ('queued', 'running')")
      .arg(slices)
      .arg(cursor_cap_ms)
      .arg(run_id)
      .arg(listing)
      .execute(db_->session());
}

bool SqlRunSlices::wanted(const std::string& run_id, int attempt, const std::string& listing,
                          int64_t seq) {
  auto lock = db_->lock();
  return SqlQuery(
             "SELECT 1 FROM sync_runs WHERE id = ? AND status = 'running' AND attempt = ? AND "
             "slice_listing = ? AND NOT EXISTS (SELECT 1 FROM run_slices WHERE run_id = ? AND "
             "listing = ? AND seq = ?)")
      .arg(run_id)
      .arg(int64_t{attempt})
      .arg(listing)
      .arg(run_id)
      .arg(listing)
      .arg(seq)
      .fetch_one(db_->session(), "i")
      .has_value();
}

bool SqlRunSlices::complete(const std::string& run_id, const std::string& listing, int64_t seq,
                            const SliceOutcome& outcome, int64_t now_ms) {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    // The row first: a slice fetched twice (its offset commit was lost) is
    // counted once, whichever fetcher records it.
    const int64_t inserted =
        SqlQuery(
            "INSERT INTO run_slices (run_id, listing, seq, emitted, done_ms, fetched_by) "
            "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM sync_runs WHERE id = ? AND "
            "slice_listing = ? AND status = 'running') ON CONFLICT DO NOTHING")
            .arg(run_id)
            .arg(listing)
            .arg(seq)
            .arg(outcome.emitted)
            .arg(now_ms)
            .arg(outcome.fetched_by)
            .arg(run_id)
            .arg(listing)
            .execute(db_->session());
    if (inserted != 1) return false;
    // Against the row as the writer and the owner last committed it (the
    // expressions see the values before this update): whichever of the three
    // commits last finalises the run.
    const int64_t n =
        SqlQuery(
            "UPDATE sync_runs SET slices_done = slices_done + 1, "
            "slice_emitted = slice_emitted + ?, slice_fetched = slice_fetched + ?, "
            "slice_api_calls = slice_api_calls + ?, max_updated_ms = " +
            db_->dialect().greatest("max_updated_ms", "?") + ", heartbeat_ms = ?, " +
            finalise_run_sql("fetch_complete = 1", "applied", "emitted + ?", "slices_done + 1") +
            " WHERE id = ? AND slice_listing = ? AND status = 'running'")
            .arg(outcome.emitted)
            .arg(outcome.fetched)
            .arg(outcome.api_calls)
            .arg(outcome.max_updated_ms)
            .arg(now_ms)
            .arg(outcome.emitted)
            .arg(outcome.emitted)
            .arg(now_ms)
            .arg(run_id)
            .arg(listing)
            .execute(db_->session());
    if (n == 1) advance_cursor_if_succeeded(*db_, run_id);
    tx.commit();
    return n == 1;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("recording slice " + std::to_string(seq) + " of run " + run_id, e);
  }
}

void SqlRunSlices::touch(const std::string& run_id, int64_t now_ms) {
  auto lock = db_->lock();
  SqlQuery("UPDATE sync_runs SET heartbeat_ms = ? WHERE id = ? AND status = 'running'")
      .arg(now_ms)
      .arg(run_id)
      .execute(db_->session());
}

}  // namespace jirasync
