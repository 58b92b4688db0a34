#include "common/store/sql_change_feed.hpp"

#include <algorithm>
#include <map>

#include "common/store/sql_query.hpp"

namespace jirasync {

std::vector<FeedEntry> SqlChangeFeed::changes_since(const FeedQuery& query) {
  auto lock = db_->lock();
  std::string sql =
      "SELECT c.ticket_id, c.change, c.detail, c.at_ms, t.key, t.project, t.summary, t.status, "
      "t.deleted FROM ticket_changes c JOIN tickets t ON t.id = c.ticket_id WHERE c.at_ms > ?";
  if (!query.project.empty()) sql += " AND t.project = ?";
  sql += " ORDER BY c.ticket_id, c.id";
  SqlQuery q(sql);
  q.arg(query.since_ms);
  if (!query.project.empty()) q.arg(query.project);
  struct Acc {
    FeedEntry entry;
    std::vector<ChangeEvent> events;
    bool deleted = false;
  };
  std::map<std::string, Acc> by_ticket;
  for (const SqlRow& r : q.fetch(db_->session(), "tttitttti")) {
    Acc& a = by_ticket[r.text(0)];
    a.entry.ticket_id = r.text(0);
    a.entry.key = r.text(4);
    a.entry.project = r.text(5);
    a.entry.summary = r.text(6);
    a.entry.status = r.text(7);
    a.deleted = r.flag(8);
    a.entry.changed_ms = r.i64(3);  // rows come in id order: the last is the latest
    a.entry.detail = r.text(2);
    a.events.push_back({r.text(1), r.i64(3)});
  }
  std::vector<FeedEntry> out;
  for (auto& [id, a] : by_ticket) {
    const auto badge = badge_of(a.events, a.deleted);
    if (!badge || (!query.kinds.empty() && !query.kinds.count(*badge))) continue;
    a.entry.badge = *badge;
    a.entry.changes = static_cast<int64_t>(a.events.size());
    out.push_back(std::move(a.entry));
  }
  std::sort(out.begin(), out.end(), [](const FeedEntry& a, const FeedEntry& b) {
    return a.changed_ms != b.changed_ms ? a.changed_ms > b.changed_ms : a.key < b.key;
  });
  if (query.limit > 0 && out.size() > static_cast<size_t>(query.limit)) out.resize(query.limit);
  return out;
}

std::optional<int64_t> SqlChangeFeed::last_look(const std::string& viewer) {
  auto lock = db_->lock();
  auto row = SqlQuery("SELECT seen_ms FROM viewer_looks WHERE viewer = ?")
                 .arg(viewer)
                 .fetch_one(db_->session(), "i");
  if (!row) return std::nullopt;
  return row->i64(0);
}

void SqlChangeFeed::mark_seen(const std::string& viewer, int64_t at_ms) {
  if (viewer.empty() || viewer.size() > 200)
    throw std::invalid_argument("viewer: 1..200 bytes expected");
  auto lock = db_->lock();
  SqlQuery(
      "INSERT INTO viewer_looks (viewer, seen_ms) VALUES (?, ?) "
      "ON CONFLICT (viewer) DO UPDATE SET seen_ms = excluded.seen_ms")
      .arg(viewer)
      .arg(at_ms)
      .execute(db_->session());
}

std::optional<int64_t> SqlChangeFeed::reviewed_at(const LinkTarget& target) {
  auto lock = db_->lock();
  auto row = SqlQuery(
                 "SELECT MAX(reviewed_ms) FROM link_reviews WHERE entity_type = ? AND "
                 "entity_id = ?")
                 .arg(target.type)
                 .arg(target.id)
                 .fetch_one(db_->session(), "i");
  if (!row || row->is_null(0)) return std::nullopt;
  return row->i64(0);
}

int64_t SqlChangeFeed::mark_reviewed(const LinkTarget& target, int64_t at_ms) {
  auto lock = db_->lock();
  return SqlQuery(
             "INSERT INTO link_reviews (entity_type, entity_id, ticket_id, reviewed_ms, "
             "significant_hash) SELECT l.entity_type, l.entity_id, l.ticket_id, ?, "
             "t.significant_hash FROM links l JOIN tickets t ON t.id = l.ticket_id "
             "WHERE l.entity_type = ? AND l.entity_id = ? "
             "ON CONFLICT (entity_type, entity_id, ticket_id) DO UPDATE SET "
             "reviewed_ms = excluded.reviewed_ms, significant_hash = excluded.significant_hash")
      .arg(at_ms)
      .arg(target.type)
      .arg(target.id)
      .execute(db_->session());
}

std::vector<ReviewedLink> SqlChangeFeed::reviewed_links(const LinkTarget& target) {
  auto lock = db_->lock();
  struct Row {
    ReviewedLink link;
    int64_t created_ms = 0;
    std::string significant_hash;
    std::optional<int64_t> reviewed_ms;
    std::string reviewed_hash;
  };
  std::vector<Row> rows;
  for (const SqlRow& r :
       SqlQuery("SELECT t.id, t.key, t.project, t.status, t.summary, t.updated_ms, t.deleted, "
                "t.created_ms, t.significant_hash, l.last_seen_ms, r.reviewed_ms, "
                "r.significant_hash FROM links l JOIN tickets t ON t.id = l.ticket_id "
                "LEFT JOIN link_reviews r ON r.entity_type = l.entity_type AND "
                "r.entity_id = l.entity_id AND r.ticket_id = l.ticket_id "
                "WHERE l.entity_type = ? AND l.entity_id = ? ORDER BY t.key")
           .arg(target.type)
           .arg(target.id)
           .fetch(db_->session(), "tttttiiitiit")) {
    Row row;
    TicketSummary& t = row.link.ticket;
    t.id = r.text(0);
    t.key = r.text(1);
    t.project = r.text(2);
    t.status = r.text(3);
    t.summary = r.text(4);
    t.updated_ms = r.i64(5);
    t.deleted = r.flag(6);
    row.created_ms = r.i64(7);
    row.significant_hash = r.text(8);
    row.link.linked_ms = r.i64(9);
    row.reviewed_ms = r.opt_i64(10);
    row.reviewed_hash = r.text(11);
    rows.push_back(std::move(row));
  }
  std::vector<ReviewedLink> out;
  for (Row& row : rows) {
    if (!row.reviewed_ms) {
      row.link.badge = ChangeBadge::kNew;  // never reviewed, or linked after the review
    } else {
      const int64_t since = *row.reviewed_ms;
      std::vector<ChangeEvent> events;
      for (const SqlRow& r :
           SqlQuery("SELECT change, at_ms FROM ticket_changes WHERE ticket_id = ? AND at_ms > ? "
                    "ORDER BY id")
               .arg(row.link.ticket.id)
               .arg(since)
               .fetch(db_->session(), "ti")) {
        events.push_back({r.text(0), r.i64(1)});
      }
      auto badge = badge_of(events, row.link.ticket.deleted);
      if (row.created_ms > since) {
        badge = ChangeBadge::kNew;
      } else if (!badge || *badge == ChangeBadge::kUpdated || *badge == ChangeBadge::kNew ||
                 *badge == ChangeBadge::kSignificant) {
        // The significant hash decides, not the history's wording: a change
        // and its revert since the review is no significant change.
        if (row.significant_hash != row.reviewed_hash) {
          badge = ChangeBadge::kSignificant;
        } else if (badge || row.link.ticket.updated_ms > since) {
          badge = ChangeBadge::kUpdated;
        }
      }
      row.link.badge = badge;
    }
    out.push_back(std::move(row.link));
  }
  return out;
}

}  // namespace jirasync
