#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/jql/jql_syntax.hpp"
#include "common/jql/sql_compiler.hpp"
#include "common/store/field_catalog.hpp"

namespace jirasync {

// One cached issue as a search lists it.
struct IssueSearchRow {
  std::string id;
  std::string key;
  std::string project;
  std::string issue_type;
  std::string status;
  std::string status_category;
  std::string priority;
  std::string assignee;  // display name ("" when unassigned)
  std::string reporter;
  std::string resolution;
  std::string summary;
  std::string labels;      // JSON array text
  std::string components;  // JSON array text
  std::string fix_versions;
  std::string parent_key;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::optional<int64_t> resolved_ms;
  int64_t last_synced_ms = 0;
  bool deleted = false;
};

struct IssueSearchPage {
  std::vector<IssueSearchRow> rows;
  // Pass to the next search() as `after` for the following page; "" when this
  // page was the last.
  std::string next_cursor;
};

// JQL over the cache (the `cache` source of `jirasync search`).
class IssueSearch {
 public:
  virtual ~IssueSearch() = default;
  // At most `limit` rows (1..10000) after the keyset position `after` ("" = the
  // start). Throws JqlError for a query the cache cannot run,
  // std::invalid_argument for a cursor of another query, DatabaseError.
  virtual IssueSearchPage search(const JqlQuery& query, const JqlContext& context, int limit,
                                 const std::string& after) = 0;
  // How many issues the query matches (the classic search's `total`),
  // counted by the database rather than read. Throws as search() does.
  virtual int64_t count(const JqlQuery& query, const JqlContext& context) = 0;
  // `context` able to resolve custom field names as search() does (the stored
  // field list), for a caller that compiles a query itself first to check it.
  virtual JqlContext with_field_list(const JqlContext& context) const { return context; }
  // Jira's field list as the fetcher last stored it (FieldCatalog), by id;
  // empty when none is stored. Throws DatabaseError.
  virtual std::vector<CatalogField> stored_fields() { return {}; }
};

}  // namespace jirasync
