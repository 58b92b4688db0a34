#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/rate_bucket_store.hpp"

namespace jirasync {

// RateBucketStore as rows of rate_buckets, shared by every fetcher process.
// Each call is one write transaction: the row is locked (FOR UPDATE on
// PostgreSQL, BEGIN IMMEDIATE on SQLite), changed, and written back.
class SqlRateBucketStore final : public RateBucketStore {
 public:
  explicit SqlRateBucketStore(std::shared_ptr<Database> db);

  // Throws std::invalid_argument for an empty bucket name; writes nothing
  // when `step` leaves the state as it was.
  int64_t update(const std::string& bucket, const RateBucketState& fresh,
                 const Step& step) override;
  void block_until(const std::string& bucket, int64_t until_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
