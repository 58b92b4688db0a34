#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/rate_bucket_store.hpp"

namespace jirasync {

// RateBucketStore as rows of rate_buckets, shared by every fetcher process.
// Each call is one write transaction: the row is locked (FOR UPDATE on
// PostgreSQL, BEGIN IMMEDIATE on SQLite), refilled by the time elapsed since
// its last update, and one token taken if there is one.
class SqlRateBucketStore final : public RateBucketStore {
 public:
  explicit SqlRateBucketStore(std::shared_ptr<Database> db);

  // refill_per_s == 0 means unlimited (only a "blocked until" makes callers
  // wait). Throws std::invalid_argument for an empty bucket name, a capacity
  // below 1 or a negative rate.
  int64_t try_take(const std::string& bucket, double capacity, double refill_per_s,
                   int64_t now_ms) override;
  // Never moves an existing block earlier.
  void block_until(const std::string& bucket, int64_t until_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
