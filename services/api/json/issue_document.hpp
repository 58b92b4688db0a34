#pragma once

#include <string>

#include "common/store/local_ticket_data.hpp"
#include "common/store/ticket_records.hpp"
#include "services/api/json/cache_json.hpp"

namespace jirasync {

struct ApiContext;

// One issue in full, as GET /api/v1/issues/{key}, MCP get_issue and the
// jira://issue resource answer it: {"issue":{row + details}, "key_requested",
// "note", "notes", "tags", "links", "local_edits", "conflicts", "history"}.
// `history` and `local`, when the caller read them with the ticket, save reads.
std::string issue_document_json(ApiContext& ctx, const CachedTicket& ticket,
                                const std::string& key_requested, const IssueOrigin& origin,
                                const std::string& note,
                                const std::vector<TicketChange>* history = nullptr,
                                const TicketLocalData* local = nullptr);

}  // namespace jirasync
