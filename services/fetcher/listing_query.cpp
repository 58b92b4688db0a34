#include "services/fetcher/listing_query.hpp"

#include "services/fetcher/fetch_query.hpp"
#include "services/fetcher/sync_scope.hpp"

namespace jirasync {

std::string changed_listing_jql(const std::string& project, int64_t since_ms,
                                const std::string& after_key) {
  std::string jql = "project = " + quote_jql(project) + scope_clause(project);
  if (since_ms > 0) jql += " AND updated >= " + std::to_string(since_ms);
  if (!after_key.empty()) jql += " AND key > " + quote_jql(after_key);
  return jql + " ORDER BY key ASC";
}

}  // namespace jirasync
