#include "common/store/sql_local_ticket_data.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/store/in_write_transaction.hpp"
#include "common/store/json_columns.hpp"
#include "common/store/local_ticket_rules.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

namespace {

constexpr const char* kConflictColumns =
    "id, ticket_id, field, local_value, jira_value, strategy, outcome, open, at_ms";

Conflict conflict_from_row(const SqlRow& r) {
  Conflict c;
  c.id = r.i64(0);
  c.ticket_id = r.text(1);
  c.field = r.text(2);
  c.local_value = r.text(3);
  c.jira_value = r.text(4);
  c.strategy = r.text(5);
  c.outcome = r.text(6);
  c.open = r.flag(7);
  c.at_ms = r.i64(8);
  return c;
}

}  // namespace

SqlLocalTicketData::SqlLocalTicketData(std::shared_ptr<Database> db) : db_(std::move(db)) {}

void SqlLocalTicketData::require_ticket(const std::string& ticket_id) {
  if (ticket_id.empty()) throw std::invalid_argument("ticket_id: must not be empty");
  if (!SqlQuery("SELECT 1 FROM tickets WHERE id = ?")
           .arg(ticket_id)
           .fetch_one(db_->session(), "i")) {
    throw std::invalid_argument("ticket_id: no ticket with id '" + ticket_id + "' in the cache");
  }
}

void SqlLocalTicketData::put_local_edit(const LocalEdit& edit) {
  if (edit.field.empty()) throw std::invalid_argument("field: must not be empty");
  auto lock = db_->lock();
  require_ticket(edit.ticket_id);
  SqlQuery(
      "INSERT INTO local_edits (ticket_id, field, value, edited_ms) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (ticket_id, field) DO UPDATE SET value = excluded.value, "
      "edited_ms = excluded.edited_ms")
      .arg(edit.ticket_id)
      .arg(edit.field)
      .arg(edit.value)
      .arg(edit.edited_ms)
      .execute(db_->session());
}

void SqlLocalTicketData::add_note(const std::string& ticket_id, const std::string& text,
                                  int64_t now_ms) {
  if (text.empty()) throw std::invalid_argument("text: a note must not be empty");
  auto lock = db_->lock();
  require_ticket(ticket_id);
  SqlQuery("INSERT INTO notes (ticket_id, text, at_ms) VALUES (?, ?, ?)")
      .arg(ticket_id)
      .arg(text)
      .arg(now_ms)
      .execute(db_->session());
}

bool SqlLocalTicketData::remove_local_edit(const std::string& ticket_id, const std::string& field) {
  auto lock = db_->lock();
  require_ticket(ticket_id);
  return SqlQuery("DELETE FROM local_edits WHERE ticket_id = ? AND field = ?")
             .arg(ticket_id)
             .arg(field)
             .execute(db_->session()) > 0;
}

std::vector<LocalEdit> SqlLocalTicketData::local_edits_of(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<LocalEdit> out;
  for (const SqlRow& r : SqlQuery("SELECT ticket_id, field, value, edited_ms FROM local_edits "
                                  "WHERE ticket_id = ? ORDER BY field")
                             .arg(ticket_id)
                             .fetch(db_->session(), "ttti")) {
    out.push_back(LocalEdit{r.text(0), r.text(1), r.text(2), r.i64(3)});
  }
  return out;
}

std::vector<Note> SqlLocalTicketData::notes(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<Note> out;
  for (const SqlRow& r :
       SqlQuery("SELECT ticket_id, text, at_ms FROM notes WHERE ticket_id = ? ORDER BY id")
           .arg(ticket_id)
           .fetch(db_->session(), "tti")) {
    out.push_back(Note{r.text(0), r.text(1), r.i64(2)});
  }
  return out;
}

std::vector<std::string> SqlLocalTicketData::add_tags(const std::string& ticket_id,
                                                      const std::vector<std::string>& tags,
                                                      int64_t now_ms) {
  const std::vector<std::string> wanted = validated_tags(tags);
  return in_write_transaction(*db_, "tagging ticket " + ticket_id, [&] {
    require_ticket(ticket_id);
    std::vector<std::string> added;
    for (const std::string& tag : wanted) {
      // One affected row means the tag was new; zero, that it was there.
      if (SqlQuery("INSERT INTO tags (ticket_id, tag, at_ms) VALUES (?, ?, ?) "
                   "ON CONFLICT (ticket_id, tag) DO NOTHING")
              .arg(ticket_id)
              .arg(tag)
              .arg(now_ms)
              .execute(db_->session()) > 0) {
        added.push_back(tag);
      }
    }
    return added;
  });
}

std::vector<std::string> SqlLocalTicketData::remove_tags(const std::string& ticket_id,
                                                         const std::vector<std::string>& tags) {
  const std::vector<std::string> wanted = validated_tags(tags);
  return in_write_transaction(*db_, "untagging ticket " + ticket_id, [&] {
    require_ticket(ticket_id);
    std::vector<std::string> removed;
    for (const std::string& tag : wanted) {
      if (SqlQuery("DELETE FROM tags WHERE ticket_id = ? AND tag = ?")
              .arg(ticket_id)
              .arg(tag)
              .execute(db_->session()) > 0) {
        removed.push_back(tag);
      }
    }
    return removed;
  });
}

std::vector<std::string> SqlLocalTicketData::tags(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<std::string> out;
  for (const SqlRow& r : SqlQuery("SELECT tag FROM tags WHERE ticket_id = ? ORDER BY tag")
                             .arg(ticket_id)
                             .fetch(db_->session(), "t")) {
    out.push_back(r.text(0));
  }
  return out;
}

bool SqlLocalTicketData::add_link(const std::string& ticket_id, const LinkTarget& target,
                                  int64_t now_ms) {
  validate_link_target(target);
  auto lock = db_->lock();
  require_ticket(ticket_id);
  // last_seen_ms holds when the link was made; relinking keeps the first time.
  return SqlQuery(
             "INSERT INTO links (entity_type, entity_id, ticket_id, last_seen_ms) "
             "VALUES (?, ?, ?, ?) ON CONFLICT (entity_type, entity_id, ticket_id) DO NOTHING")
             .arg(target.type)
             .arg(target.id)
             .arg(ticket_id)
             .arg(now_ms)
             .execute(db_->session()) > 0;
}

bool SqlLocalTicketData::remove_link(const std::string& ticket_id, const LinkTarget& target) {
  validate_link_target(target);
  auto lock = db_->lock();
  require_ticket(ticket_id);
  return SqlQuery("DELETE FROM links WHERE entity_type = ? AND entity_id = ? AND ticket_id = ?")
             .arg(target.type)
             .arg(target.id)
             .arg(ticket_id)
             .execute(db_->session()) > 0;
}

std::vector<TicketLink> SqlLocalTicketData::links(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<TicketLink> out;
  for (const SqlRow& r : SqlQuery("SELECT entity_type, entity_id, last_seen_ms FROM links "
                                  "WHERE ticket_id = ? ORDER BY entity_type, entity_id")
                             .arg(ticket_id)
                             .fetch(db_->session(), "tti")) {
    out.push_back(TicketLink{ticket_id, LinkTarget{r.text(0), r.text(1)}, r.i64(2)});
  }
  return out;
}

std::vector<TicketSummary> SqlLocalTicketData::linked_tickets(const LinkTarget& target) {
  validate_link_target(target);
  auto lock = db_->lock();
  std::vector<TicketSummary> out;
  for (const SqlRow& r :
       SqlQuery("SELECT t.id, t.key, t.project, t.status, t.summary, t.updated_ms, t.deleted "
                "FROM links l JOIN tickets t ON t.id = l.ticket_id "
                "WHERE l.entity_type = ? AND l.entity_id = ? ORDER BY t.key")
           .arg(target.type)
           .arg(target.id)
           .fetch(db_->session(), "tttttii")) {
    TicketSummary t;
    t.id = r.text(0);
    t.key = r.text(1);
    t.project = r.text(2);
    t.status = r.text(3);
    t.summary = r.text(4);
    t.updated_ms = r.i64(5);
    t.deleted = r.flag(6);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Conflict> SqlLocalTicketData::conflicts(const std::string& ticket_id, bool open_only) {
  auto lock = db_->lock();
  std::string where;
  if (!ticket_id.empty()) where += " WHERE ticket_id = ?";
  if (open_only) where += where.empty() ? " WHERE open = 1" : " AND open = 1";
  SqlQuery q(std::string("SELECT ") + kConflictColumns + " FROM conflicts" + where +
             " ORDER BY id");
  if (!ticket_id.empty()) q.arg(ticket_id);
  std::vector<Conflict> out;
  for (const SqlRow& r : q.fetch(db_->session(), "ittttttii")) out.push_back(conflict_from_row(r));
  return out;
}

TicketLocalData SqlLocalTicketData::local_data_of(const std::string& ticket_id) {
  // Columns: kind, number, five texts, flag, time, then the sort keys each
  // read above orders by (field, tag, link target; note and conflict ids).
  // Through fetch_in with the id as a one-key list: on PostgreSQL the
  // statement is prepared once per connection (planning this union each time
  // cost more than running it).
  auto lock = db_->lock();
  TicketLocalData out;
  for (const SqlRow& r : fetch_in(
           db_->session(),
           "SELECT 'e' AS kind, 0 AS n, field AS a, value AS b, '' AS c, '' AS d, '' AS e, 0 AS f, "
           "edited_ms AS at, field AS s1, '' AS s2 FROM local_edits WHERE ticket_id = ? "
           "UNION ALL SELECT 'n', id, text, '', '', '', '', 0, at_ms, '', '' FROM notes "
           "WHERE ticket_id = ? "
           "UNION ALL SELECT 't', 0, tag, '', '', '', '', 0, at_ms, tag, '' FROM tags "
           "WHERE ticket_id = ? "
           "UNION ALL SELECT 'l', 0, entity_type, entity_id, '', '', '', 0, last_seen_ms, "
           "entity_type, entity_id FROM links WHERE ticket_id = ? "
           "UNION ALL SELECT 'c', id, field, local_value, jira_value, strategy, outcome, open, "
           "at_ms, '', '' FROM conflicts WHERE ticket_id IN",
           {ticket_id}, "ORDER BY kind, s1, s2, n", "titttttiitt",
           {ticket_id, ticket_id, ticket_id, ticket_id})) {
    add_local_data_row(out, ticket_id,
                       {r.text(0)[0],
                        r.i64(1),
                        {r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)},
                        r.i64(7),
                        r.i64(8)});
  }
  return out;
}

void add_local_data_row(TicketLocalData& out, const std::string& ticket_id, LocalDataRow row) {
  auto& t = row.texts;
  switch (row.kind) {
    case 'e':
      out.edits.push_back(LocalEdit{ticket_id, std::move(t[0]), std::move(t[1]), row.at_ms});
      break;
    case 'n':
      out.notes.push_back(Note{ticket_id, std::move(t[0]), row.at_ms});
      break;
    case 't':
      out.tags.push_back(std::move(t[0]));
      break;
    case 'l':
      out.links.push_back(
          TicketLink{ticket_id, LinkTarget{std::move(t[0]), std::move(t[1])}, row.at_ms});
      break;
    default:
      out.conflicts.push_back(Conflict{row.number, ticket_id, std::move(t[0]), std::move(t[1]),
                                       std::move(t[2]), std::move(t[3]), std::move(t[4]),
                                       row.flag != 0, row.at_ms});
  }
}

void SqlLocalTicketData::resolve_conflict(int64_t conflict_id, const std::string& take,
                                          int64_t now_ms) {
  validate_conflict_take(take);
  in_write_transaction(*db_, "resolving conflict " + std::to_string(conflict_id), [&] {
    soci::session& s = db_->session();
    auto row = SqlQuery(std::string("SELECT ") + kConflictColumns + " FROM conflicts WHERE id = ?" +
                        db_->dialect().lock_for_update())
                   .arg(conflict_id)
                   .fetch_one(s, "ittttttii");
    if (!row) {
      throw std::invalid_argument("conflict_id: no conflict " + std::to_string(conflict_id));
    }
    const Conflict c = conflict_from_row(*row);
    if (!c.open) {
      throw std::invalid_argument("conflict_id: conflict " + std::to_string(conflict_id) +
                                  " is already closed (" + c.outcome + ")");
    }
    if (take == "jira") {
      SqlQuery("DELETE FROM local_edits WHERE ticket_id = ? AND field = ?")
          .arg(c.ticket_id)
          .arg(c.field)
          .execute(s);
    }
    const std::string outcome = "resolved-" + take;
    SqlQuery("UPDATE conflicts SET open = 0, outcome = ?, resolved_ms = ? WHERE id = ?")
        .arg(outcome)
        .arg(now_ms)
        .arg(conflict_id)
        .execute(s);
    SqlQuery(
        "UPDATE tickets SET sync_status = CASE WHEN EXISTS (SELECT 1 FROM conflicts "
        "WHERE conflicts.ticket_id = tickets.id AND open = 1) THEN 'conflict' ELSE 'synced' END "
        "WHERE id = ?")
        .arg(c.ticket_id)
        .execute(s);
    SqlQuery(
        "INSERT INTO ticket_changes (ticket_id, run_id, change, detail, at_ms) "
        "VALUES (?, '', 'conflict', ?, ?)")
        .arg(c.ticket_id)
        .arg("{\"field\":" + json_quote(c.field) + ",\"strategy\":" + json_quote(c.strategy) +
             ",\"outcome\":" + json_quote(outcome) + "}")
        .arg(now_ms)
        .execute(s);
  });
}

}  // namespace jirasync
