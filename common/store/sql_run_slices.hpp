#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/run_slices.hpp"

namespace jirasync {

// RunSlices on sync_runs and run_slices (PostgreSQL or SQLite). Every call
// holds the Database lock; safe from several threads.
class SqlRunSlices final : public RunSlices {
 public:
  explicit SqlRunSlices(std::shared_ptr<Database> db);

  void open(const std::string& run_id, const std::string& listing, int64_t now_ms) override;
  void close(const std::string& run_id, const std::string& listing, int64_t slices,
             int64_t cursor_cap_ms) override;
  bool wanted(const std::string& run_id, int attempt, const std::string& listing,
              int64_t seq) override;
  bool complete(const std::string& run_id, const std::string& listing, int64_t seq,
                const SliceOutcome& outcome, int64_t now_ms) override;
  void touch(const std::string& run_id, int64_t now_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
