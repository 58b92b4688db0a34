#include <soci/soci.h>

#include "common/store/sql_query.hpp"
#include "services/fetcher/cached_issue_ids.hpp"

namespace jirasync {

SqlCachedIssueIds::SqlCachedIssueIds(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::vector<std::string> SqlCachedIssueIds::live_ids(const std::string& project) {
  auto lock = db_->lock();
  try {
    std::vector<std::string> ids;
    for (const SqlRow& row : SqlQuery("SELECT id FROM tickets WHERE project = ? AND deleted = 0")
                                 .arg(project)
                                 .fetch(db_->session(), "t")) {
      ids.push_back(row.text(0));
    }
    return ids;
  } catch (const std::exception& e) {
    db_->fail("reading the cached ids of project " + project, e);
  }
}

}  // namespace jirasync
