#include "common/store/sql_ticket_store.hpp"

#include <type_traits>

#include <soci/soci.h>

#include <cctype>
#include <set>
#include <stdexcept>

#include "common/store/decision_batch.hpp"
#include "common/store/json_columns.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/ticket_children.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

namespace {

std::vector<std::string> distinct(const std::vector<std::string>& ids) {
  std::set<std::string> unique(ids.begin(), ids.end());
  return {unique.begin(), unique.end()};
}

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

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

// Input order, without repeats: `tag a a` adds one tag and reports it once.
std::vector<std::string> validated_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) throw std::invalid_argument("tags: give at least one tag");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& t : tags) {
    validate_tag(t);
    if (seen.insert(t).second) out.push_back(t);
  }
  return out;
}

}  // namespace

void validate_tag(const std::string& tag) {
  if (tag.empty()) throw std::invalid_argument("tag: must not be empty");
  if (tag.size() > 64) {
    throw std::invalid_argument("tag '" + tag + "': longer than 64 bytes");
  }
  for (const char ch : tag) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ',' || std::isspace(c) || is_control(c)) {
      throw std::invalid_argument("tag '" + tag +
                                  "': must not contain whitespace, control characters or commas");
    }
  }
}

void validate_link_target(const LinkTarget& target) {
  const std::string shown = target.type + ":" + target.id;
  if (target.type.empty() || target.type.size() > 32) {
    throw std::invalid_argument("link '" + shown + "': TYPE must be 1 to 32 bytes");
  }
  for (const char c : target.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      throw std::invalid_argument("link '" + shown +
                                  "': TYPE may hold only lowercase letters, digits and '-'");
    }
  }
  if (target.id.empty() || target.id.size() > 200) {
    throw std::invalid_argument("link '" + shown + "': ID must be 1 to 200 bytes");
  }
  for (const char c : target.id) {
    if (is_control(static_cast<unsigned char>(c))) {
      throw std::invalid_argument("link '" + shown + "': ID must not contain control characters");
    }
  }
}

LinkTarget parse_link_target(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("link '" + text + "': expected TYPE:ID, e.g. testcase:TC-17");
  }
  LinkTarget target{text.substr(0, colon), text.substr(colon + 1)};
  validate_link_target(target);
  return target;
}

SqlTicketStore::SqlTicketStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

std::map<std::string, CachedTicket> SqlTicketStore::load(const std::vector<std::string>& ids) {
  std::map<std::string, CachedTicket> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (const SqlRow& r : fetch_in(
           db_->session(), std::string("SELECT ") + ticket_columns() + " FROM tickets WHERE id IN",
           distinct(ids), "", ticket_column_kinds())) {
    TicketRow row = ticket_row_from_sql(r);
    std::string id = row.cached.id;
    out.emplace(std::move(id), std::move(row.cached));
  }
  std::map<std::string, JiraIssue*> issues;
  for (auto& [id, ticket] : out) issues.emplace(id, &ticket.issue);
  load_ticket_children(db_->session(), issues);
  return out;
}

std::map<std::string, std::string> SqlTicketStore::current_keys(
    const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (const SqlRow& r : fetch_in(db_->session(), "SELECT id, key FROM tickets WHERE id IN",
                                  distinct(ids), "", "tt")) {
    out.emplace(r.text(0), r.text(1));
  }
  return out;
}

std::map<std::string, std::vector<LocalEdit>> SqlTicketStore::local_edits(
    const std::vector<std::string>& ids) {
  std::map<std::string, std::vector<LocalEdit>> out;
  if (ids.empty()) return out;
  auto lock = db_->lock();
  for (const SqlRow& r :
       fetch_in(db_->session(),
                "SELECT ticket_id, field, value, edited_ms FROM local_edits WHERE ticket_id IN",
                distinct(ids), "ORDER BY ticket_id, field", "ttti")) {
    out[r.text(0)].push_back(LocalEdit{r.text(0), r.text(1), r.text(2), r.i64(3)});
  }
  return out;
}

template <typename Work>
auto SqlTicketStore::in_write_transaction(const std::string& doing, Work work) -> decltype(work()) {
  auto lock = db_->lock();
  try {
    WriteTransaction tx(*db_);
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      tx.commit();
    } else {
      auto result = work();
      tx.commit();
      return result;
    }
  } catch (const std::invalid_argument&) {
    throw;
  } catch (const DatabaseError&) {
    throw;
  } catch (const std::exception& e) {
    db_->fail(doing, e);
  }
}

TicketStore::ApplyResult SqlTicketStore::apply(const std::vector<Decision>& batch,
                                               const std::string& consumer_group,
                                               const std::vector<StoredOffset>& offsets,
                                               int64_t now_ms) {
  if (!offsets.empty() && consumer_group.empty()) {
    throw std::invalid_argument("consumer_group: must not be empty when storing offsets");
  }
  return in_write_transaction(
      "applying a batch of " + std::to_string(batch.size()) + " decisions",
      [&] { return DecisionBatch(*db_, now_ms).apply(batch, consumer_group, offsets); });
}

std::vector<StoredOffset> SqlTicketStore::stored_offsets(const std::string& consumer_group) {
  auto lock = db_->lock();
  std::vector<StoredOffset> out;
  for (const SqlRow& r : SqlQuery("SELECT topic, partition_id, next_offset FROM consumer_offsets "
                                  "WHERE consumer_group = ? ORDER BY topic, partition_id")
                             .arg(consumer_group)
                             .fetch(db_->session(), "tii")) {
    out.push_back(StoredOffset{r.text(0), static_cast<int32_t>(r.i64(1)), r.i64(2)});
  }
  return out;
}

std::optional<CachedTicket> SqlTicketStore::find_by_key(const std::string& key_or_old_key) {
  auto lock = db_->lock();
  soci::session& s = db_->session();
  const std::string select = std::string("SELECT ") + ticket_columns() + " FROM tickets ";
  // A live row holding the key wins over a deleted one that once held it.
  auto row = SqlQuery(select + "WHERE key = ? ORDER BY deleted, updated_ms DESC")
                 .arg(key_or_old_key)
                 .fetch_one(s, ticket_column_kinds());
  if (!row) {
    row = SqlQuery(select +
                   "WHERE id = (SELECT ticket_id FROM ticket_keys WHERE key = ? "
                   "ORDER BY from_ms DESC LIMIT 1)")
              .arg(key_or_old_key)
              .fetch_one(s, ticket_column_kinds());
  }
  if (!row) return std::nullopt;
  CachedTicket ticket = ticket_row_from_sql(*row).cached;
  load_ticket_children(s, {{ticket.id, &ticket.issue}});
  return ticket;
}

std::vector<TicketSummary> SqlTicketStore::list(const std::string& project, int limit) {
  if (limit <= 0) throw std::invalid_argument("limit: must be positive");
  auto lock = db_->lock();
  SqlQuery q(
      std::string("SELECT id, key, project, issue_type, status, priority, assignee_name, summary, "
                  "sync_status, updated_ms, deleted FROM tickets ") +
      (project.empty() ? "" : "WHERE project = ? ") + "ORDER BY updated_ms DESC, id LIMIT ?");
  if (!project.empty()) q.arg(project);
  q.arg(limit);
  std::vector<TicketSummary> out;
  for (const SqlRow& r : q.fetch(db_->session(), "tttttttttii")) {
    TicketSummary t;
    t.id = r.text(0);
    t.key = r.text(1);
    t.project = r.text(2);
    t.issue_type = r.text(3);
    t.status = r.text(4);
    t.priority = r.text(5);
    t.assignee = r.text(6);
    t.summary = r.text(7);
    t.sync_status = r.text(8);
    t.updated_ms = r.i64(9);
    t.deleted = r.flag(10);
    out.push_back(std::move(t));
  }
  return out;
}

int64_t SqlTicketStore::count(const std::string& project) {
  auto lock = db_->lock();
  SqlQuery q(std::string("SELECT COUNT(*) FROM tickets WHERE deleted = 0") +
             (project.empty() ? "" : " AND project = ?"));
  if (!project.empty()) q.arg(project);
  return q.fetch_one(db_->session(), "i")->i64(0);
}

void SqlTicketStore::require_ticket(const std::string& ticket_id) {
  if (ticket_id.empty()) throw std::invalid_argument("ticket_id: must not be empty");
  if (!SqlQuery("SELECT 1 FROM tickets WHERE id = ?")
           .arg(ticket_id)
           .fetch_one(db_->session(), "i")) {
    throw std::invalid_argument("ticket_id: no ticket with id '" + ticket_id + "' in the cache");
  }
}

void SqlTicketStore::put_local_edit(const LocalEdit& edit) {
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

void SqlTicketStore::add_note(const std::string& ticket_id, const std::string& text,
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

std::vector<Note> SqlTicketStore::notes(const std::string& ticket_id) {
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

std::vector<std::string> SqlTicketStore::add_tags(const std::string& ticket_id,
                                                  const std::vector<std::string>& tags,
                                                  int64_t now_ms) {
  const std::vector<std::string> wanted = validated_tags(tags);
  return in_write_transaction("tagging ticket " + ticket_id, [&] {
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

std::vector<std::string> SqlTicketStore::remove_tags(const std::string& ticket_id,
                                                     const std::vector<std::string>& tags) {
  const std::vector<std::string> wanted = validated_tags(tags);
  return in_write_transaction("untagging ticket " + ticket_id, [&] {
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

std::vector<std::string> SqlTicketStore::tags(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<std::string> out;
  for (const SqlRow& r : SqlQuery("SELECT tag FROM tags WHERE ticket_id = ? ORDER BY tag")
                             .arg(ticket_id)
                             .fetch(db_->session(), "t")) {
    out.push_back(r.text(0));
  }
  return out;
}

bool SqlTicketStore::add_link(const std::string& ticket_id, const LinkTarget& target,
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

bool SqlTicketStore::remove_link(const std::string& ticket_id, const LinkTarget& target) {
  validate_link_target(target);
  auto lock = db_->lock();
  require_ticket(ticket_id);
  return SqlQuery("DELETE FROM links WHERE entity_type = ? AND entity_id = ? AND ticket_id = ?")
             .arg(target.type)
             .arg(target.id)
             .arg(ticket_id)
             .execute(db_->session()) > 0;
}

std::vector<TicketLink> SqlTicketStore::links(const std::string& ticket_id) {
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

std::vector<TicketSummary> SqlTicketStore::linked_tickets(const LinkTarget& target) {
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

std::vector<TicketChange> SqlTicketStore::changes(const std::string& ticket_id) {
  auto lock = db_->lock();
  std::vector<TicketChange> out;
  for (const SqlRow& r :
       SqlQuery("SELECT ticket_id, run_id, change, detail, at_ms FROM ticket_changes "
                "WHERE ticket_id = ? ORDER BY id")
           .arg(ticket_id)
           .fetch(db_->session(), "tttti")) {
    out.push_back(TicketChange{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
  }
  return out;
}

std::vector<Conflict> SqlTicketStore::conflicts(const std::string& ticket_id, bool open_only) {
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

void SqlTicketStore::resolve_conflict(int64_t conflict_id, const std::string& take,
                                      int64_t now_ms) {
  if (take != "jira" && take != "local") {
    throw std::invalid_argument("take: must be 'jira' or 'local', not '" + take + "'");
  }
  in_write_transaction("resolving conflict " + std::to_string(conflict_id), [&] {
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
