#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace jirasync {

// One field of the site as Jira's field list (GET /rest/api/3/field) names it.
struct CatalogField {
  std::string id;    // "summary", "customfield_10016"
  std::string name;  // "Summary", "Story Points"
  bool custom = false;
  bool operator==(const CatalogField&) const = default;
};

// Jira's field list as the fetcher last read it: what lets JQL on the cache
// name custom fields as people do (`"Story Points" > 3`).
class FieldCatalog {
 public:
  virtual ~FieldCatalog() = default;
  // Replaces the whole list in one transaction (a field renamed or removed in
  // Jira is gone here too), stamped with when it was read.
  virtual void replace_all(const std::vector<CatalogField>& fields, int64_t fetched_ms) = 0;
  // Every stored field, by id.
  virtual std::vector<CatalogField> all() = 0;
  // When the stored list was read; unset when none is stored.
  virtual std::optional<int64_t> fetched_ms() = 0;
};

}  // namespace jirasync
