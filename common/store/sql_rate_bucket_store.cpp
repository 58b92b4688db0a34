#include "common/store/sql_rate_bucket_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/store/sql_query.hpp"

namespace jirasync {

SqlRateBucketStore::SqlRateBucketStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

int64_t SqlRateBucketStore::try_take(const std::string& bucket, double capacity,
                                     double refill_per_s, int64_t now_ms) {
  if (bucket.empty()) throw std::invalid_argument("bucket: name must not be empty");
  if (!(refill_per_s >= 0)) throw std::invalid_argument("refill_per_s: must be >= 0");
  if (refill_per_s > 0 && !(capacity >= 1)) {
    throw std::invalid_argument("capacity: must be >= 1 (a bucket must hold at least one token)");
  }
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
      // A new bucket starts full. Another process may create it at the same
      // moment: DO NOTHING, then lock whichever row won.
      SqlQuery(
          "INSERT INTO rate_buckets (name, tokens, updated_ms, blocked_until_ms) "
          "VALUES (?, ?, ?, 0) ON CONFLICT (name) DO NOTHING")
          .arg(bucket)
          .arg(capacity)
          .arg(now_ms)
          .execute(s);
      row = SqlQuery(select).arg(bucket).fetch_one(s, "rii");
      if (!row) throw DatabaseError("rate bucket '" + bucket + "' vanished while being created");
    }
    const double stored_tokens = row->real(0);
    const int64_t updated_ms = row->i64(1);
    const int64_t blocked_until_ms = row->i64(2);

    if (blocked_until_ms > now_ms) {
      tx.commit();
      return blocked_until_ms - now_ms;
    }
    if (refill_per_s == 0) {
      tx.commit();
      return 0;
    }
    // Clocks of different fetcher hosts disagree a little: time never runs
    // backwards for the bucket, so a late caller refills nothing.
    const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - updated_ms);
    double tokens = std::min(capacity, stored_tokens + elapsed_ms / 1000.0 * refill_per_s);
    int64_t wait_ms = 0;
    if (tokens >= 1.0 - 1e-9) {  // float noise must not cost a whole wait
      tokens = std::max(0.0, tokens - 1.0);
    } else {
      wait_ms = std::max<int64_t>(
          1, static_cast<int64_t>(std::ceil((1.0 - tokens) / refill_per_s * 1000.0 - 1e-6)));
    }
    SqlQuery("UPDATE rate_buckets SET tokens = ?, updated_ms = ? WHERE name = ?")
        .arg(tokens)
        .arg(std::max(now_ms, updated_ms))
        .arg(bucket)
        .execute(s);
    tx.commit();
    return wait_ms;
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail("taking a token from rate bucket " + bucket, e);
  }
}

void SqlRateBucketStore::block_until(const std::string& bucket, int64_t until_ms) {
  if (bucket.empty()) throw std::invalid_argument("bucket: name must not be empty");
  auto lock = db_->lock();
  try {
    // A bucket first seen here starts empty at time 0: the next try_take
    // refills it to capacity (min(capacity, ...)) once the block is over.
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
