#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/envelope/decision.hpp"
#include "common/model/jira_issue.hpp"

namespace jirasync {

// What the reconciler needs to know about a cached ticket.
struct CachedTicket {
  std::string id;
  std::string key;
  std::string content_hash;
  std::string significant_hash;
  int64_t updated_ms = 0;
  bool deleted = false;
  JiraIssue issue;  // the Jira values last synced
};

// A user's local override of one field of a ticket (never sent to Jira).
struct LocalEdit {
  std::string ticket_id;
  std::string field;  // summary, status, priority, assignee, labels, description
  std::string value;
  int64_t edited_ms = 0;
};

struct TicketChange {
  std::string ticket_id;
  std::string run_id;
  std::string change;  // inserted|updated|significant|moved|deleted|conflict
  std::string detail;  // JSON
  int64_t at_ms = 0;
};

struct Conflict {
  int64_t id = 0;
  std::string ticket_id;
  std::string field;
  std::string local_value;
  std::string jira_value;
  std::string strategy;
  std::string outcome;  // jira|local|manual|resolved-jira|resolved-local
  bool open = false;
  int64_t at_ms = 0;
};

// Local-only data a tester attaches to a ticket. No sync reads or writes it.
struct Note {
  std::string ticket_id;
  std::string text;
  int64_t at_ms = 0;
  bool operator==(const Note&) const = default;
};

// Something outside Jira a ticket is linked to, e.g. testcase:TC-17.
struct LinkTarget {
  std::string type;  // lowercase letters, digits and '-', at most 32 bytes
  std::string id;    // non-empty, at most 200 bytes, no control characters
  bool operator==(const LinkTarget&) const = default;
};

struct TicketLink {
  std::string ticket_id;
  LinkTarget target;
  int64_t at_ms = 0;
  bool operator==(const TicketLink&) const = default;
};

// A consumed position the writer stores with the rows it produced.
struct StoredOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t next_offset = 0;
};

struct TicketSummary {
  std::string id, key, project, issue_type, status, priority, assignee, summary, sync_status;
  int64_t updated_ms = 0;
  bool deleted = false;
};

class TicketStore {
 public:
  virtual ~TicketStore() = default;

  // Reconciler: cached state for many ids at once (missing ids are absent).
  virtual std::map<std::string, CachedTicket> load(const std::vector<std::string>& ids) = 0;
  virtual std::map<std::string, std::vector<LocalEdit>> local_edits(
      const std::vector<std::string>& ids) = 0;

  // Writer: applies decisions and stores consumer offsets in ONE transaction.
  // Guarded: an older `updated` never overwrites a newer row; an identical
  // content hash writes nothing; items already counted for a run are not
  // counted again. Finalises runs whose every item is now applied.
  struct ApplyResult {
    int64_t written = 0;  // rows inserted or changed
    int64_t skipped = 0;
  };
  virtual ApplyResult apply(const std::vector<Decision>& batch, const std::string& consumer_group,
                            const std::vector<StoredOffset>& offsets, int64_t now_ms) = 0;
  virtual std::vector<StoredOffset> stored_offsets(const std::string& consumer_group) = 0;

  // CLI / API.
  virtual std::optional<CachedTicket> find_by_key(const std::string& key_or_old_key) = 0;
  virtual std::vector<TicketSummary> list(const std::string& project, int limit) = 0;
  virtual int64_t count(const std::string& project) = 0;
  virtual void put_local_edit(const LocalEdit& edit) = 0;
  virtual void add_note(const std::string& ticket_id, const std::string& text, int64_t now_ms) = 0;
  virtual std::vector<TicketChange> changes(const std::string& ticket_id) = 0;
  virtual std::vector<Conflict> conflicts(const std::string& ticket_id, bool open_only) = 0;
  virtual void resolve_conflict(int64_t conflict_id, const std::string& take /*jira|local*/,
                                int64_t now_ms) = 0;
};

}  // namespace jirasync
