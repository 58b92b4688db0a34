#include "services/fetcher/fetch_query.hpp"

#include "services/fetcher/sync_scope.hpp"

namespace jirasync {

std::string quote_jql(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string updated_since_jql(const std::string& project, int64_t since_ms) {
  std::string jql = "project = " + quote_jql(project) + scope_clause(project);
  if (since_ms > 0) jql += " AND updated >= " + std::to_string(since_ms);
  return jql + " ORDER BY updated ASC, key ASC";
}

std::string sweep_jql(const std::string& project, const std::string& after_key) {
  std::string jql = "project = " + quote_jql(project) + scope_clause(project);
  if (!after_key.empty()) jql += " AND key > " + quote_jql(after_key);
  return jql + " ORDER BY key ASC";
}

}  // namespace jirasync
