#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/store/ticket_records.hpp"

namespace jirasync {

// Everything local about one ticket, as local_edits_of, notes, tags, links
// and conflicts(ticket_id, false) give it.
struct TicketLocalData {
  std::vector<LocalEdit> edits;
  std::vector<Note> notes;
  std::vector<std::string> tags;
  std::vector<TicketLink> links;
  std::vector<Conflict> conflicts;
};

// The user's own data about cached tickets: local edits, notes, tags, links
// and conflict decisions. No sync derives it; replaying the topics keeps it.
//
// Every write throws std::invalid_argument naming the field for a ticket id
// the cache does not hold or bad input (see local_ticket_rules.hpp), and then
// writes nothing.
class LocalTicketData {
 public:
  virtual ~LocalTicketData() = default;

  // Throws std::invalid_argument naming the field for an empty field.
  virtual void put_local_edit(const LocalEdit& edit) = 0;
  // Drops the local override of `field` (Jira's value shows again); false
  // when there was none.
  virtual bool remove_local_edit(const std::string& ticket_id, const std::string& field) = 0;
  // The ticket's local edits, by field.
  virtual std::vector<LocalEdit> local_edits_of(const std::string& ticket_id) = 0;
  virtual void add_note(const std::string& ticket_id, const std::string& text, int64_t now_ms) = 0;
  virtual std::vector<Note> notes(const std::string& ticket_id) = 0;

  // Adding what is there or removing what is not changes nothing; each
  // returns only what it changed, so the caller can say so.
  virtual std::vector<std::string> add_tags(const std::string& ticket_id,
                                            const std::vector<std::string>& tags,
                                            int64_t now_ms) = 0;
  virtual std::vector<std::string> remove_tags(const std::string& ticket_id,
                                               const std::vector<std::string>& tags) = 0;
  virtual std::vector<std::string> tags(const std::string& ticket_id) = 0;
  virtual bool add_link(const std::string& ticket_id, const LinkTarget& target, int64_t now_ms) = 0;
  virtual bool remove_link(const std::string& ticket_id, const LinkTarget& target) = 0;
  virtual std::vector<TicketLink> links(const std::string& ticket_id) = 0;
  // The tickets linked to `target`, deleted ones included, by key.
  virtual std::vector<TicketSummary> linked_tickets(const LinkTarget& target) = 0;

  // An empty ticket_id lists the conflicts of every ticket.
  virtual std::vector<Conflict> conflicts(const std::string& ticket_id, bool open_only) = 0;
  // The five reads of one ticket at once (the API's issue document); the SQL
  // store answers them in one query, one round trip instead of five.
  virtual TicketLocalData local_data_of(const std::string& ticket_id) {
    return {local_edits_of(ticket_id), notes(ticket_id), tags(ticket_id), links(ticket_id),
            conflicts(ticket_id, false)};
  }
  // take "jira" drops the local edit, "local" keeps it; either closes the
  // conflict (outcome resolved-jira|resolved-local), logs it in the ticket's
  // history and puts the ticket back to `synced` once no conflict is open.
  // Throws std::invalid_argument for an unknown id, an already closed
  // conflict or another `take`.
  virtual void resolve_conflict(int64_t conflict_id, const std::string& take, int64_t now_ms) = 0;
};

}  // namespace jirasync
