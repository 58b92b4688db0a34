#pragma once

#include <array>
#include <memory>

#include "common/store/database.hpp"
#include "common/store/local_ticket_data.hpp"

namespace jirasync {

// One row of a read of the local tables: kind e (edit: field, value), n
// (note: text), t (tag), l (link: type, id) or c (conflict: field, local,
// Jira, strategy, outcome; number = id, flag = open).
struct LocalDataRow {
  char kind = 0;
  int64_t number = 0;
  std::array<std::string, 5> texts;
  int64_t flag = 0;
  int64_t at_ms = 0;
};
void add_local_data_row(TicketLocalData& out, const std::string& ticket_id, LocalDataRow row);

// LocalTicketData on PostgreSQL or SQLite. Every call holds the Database lock
// for its duration (see Database for the threading rule); a write that
// changes several rows is one transaction.
class SqlLocalTicketData : public LocalTicketData {
 public:
  explicit SqlLocalTicketData(std::shared_ptr<Database> db);

  void put_local_edit(const LocalEdit& edit) override;
  bool remove_local_edit(const std::string& ticket_id, const std::string& field) override;
  std::vector<LocalEdit> local_edits_of(const std::string& ticket_id) override;
  void add_note(const std::string& ticket_id, const std::string& text, int64_t now_ms) override;
  std::vector<Note> notes(const std::string& ticket_id) override;

  std::vector<std::string> add_tags(const std::string& ticket_id,
                                    const std::vector<std::string>& tags, int64_t now_ms) override;
  std::vector<std::string> remove_tags(const std::string& ticket_id,
                                       const std::vector<std::string>& tags) override;
  std::vector<std::string> tags(const std::string& ticket_id) override;
  bool add_link(const std::string& ticket_id, const LinkTarget& target, int64_t now_ms) override;
  bool remove_link(const std::string& ticket_id, const LinkTarget& target) override;
  std::vector<TicketLink> links(const std::string& ticket_id) override;
  std::vector<TicketSummary> linked_tickets(const LinkTarget& target) override;

  std::vector<Conflict> conflicts(const std::string& ticket_id, bool open_only) override;
  TicketLocalData local_data_of(const std::string& ticket_id) override;
  void resolve_conflict(int64_t conflict_id, const std::string& take, int64_t now_ms) override;

 private:
  // Throws std::invalid_argument naming ticket_id unless the cache holds it.
  // Only under the database lock.
  void require_ticket(const std::string& ticket_id);
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
