#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/model/jira_issue.hpp"

namespace jirasync {

// The values the cache's seams (TicketCache, DecisionSink, TicketQueries,
// LocalTicketData) pass around.

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

}  // namespace jirasync
