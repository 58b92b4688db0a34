#include "common/store/sql_rate_bucket_store.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/store/sql_query.hpp"

namespace jirasync {

SqlRateBucketStore::SqlRateBucketStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

int64_t SqlRateBucketStore::update(const std::string& bucket, const RateBucketState& fresh,
                                   const Step& step) {
  if (bucket.empty()) throw std::invalid_argument("bucket: name must not be empty");
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    soci::session& s = db_->session();
    const std::string select = std::string(
                                   "SELECT tokens, updated_ms, blocked_until_ms FROM "
                                   "rate_buckets WHERE name = ?") +
                               db_->dialect().lock_for_update();
    auto row = SqlQuery(select).arg(bucket).fetch_one(s, "rii");
    if (!row) {
      // Another process may create the bucket at the same moment: DO
      // NOTHING, then lock whichever row won.
      SqlQuery(
          "INSERT INTO rate_buckets (name, tokens, updated_ms, blocked_until_ms) "
          "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")
          .arg(bucket)
          .arg(fresh.tokens)
          .arg(fresh.updated_ms)
          .arg(fresh.blocked_until_ms)
          .execute(s);
      row = SqlQuery(select).arg(bucket).fetch_one(s, "rii");
      if (!row) throw DatabaseError("rate bucket '" + bucket + "' vanished while being created");
    }
    const RateBucketState before{row->real(0), row->i64(1), row->i64(2)};
    RateBucketState state = before;
    const int64_t result = step(state);
    if (state.tokens != before.tokens || state.updated_ms != before.updated_ms ||
        state.blocked_until_ms != before.blocked_until_ms) {
      SqlQuery(
          "UPDATE rate_buckets SET tokens = ?, updated_ms = ?, blocked_until_ms = ? WHERE name = ?")
          .arg(state.tokens)
          .arg(state.updated_ms)
          .arg(state.blocked_until_ms)
          .arg(bucket)
          .execute(s);
    }
    tx.commit();
    return result;
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("updating rate bucket " + bucket, e);
  }
}

void SqlRateBucketStore::block_until(const std::string& bucket, int64_t until_ms) {
  if (bucket.empty()) throw std::invalid_argument("bucket: name must not be empty");
  auto lock = db_->lock();
  try {
    // A bucket first seen here starts empty at time 0: the next take refills
    // it to capacity once the hold is over.
    SqlQuery(
        "INSERT INTO rate_buckets (name, tokens, updated_ms, blocked_until_ms) VALUES (?, 0, 0, ?) "
        "ON CONFLICT (name) DO UPDATE SET blocked_until_ms = " +
        db_->dialect().greatest("rate_buckets.blocked_until_ms", "excluded.blocked_until_ms"))
        .arg(bucket)
        .arg(until_ms)
        .execute(db_->session());
  } catch (const std::exception& e) {
    db_->fail("blocking rate bucket " + bucket, e);
  }
}

}  // namespace jirasync
