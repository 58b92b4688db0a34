#pragma once

#include <memory>

#include "common/store/change_feed.hpp"
#include "common/store/database.hpp"

namespace jirasync {

// ChangeFeed on ticket_changes, tickets, links and the marks of migration 6
// (viewer_looks, link_reviews).
class SqlChangeFeed : public ChangeFeed {
 public:
  explicit SqlChangeFeed(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  std::vector<FeedEntry> changes_since(const FeedQuery& query) override;
  std::optional<int64_t> last_look(const std::string& viewer) override;
  void mark_seen(const std::string& viewer, int64_t at_ms) override;
  std::vector<ReviewedLink> reviewed_links(const LinkTarget& target) override;
  std::optional<int64_t> reviewed_at(const LinkTarget& target) override;
  int64_t mark_reviewed(const LinkTarget& target, int64_t at_ms) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
