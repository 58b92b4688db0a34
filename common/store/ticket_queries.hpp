#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/store/ticket_records.hpp"

namespace jirasync {

// What the CLI (and the coming API) reads about the cached tickets
// themselves: lookups, listings and their history. Read-only.
class TicketQueries {
 public:
  virtual ~TicketQueries() = default;

  virtual std::optional<CachedTicket> find_by_key(const std::string& key_or_old_key) = 0;
  // The current key of each ticket id the cache holds (ids it does not hold are left out).
  virtual std::map<std::string, std::string> current_keys(const std::vector<std::string>& ids) = 0;
  // Many tickets at once (a page of the Jira-compatible API), with their
  // lists: one read of the rows and one per list table, whatever the count.
  // Ids the cache does not hold are left out; deleted tickets are in (see `deleted`).
  virtual std::map<std::string, CachedTicket> find_by_ids(const std::vector<std::string>& ids) = 0;
  // For issues shown only as a parent, sub-task or link end: at least what
  // such a reference shows (id, key, summary, status and its category,
  // priority, issue type and subtask, deleted, updated); the lists
  // (comments, links, sub-tasks, attachments) and, from SqlTicketQueries,
  // every other field are left empty.
  virtual std::map<std::string, CachedTicket> find_rows_by_ids(
      const std::vector<std::string>& ids) {
    return find_by_ids(ids);
  }
  // The ticket id of each key, by find_by_key's rule (a live ticket holding the
  // key, else a deleted one, else the ticket that held it last); unknown keys are left out.
  virtual std::map<std::string, std::string> ids_of_keys(const std::vector<std::string>& keys) = 0;
  // An empty project lists or counts every project. count() leaves out deleted tickets.
  virtual std::vector<TicketSummary> list(const std::string& project, int limit) = 0;
  virtual int64_t count(const std::string& project) = 0;
  virtual std::vector<TicketChange> changes(const std::string& ticket_id) = 0;

  // find_by_key and the ticket's changes(), which a backend may read in one
  // round trip (GET /api/v1/issues/{key} is hot).
  struct WithHistory {
    CachedTicket ticket;
    std::vector<TicketChange> history;
  };
  virtual std::optional<WithHistory> find_with_history(const std::string& key_or_old_key) {
    auto ticket = find_by_key(key_or_old_key);
    if (!ticket) return std::nullopt;
    auto history = changes(ticket->id);
    return WithHistory{std::move(*ticket), std::move(history)};
  }
};

}  // namespace jirasync
