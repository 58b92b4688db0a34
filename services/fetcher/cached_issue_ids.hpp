#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/store/database.hpp"

namespace jirasync {

// The one thing a full sync's sweep needs to know about the cache: which
// issues of a project it holds, so the ones Jira has and the cache lacks are
// fetched instead of only being used to find deletions.
class CachedIssueIds {
 public:
  virtual ~CachedIssueIds() = default;
  // Ids of the live (not deleted) tickets of `project`.
  virtual std::vector<std::string> live_ids(const std::string& project) = 0;
};

// CachedIssueIds over the tickets table (PostgreSQL or SQLite).
class SqlCachedIssueIds final : public CachedIssueIds {
 public:
  explicit SqlCachedIssueIds(std::shared_ptr<Database> db);
  std::vector<std::string> live_ids(const std::string& project) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
