#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "common/json/json_writer.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

// The JSON shapes of /api/v1 for the cache's records (API_CONTRACT.md); MCP
// answers with the same shapes.

// Where one issue row came from and how old it is: every row carries it.
struct IssueOrigin {
  std::string source = "cache";  // "cache", or "jira" when refreshed for this request
  int64_t synced_ms = 0;
  bool stale = false;
};

// How old the cached copy is at `now_ms` (0 when it was never synced).
int64_t issue_age_ms(const IssueOrigin& origin, int64_t now_ms);

// The members of an issue row, in order ("fields=" picks from them; key and
// the origin members are always written).
const std::vector<std::string>& issue_row_fields();

// The members of one issue row (the caller opens and closes the object).
// `fields` empty = every field.
void write_issue_row(JsonWriter& w, const IssueSearchRow& row, const IssueOrigin& origin,
                     int64_t now_ms, const std::set<std::string>& fields = {});

// The row of a cached ticket, as a search would list it.
IssueSearchRow search_row_of(const CachedTicket& ticket);

// The members the issue-by-key view adds to the row: description, comments,
// custom fields and the fields kept since migration 5.
void write_issue_details(JsonWriter& w, const JiraIssue& issue);

// "local_edits": [{field, value, edited_ms}].
void write_local_edits(JsonWriter& w, const std::vector<LocalEdit>& edits);

void write_conflict(JsonWriter& w, const Conflict& conflict, const std::string& key);

// Stored JSON text (a change's detail, a custom field's value) as a value; null
// when it does not parse.
void write_stored_json(JsonWriter& w, const std::string& json_text);

// The finished document of a writer.
std::string json_text(const rapidjson::StringBuffer& buffer);

}  // namespace jirasync
