#include "common/store/sql_ticket_children.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "common/json/json_document.hpp"
#include "common/store/sql_query.hpp"
#include "common/store/ticket_row.hpp"

namespace jirasync {

namespace {

std::optional<JiraUser> user_of(const SqlRow& r, size_t id_col, size_t name_col) {
  if (r.is_null(id_col) && r.is_null(name_col)) return std::nullopt;
  return JiraUser{r.text(id_col), r.text(name_col)};
}

// The four lists of one ticket (UNION ALL branches), in
// load_ticket_children's order and with its rule for the other ends of links
// and sub-tasks (their current key; a deleted one drops out), joined here
// instead of read after. Columns: kind, six texts, two numbers, the other
// end's key and deleted flag (NULL when the cache lacks it), then the sort
// keys. `owner` is the SQL that gives the ticket's id.
std::string children_union(const std::string& owner) {
  return "SELECT 'c', comment_id, author_id, author_name, body_adf, body_text, '', created_ms, "
         "updated_ms, NULL, NULL, created_ms, LENGTH(comment_id), comment_id{T} "
         "FROM ticket_comments WHERE ticket_id = " +
         owner +
         " UNION ALL SELECT 'l', l.link_id, l.link_type, l.direction, l.label, l.other_id, "
         "l.other_key, 0, 0, o.key, o.deleted, l.position, 0, ''{T} FROM ticket_links l "
         "LEFT JOIN tickets o ON o.id = l.other_id WHERE l.ticket_id = " +
         owner +
         " UNION ALL SELECT 's', st.subtask_id, st.subtask_key, '', '', '', '', 0, 0, o.key, "
         "o.deleted, st.position, 0, ''{T} FROM ticket_subtasks st "
         "LEFT JOIN tickets o ON o.id = st.subtask_id WHERE st.ticket_id = " +
         owner +
         " UNION ALL SELECT 'a', attachment_id, filename, mime_type, author_id, author_name, '', "
         "size_bytes, created_ms, NULL, NULL, position, 0, ''{T} FROM ticket_attachments "
         "WHERE ticket_id = " +
         owner;
}

// The child columns' kinds (kind first) and how many there are.
constexpr const char* kChildKinds = "tttttttiitiiit";
constexpr size_t kChildColumns = 14;

// One row of the lists' union (and of the history's branch, kind 'h', when
// `history` is given).
void add_child(const SqlRow& r, JiraIssue& issue, const std::string& ticket_id = "",
               std::vector<TicketChange>* history = nullptr) {
  const std::string kind = r.text(0);
  if (kind == "h") {
    if (history) history->push_back({ticket_id, r.text(1), r.text(2), r.text(3), r.i64(7)});
    return;
  }
  const bool other_known = !r.is_null(10);
  if (other_known && r.i64(10) != 0) return;  // the other end was deleted
  if (kind == "c") {
    issue.comments.push_back(
        {r.text(1), user_of(r, 2, 3), r.text(4), r.text(5), r.i64(7), r.i64(8)});
  } else if (kind == "l") {
    issue.links.push_back({r.text(1), r.text(2), r.text(3), r.text(4), r.text(5),
                           other_known ? r.text(9) : r.text(6)});
  } else if (kind == "s") {
    issue.subtasks.push_back({r.text(1), other_known ? r.text(9) : r.text(2)});
  } else {
    issue.attachments.push_back(
        {r.text(1), r.text(2), r.text(3), r.i64(7), r.i64(8), user_of(r, 4, 5)});
  }
}

}  // namespace

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

std::string null_ticket_column() {
  return ", NULL";
}

// The four lists of a ticket read on its own (an old key's ticket).
void load_children_of_one(soci::session& s, const std::string& id, JiraIssue& issue) {
  const std::string unioned = replace_all(children_union("?"), "{T}", "");
  // fetch_in with the id as a one-key list (the last branch's): on PostgreSQL
  // prepared once per connection.
  const std::string before = unioned.substr(0, unioned.rfind("= ?")) + "IN";
  for (const SqlRow& r :
       fetch_in(s, before, {id}, "ORDER BY 1, 12, 13, 14", kChildKinds, {id, id, id}))
    add_child(r, issue);
}

namespace {

// The row branch's columns as one JSON array (a text column after the child
// columns), so that the child rows need one NULL for it, not one per ticket
// column: 42 typed NULLs in each of a dozen branches cost PostgreSQL more to
// set up on every execution than the lookups themselves.
std::string ticket_row_as_json(bool postgres) {
  return postgres ? std::string("json_build_array(") + ticket_columns() + ")::text"
                  : std::string("json_array(") + ticket_columns() + ")";
}

// The ticket's columns back from that array, typed as ticket_column_kinds().
SqlRow ticket_row_from_json(const std::string& text) {
  rapidjson::Document doc;
  parse_json_text(text, doc, "ticket row");
  const std::string_view kinds = ticket_column_kinds();
  if (!doc.IsArray() || doc.Size() != kinds.size())
    throw std::runtime_error("ticket row: expected an array of " + std::to_string(kinds.size()) +
                             " columns from the database");
  std::vector<SqlValue> values;
  values.reserve(kinds.size());
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const rapidjson::Value& v = doc[i];
    if (v.IsNull()) {
      values.emplace_back(std::monostate{});
    } else if (kinds[i] == 'i' && v.IsInt64()) {
      values.emplace_back(v.GetInt64());
    } else if (kinds[i] != 'i' && v.IsString()) {
      values.emplace_back(std::string(v.GetString(), v.GetStringLength()));
    } else {
      throw std::runtime_error("ticket row: column " + std::to_string(i) + " is not " +
                               (kinds[i] == 'i' ? "an integer" : "text"));
    }
  }
  return SqlRow(std::move(values));
}

// The statement's text after `key IN (...)`, for one backend.
std::string after_key(bool postgres, bool history) {
  std::string out =
      "ORDER BY deleted, updated_ms DESC LIMIT 1) "
      "SELECT '' AS kind, CAST(NULL AS TEXT) AS t1, CAST(NULL AS TEXT) AS t2, "
      "CAST(NULL AS TEXT) AS t3, CAST(NULL AS TEXT) AS t4, CAST(NULL AS TEXT) AS t5, "
      "CAST(NULL AS TEXT) AS t6, CAST(NULL AS BIGINT) AS i1, CAST(NULL AS BIGINT) AS i2, "
      "CAST(NULL AS TEXT) AS other_key, CAST(NULL AS BIGINT) AS other_deleted, "
      "CAST(NULL AS BIGINT) AS n1, CAST(NULL AS BIGINT) AS n2, CAST(NULL AS TEXT) AS s1, " +
      ticket_row_as_json(postgres) + " AS ticket FROM k UNION ALL " +
      replace_all(children_union("(SELECT id FROM k)"), "{T}", null_ticket_column());
  if (history)
    out +=
        " UNION ALL SELECT 'h', run_id, change, detail, '', '', '', at_ms, 0, NULL, NULL, id, "
        "0, ''" +
        null_ticket_column() + " FROM ticket_changes WHERE ticket_id = (SELECT id FROM k)";
  return out;
}

}  // namespace

// A ticket by its current key and its four lists, in one statement (GET
// /api/v1/issues/{key} is hot: this was two round trips): the row as a
// branch of the lists' union, as one JSON array after their columns ('' as
// its kind, typed NULLs so PostgreSQL resolves the union's column types), the
// lists' rows with NULL in its place. Through fetch_in, with the key as a
// one-key list: on PostgreSQL prepared once per connection, and planning this
// each time cost more than running it. A live row holding the key wins over
// a deleted one that once held it.
// With `history`, the ticket's changes too (kind 'h', in id order).
std::optional<CachedTicket> ticket_with_children(soci::session& s, const std::string& key,
                                                 std::vector<TicketChange>* history,
                                                 const ExtraChildBranches* extra) {
  const bool postgres = s.get_backend_name() == "postgresql";
  static const std::string after[2][2] = {{after_key(false, false), after_key(false, true)},
                                          {after_key(true, false), after_key(true, true)}};
  // other_key last: the extra branches' second sort key (the lists' own rows
  // are ordered before it).
  const std::string& base = after[postgres ? 1 : 0][history ? 1 : 0];
  const std::string tail = extra ? base + extra->sql + " ORDER BY kind, n1, n2, s1, other_key"
                                 : base + " ORDER BY kind, n1, n2, s1";
  static const std::string kinds = std::string(kChildKinds) + "t";
  static const std::string before =
      std::string("WITH k AS (SELECT ") + ticket_columns() + " FROM tickets WHERE key IN";
  const std::vector<SqlRow> rows = fetch_in(s, before, {key}, tail, kinds);
  if (rows.empty() || !rows.front().text(0).empty()) return std::nullopt;
  CachedTicket ticket =
      ticket_row_from_sql(ticket_row_from_json(rows.front().text(kChildColumns))).cached;
  for (size_t i = 1; i < rows.size(); ++i) {
    if (extra && extra->take(rows[i], ticket)) continue;
    add_child(rows[i], ticket.issue, ticket.id, history);
  }
  return ticket;
}

}  // namespace jirasync
