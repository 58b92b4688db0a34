#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/store/ticket_records.hpp"

namespace jirasync {

// What happened to a ticket since a point in time, as the feed shows it.
enum class ChangeBadge { kNew, kUpdated, kSignificant, kDeleted, kMoved, kConflict, kOutOfScope };
const char* to_string(ChangeBadge badge);
// "new", "updated", ...; std::invalid_argument naming the choices otherwise.
ChangeBadge parse_change_badge(const std::string& text);

// One kind of row of ticket_changes (inserted|updated|significant|moved|
// deleted|conflict|out_of_scope|in_scope) at a time.
struct ChangeEvent {
  std::string change;
  int64_t at_ms = 0;
};

// The one badge for a ticket's changes after a point in time (`events` are
// only those after it; empty = no badge). Strongest first: deleted (only while
// the ticket is still deleted: one that came back is badged by how it came
// back), out_of_scope (while the latest scope change is one out of it), new,
// moved, conflict, significant, updated.
std::optional<ChangeBadge> badge_of(const std::vector<ChangeEvent>& events, bool deleted_now);

struct FeedQuery {
  int64_t since_ms = 0;         // changes strictly after this
  std::string project;          // "" = every project
  std::set<ChangeBadge> kinds;  // empty = every kind
  int limit = 1000;
};

struct FeedEntry {
  std::string ticket_id, key, project, summary, status;
  ChangeBadge badge = ChangeBadge::kUpdated;
  int64_t changed_ms = 0;  // the latest change in the window
  int64_t changes = 0;     // how many change rows the window holds
  std::string detail;      // the latest change's detail (JSON)
};

// A linked ticket with its badge relative to the link target's last review.
struct ReviewedLink {
  TicketSummary ticket;
  int64_t linked_ms = 0;
  std::optional<ChangeBadge> badge;  // none: unchanged since the review
};

// The read side of the change history: the feed, per-viewer last-look marks
// and per-link-target review marks. Its own seam (not the ticket stores): only the
// CLI and the API read it.
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;

  // One entry per ticket that changed after `since_ms`, newest change first.
  virtual std::vector<FeedEntry> changes_since(const FeedQuery& query) = 0;

  // When `viewer` last marked the feed seen (nullopt: never).
  virtual std::optional<int64_t> last_look(const std::string& viewer) = 0;
  virtual void mark_seen(const std::string& viewer, int64_t at_ms) = 0;

  // The tickets linked to `target`, each badged against the target's last
  // review: new if created (or linked) after it, significant if its
  // significant hash differs from the one reviewed, updated if changed after
  // it; moved/deleted/conflict from the history. Never reviewed: all new.
  virtual std::vector<ReviewedLink> reviewed_links(const LinkTarget& target) = 0;
  virtual std::optional<int64_t> reviewed_at(const LinkTarget& target) = 0;
  // Acknowledges the review of every ticket linked to `target` now.
  // Returns how many linked tickets the review covers.
  virtual int64_t mark_reviewed(const LinkTarget& target, int64_t at_ms) = 0;
};

}  // namespace jirasync
