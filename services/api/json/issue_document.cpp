#include "services/api/json/issue_document.hpp"

#include "common/clock/clock.hpp"
#include "common/store/local_ticket_data.hpp"
#include "common/store/ticket_queries.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

std::string issue_document_json(ApiContext& ctx, const CachedTicket& ticket,
                                const std::string& key_requested, const IssueOrigin& origin,
                                const std::string& note, const std::vector<TicketChange>* history,
                                const TicketLocalData* local_read) {
  const std::string& id = ticket.id;
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("issue");
  w.StartObject();
  write_issue_row(w, search_row_of(ticket), origin, ctx.clock.now_ms());
  write_issue_details(w, ticket.issue);
  w.EndObject();
  write_string(w, "key_requested", key_requested);
  write_string(w, "note", note);
  // One read of the local tables, not five, unless the caller read them.
  TicketLocalData read_here;
  if (!local_read) read_here = ctx.local.local_data_of(id);
  const TicketLocalData& local = local_read ? *local_read : read_here;
  w.Key("notes");
  w.StartArray();
  for (const Note& n : local.notes) {
    w.StartObject();
    write_string(w, "text", n.text);
    write_int64(w, "at_ms", n.at_ms);
    w.EndObject();
  }
  w.EndArray();
  write_strings(w, "tags", local.tags);
  w.Key("links");
  w.StartArray();
  for (const TicketLink& l : local.links) {
    w.StartObject();
    write_string(w, "type", l.target.type);
    write_string(w, "id", l.target.id);
    write_int64(w, "at_ms", l.at_ms);
    w.EndObject();
  }
  w.EndArray();
  write_local_edits(w, local.edits);
  w.Key("conflicts");
  w.StartArray();
  for (const Conflict& c : local.conflicts) write_conflict(w, c, ticket.key);
  w.EndArray();
  w.Key("history");
  w.StartArray();
  const std::vector<TicketChange> read =
      history ? std::vector<TicketChange>{} : ctx.tickets.changes(id);
  for (const TicketChange& c : history ? *history : read) {
    w.StartObject();
    write_string(w, "change", c.change);
    write_string(w, "run_id", c.run_id);
    write_int64(w, "at_ms", c.at_ms);
    w.Key("detail");
    write_stored_json(w, c.detail.empty() ? "{}" : c.detail);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return json_text(buffer);
}

}  // namespace jirasync
