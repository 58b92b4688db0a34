#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "common/jql/jql_syntax.hpp"
#include "common/url/database_url.hpp"

namespace jirasync {

// One custom field of the site as Jira's field list names it.
struct CustomFieldName {
  std::string id;    // "customfield_10016"
  std::string name;  // "Story Points"
};

// What a query's meaning depends on besides its text.
struct JqlContext {
  std::string account_id;         // currentUser(); "" = anonymous, matches nobody
  std::string time_zone = "UTC";  // the account's zone: bare dates and startOf...()
  int64_t now_ms = 0;             // from the injected Clock
  // Custom fields by name (ASCII lower-case name -> "customfield_10010"), for
  // `"Story Points" = 3`; cf[10010] needs no entry.
  std::map<std::string, std::string> custom_field_ids;
  // ASCII lower-case `assignee` values that no cached ticket shows as its
  // assignee's display name (SqlIssueSearch looks them up): they match by
  // account id alone, so the clause has no display-name arm and the
  // (assignee_id, updated_ms) index can yield the order.
  std::set<std::string> absent_assignee_names;
  // Names more than one custom field has (lower-case name -> their ids): a
  // query naming one is refused, naming the ids (add_custom_field_names).
  std::map<std::string, std::vector<std::string>> ambiguous_custom_fields;
  // The site's custom fields (the stored field list), asked for only when a
  // query names a field that is neither a system field, cf[N] nor in the maps
  // above: most queries never pay for the look-up. Empty: no look-up.
  std::function<std::vector<CustomFieldName>()> custom_fields;
  // Date columns ("t.updated_ms", "t.created_ms") whose range terms SQLite is
  // to test row by row (written `+column`, which no index serves), so that it
  // walks the index of the order instead (range_plan.hpp decides; ignored on
  // PostgreSQL).
  std::set<std::string> unindexed_ranges;
};

using JqlParam = std::variant<int64_t, std::string>;

// A range of one indexed date column that the whole query is restricted to
// (a term of the top-level AND; several on one column intersected), bounds
// inclusive.
struct JqlColumnRange {
  std::string column;  // "t.updated_ms"
  int64_t first_ms = INT64_MIN;
  int64_t last_ms = INT64_MAX;
  bool operator==(const JqlColumnRange&) const = default;
};

// One sort column; never NULL (empties map to a value that sorts last), so a
// keyset condition over it is plain comparison.
struct JqlSortColumn {
  std::string sql;
  bool ascending = true;
  bool text = false;  // compared as text (else a 64-bit integer)
};

// A query as SQL over `tickets t`: only `?` placeholders, bound in order from
// `params`; no input value ever appears in `where` or in a sort column.
struct CompiledJql {
  std::string where;  // a boolean expression ("1=1" when the query has none)
  std::vector<JqlParam> params;
  // ORDER BY, ending with the issue id, so the order is total (stable paging).
  std::vector<JqlSortColumn> order;
  // The query asks for deleted tickets (local.change = deleted); otherwise the
  // caller keeps them out.
  bool include_deleted = false;
  // The same for tickets outside their project's sync scope
  // (local.change = out_of_scope).
  bool include_out_of_scope = false;
  // The created/updated ranges of the query whose column does not lead the
  // order: where SQLite may read the range by its index and sort, or walk
  // the order and test the range (JqlContext::unindexed_ranges).
  std::vector<JqlColumnRange> ranges;
};

// Checks fields, operators, values and functions (Jira's wording) and builds
// the SQL. Pure: no database, no clock, no environment. Throws JqlError
// (kInvalid, or kUnsupported for what only Jira can answer, with the advice to
// use --source live).
CompiledJql compile_jql(const JqlQuery& query, Backend backend, const JqlContext& context);

}  // namespace jirasync
