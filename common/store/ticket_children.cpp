#include "common/store/ticket_children.hpp"

#include <set>

#include "common/store/sql_query.hpp"

namespace jirasync {

namespace {

constexpr const char* kTables[] = {"ticket_comments", "ticket_links", "ticket_subtasks",
                                   "ticket_attachments"};

std::optional<JiraUser> user_from(SqlRow& r, size_t id_col, size_t name_col) {
  if (r.is_null(id_col) && r.is_null(name_col)) return std::nullopt;
  return JiraUser{r.take_text(id_col), r.take_text(name_col)};
}

SqlValue user_id(const std::optional<JiraUser>& u) {
  return u ? SqlValue(u->account_id) : SqlValue();
}
SqlValue user_name(const std::optional<JiraUser>& u) {
  return u ? SqlValue(u->display_name) : SqlValue();
}

std::vector<std::string> ids_of(const std::map<std::string, JiraIssue*>& issues) {
  std::vector<std::string> ids;
  ids.reserve(issues.size());
  for (const auto& [id, issue] : issues) ids.push_back(id);
  return ids;
}

// Jira changes neither `updated` nor the stored lists of an issue when the
// other end of a link, or a sub-task, moves or is deleted. What the cache
// knows of those other issues is newer: their current key, and that a
// deleted one no longer shows (Jira drops its links and sub-task entries).
void resolve_other_ends(soci::session& s, const std::map<std::string, JiraIssue*>& issues) {
  std::set<std::string> others;
  for (const auto& [id, issue] : issues) {
    for (const auto& l : issue->links) others.insert(l.other_id);
    for (const auto& st : issue->subtasks) others.insert(st.id);
  }
  if (others.empty()) return;
  std::map<std::string, std::pair<std::string, bool>> known;  // id -> (key, deleted)
  for (const SqlRow& r :
       fetch_in(s, "SELECT id, key, deleted FROM tickets WHERE id IN",
                std::vector<std::string>(others.begin(), others.end()), "", "tti")) {
    known[r.text(0)] = {r.text(1), r.i64(2) != 0};
  }
  for (const auto& [id, issue] : issues) {
    auto gone = [&](const std::string& other) {
      auto it = known.find(other);
      return it != known.end() && it->second.second;
    };
    std::erase_if(issue->links, [&](const JiraIssueLink& l) { return gone(l.other_id); });
    std::erase_if(issue->subtasks, [&](const JiraSubtaskRef& st) { return gone(st.id); });
    for (auto& l : issue->links) {
      if (auto it = known.find(l.other_id); it != known.end()) l.other_key = it->second.first;
    }
    for (auto& st : issue->subtasks) {
      if (auto it = known.find(st.id); it != known.end()) st.key = it->second.first;
    }
  }
}

}  // namespace

void load_ticket_children(soci::session& s, const std::map<std::string, JiraIssue*>& issues) {
  if (issues.empty()) return;
  const std::vector<std::string> ids = ids_of(issues);
  for (auto& [id, issue] : issues) {
    issue->comments.clear();
    issue->links.clear();
    issue->subtasks.clear();
    issue->attachments.clear();
  }
  // Comment ids are numbers in text: shorter is smaller.
  for (SqlRow& r : fetch_in(s,
                            "SELECT ticket_id, comment_id, author_id, author_name, "
                            "body_adf, body_text, created_ms, updated_ms "
                            "FROM ticket_comments WHERE ticket_id IN",
                            ids, "ORDER BY ticket_id, created_ms, LENGTH(comment_id), comment_id",
                            "ttttttii")) {
    issues.at(r.take_text(0))
        ->comments.push_back({r.take_text(1), user_from(r, 2, 3), r.take_text(4), r.take_text(5),
                              r.i64(6), r.i64(7)});
  }
  for (SqlRow& r : fetch_in(s,
                            "SELECT ticket_id, link_id, link_type, direction, label, "
                            "other_id, other_key FROM ticket_links WHERE ticket_id IN",
                            ids, "ORDER BY ticket_id, position", "ttttttt")) {
    issues.at(r.take_text(0))
        ->links.push_back({r.take_text(1), r.take_text(2), r.take_text(3), r.take_text(4),
                           r.take_text(5), r.take_text(6)});
  }
  for (SqlRow& r : fetch_in(
           s, "SELECT ticket_id, subtask_id, subtask_key FROM ticket_subtasks WHERE ticket_id IN",
           ids, "ORDER BY ticket_id, position", "ttt")) {
    issues.at(r.take_text(0))->subtasks.push_back({r.take_text(1), r.take_text(2)});
  }
  resolve_other_ends(s, issues);
  for (SqlRow& r : fetch_in(s,
                            "SELECT ticket_id, attachment_id, filename, mime_type, "
                            "size_bytes, created_ms, author_id, author_name "
                            "FROM ticket_attachments WHERE ticket_id IN",
                            ids, "ORDER BY ticket_id, position", "ttttiitt")) {
    issues.at(r.take_text(0))
        ->attachments.push_back({r.take_text(1), r.take_text(2), r.take_text(3), r.i64(4), r.i64(5),
                                 user_from(r, 6, 7)});
  }
}

namespace {

struct ListColumns {
  const char* table;
  const char* columns;
  const char* child_id;  // with ticket_id, the primary key
};
constexpr ListColumns kComments{"ticket_comments",
                                "ticket_id, comment_id, author_id, author_name, body_text, "
                                "body_adf, created_ms, updated_ms",
                                "comment_id"};
constexpr ListColumns kLinks{
    "ticket_links",
    "ticket_id, link_id, position, link_type, direction, label, other_id, other_key", "link_id"};
constexpr ListColumns kSubtasks{"ticket_subtasks", "ticket_id, subtask_id, position, subtask_key",
                                "subtask_id"};
constexpr ListColumns kAttachments{"ticket_attachments",
                                   "ticket_id, attachment_id, position, filename, mime_type, "
                                   "size_bytes, created_ms, author_id, author_name",
                                   "attachment_id"};

// The rows of every list of the issues, as the tables take them.
struct ListRows {
  std::vector<std::vector<SqlValue>> comments, links, subtasks, attachments;
};

ListRows list_rows(const std::vector<const JiraIssue*>& issues) {
  ListRows out;
  for (const JiraIssue* issue : issues) {
    for (const JiraComment& c : issue->comments) {
      out.comments.push_back({issue->id, c.id, user_id(c.author), user_name(c.author), c.body_text,
                              c.body_adf, c.created_ms, c.updated_ms});
    }
    int64_t position = 0;
    for (const JiraIssueLink& l : issue->links) {
      out.links.push_back({issue->id, l.id, position++, l.type_name, l.direction, l.label,
                           l.other_id, l.other_key});
    }
    position = 0;
    for (const JiraSubtaskRef& st : issue->subtasks) {
      out.subtasks.push_back({issue->id, st.id, position++, st.key});
    }
    position = 0;
    for (const JiraAttachment& a : issue->attachments) {
      out.attachments.push_back({issue->id, a.id, position++, a.filename, a.mime_type, a.size_bytes,
                                 a.created_ms, user_id(a.author), user_name(a.author)});
    }
  }
  return out;
}

// "ON CONFLICT (ticket_id, <child>) DO UPDATE SET c = excluded.c, ... WHERE
// <a column differs>": an identical row gets no new row version.
std::string refresh_tail(const ListColumns& list) {
  std::string set, differs;
  const std::string columns = list.columns;
  size_t start = 0;
  while (start < columns.size()) {
    size_t end = columns.find(',', start);
    if (end == std::string::npos) end = columns.size();
    std::string name = columns.substr(start, end - start);
    name.erase(0, name.find_first_not_of(' '));
    if (name != "ticket_id" && name != list.child_id) {
      set += (set.empty() ? "" : ", ") + name + " = excluded." + name;
      differs += std::string(differs.empty() ? "" : " OR ") + list.table + "." + name +
                 " IS DISTINCT FROM excluded." + name;
    }
    start = end + 1;
  }
  return std::string("ON CONFLICT (ticket_id, ") + list.child_id + ") DO UPDATE SET " + set +
         " WHERE " + differs;
}

}  // namespace

void refresh_ticket_children(soci::session& s, const std::vector<const JiraIssue*>& issues) {
  if (issues.empty()) return;
  const ListRows rows = list_rows(issues);
  execute_rows(s, kComments.table, kComments.columns, rows.comments, refresh_tail(kComments));
  execute_rows(s, kLinks.table, kLinks.columns, rows.links, refresh_tail(kLinks));
  execute_rows(s, kSubtasks.table, kSubtasks.columns, rows.subtasks, refresh_tail(kSubtasks));
  execute_rows(s, kAttachments.table, kAttachments.columns, rows.attachments,
               refresh_tail(kAttachments));
}

void replace_ticket_children(soci::session& s, const std::vector<const JiraIssue*>& issues) {
  if (issues.empty()) return;
  std::vector<std::string> ids;
  ids.reserve(issues.size());
  for (const JiraIssue* issue : issues) ids.push_back(issue->id);
  const ListRows rows = list_rows(issues);
  for (const char* table : kTables) {
    execute_in(s, std::string("DELETE FROM ") + table + " WHERE ticket_id IN", ids, "");
  }
  execute_rows(s, kComments.table, kComments.columns, rows.comments);
  execute_rows(s, kLinks.table, kLinks.columns, rows.links);
  execute_rows(s, kSubtasks.table, kSubtasks.columns, rows.subtasks);
  execute_rows(s, kAttachments.table, kAttachments.columns, rows.attachments);
}

}  // namespace jirasync
