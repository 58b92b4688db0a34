#pragma once

#include <memory>

#include "common/store/database.hpp"
#include "common/store/ticket_store.hpp"

namespace jirasync {

// Throws std::invalid_argument naming the tag unless it is non-empty, at
// most 64 bytes and free of whitespace, control characters and commas.
void validate_tag(const std::string& tag);
// "TYPE:ID" (split at the first ':'); throws std::invalid_argument naming the
// text and the rule it breaks.
LinkTarget parse_link_target(const std::string& text);
void validate_link_target(const LinkTarget& target);

// TicketStore on PostgreSQL or SQLite. Every call holds the Database lock for
// its duration (see Database for the threading rule); apply() is one write
// transaction for the whole batch (see DecisionBatch for its rules).
class SqlTicketStore final : public TicketStore {
 public:
  explicit SqlTicketStore(std::shared_ptr<Database> db);

  std::map<std::string, CachedTicket> load(const std::vector<std::string>& ids) override;
  std::map<std::string, std::vector<LocalEdit>> local_edits(
      const std::vector<std::string>& ids) override;

  ApplyResult apply(const std::vector<Decision>& batch, const std::string& consumer_group,
                    const std::vector<StoredOffset>& offsets, int64_t now_ms) override;
  std::vector<StoredOffset> stored_offsets(const std::string& consumer_group) override;

  std::optional<CachedTicket> find_by_key(const std::string& key_or_old_key) override;
  // The current key of each ticket id the cache holds (ids it does not hold are left out).
  std::map<std::string, std::string> current_keys(const std::vector<std::string>& ids);
  // An empty project lists or counts every project. count() leaves out deleted tickets.
  std::vector<TicketSummary> list(const std::string& project, int limit) override;
  int64_t count(const std::string& project) override;
  // Throws std::invalid_argument naming the field for an empty field, or a
  // ticket id the cache does not hold.
  void put_local_edit(const LocalEdit& edit) override;
  void add_note(const std::string& ticket_id, const std::string& text, int64_t now_ms) override;
  std::vector<Note> notes(const std::string& ticket_id);

  // Local tags and links. Adding what is there or removing what is not
  // changes nothing; each returns only what it changed, so the caller can say
  // so. All throw std::invalid_argument for a ticket id the cache does not
  // hold or a bad tag or target (see validate_tag, parse_link_target), and
  // then write nothing.
  std::vector<std::string> add_tags(const std::string& ticket_id,
                                    const std::vector<std::string>& tags, int64_t now_ms);
  std::vector<std::string> remove_tags(const std::string& ticket_id,
                                       const std::vector<std::string>& tags);
  std::vector<std::string> tags(const std::string& ticket_id);
  bool add_link(const std::string& ticket_id, const LinkTarget& target, int64_t now_ms);
  bool remove_link(const std::string& ticket_id, const LinkTarget& target);
  std::vector<TicketLink> links(const std::string& ticket_id);
  // The tickets linked to `target`, deleted ones included, by key.
  std::vector<TicketSummary> linked_tickets(const LinkTarget& target);

  std::vector<TicketChange> changes(const std::string& ticket_id) override;
  // An empty ticket_id lists the conflicts of every ticket.
  std::vector<Conflict> conflicts(const std::string& ticket_id, bool open_only) override;
  // take "jira" drops the local edit, "local" keeps it; either closes the
  // conflict (outcome resolved-jira|resolved-local), logs it in the ticket's
  // history and puts the ticket back to `synced` once no conflict is open.
  // Throws std::invalid_argument for an unknown id, an already closed
  // conflict or another `take`.
  void resolve_conflict(int64_t conflict_id, const std::string& take, int64_t now_ms) override;

 private:
  void require_ticket(const std::string& ticket_id);
  // Runs `work` in one write transaction under the database lock. Bad input
  // (std::invalid_argument) and DatabaseError pass through; anything else
  // becomes a DatabaseError saying what was being `doing`.
  template <typename Work>
  auto in_write_transaction(const std::string& doing, Work work) -> decltype(work());
  std::shared_ptr<Database> db_;
};

}  // namespace jirasync
