#pragma once

#include <cstdint>
#include <string>

#include "common/json/json_writer.hpp"
#include "common/store/issue_search.hpp"
#include "common/store/ticket_records.hpp"

namespace jirasync {

struct ApiContext;
struct Config;

// Where an issue came from and how old it is, as every issue row says.
struct IssueOrigin {
  std::string source = "cache";  // "cache", or "jira" when refreshed for this call
  int64_t synced_ms = 0;
  int64_t age_ms = 0;
  bool stale = false;  // older than its project's cache_ttl
};

// The project's cache_ttl (1h for a project the config does not list).
int64_t project_ttl_ms(const Config& config, const std::string& project);
// The origin of a cached ticket from the freshness seam ("cache"; synced_ms
// falls back to `last_synced_ms` when the seam does not know the ticket).
IssueOrigin cached_origin(ApiContext& ctx, const std::string& id, const std::string& project,
                          int64_t last_synced_ms = 0);

// The issue row of the API contract (docs/api.md): id, key, project, ...,
// source, synced_ms, age_ms, stale. Written as the members of an open object.
void write_issue_row_members(JsonWriter& w, const IssueSearchRow& row, const IssueOrigin& origin);
void write_issue_row_members(JsonWriter& w, const JiraIssue& issue, bool deleted,
                             const IssueOrigin& origin);

// One issue in full, as get_issue and resources/read answer it:
// {"issue":{row + description, comments, custom_fields}, "key_requested",
//  "notes", "tags", "links", "conflicts", "history"}. (Local edits are not
// on ApiContext's seams: TicketCache holds them.)
std::string issue_detail_json(ApiContext& ctx, const CachedTicket& ticket,
                              const std::string& key_requested, const IssueOrigin& origin,
                              const std::string& note = "");

// JSON text holding an array of strings, as the search rows store lists;
// anything unreadable is an empty list.
std::vector<std::string> json_string_list(const std::string& json_array);

}  // namespace jirasync
