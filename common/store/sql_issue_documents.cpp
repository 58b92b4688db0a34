#include "common/store/sql_issue_documents.hpp"

#include "common/store/sql_query.hpp"
#include "common/store/sql_ticket_children.hpp"

namespace jirasync {
namespace {

// The local tables and the freshness of the ticket in `k`, as branches of
// ticket_with_children's union (its columns: kind, t1..t6, i1, i2,
// other_key, other_deleted, n1, n2, s1). Each kind is ordered as
// SqlLocalTicketData::local_data_of orders it: edits by field, notes by id,
// tags by tag, links by type then id, conflicts by id. The freshness row
// ('f') has what SqlTicketFreshness::ages reads: the project, the row's last
// write, the refresh that last found it unchanged and the start of the
// project's latest good run.
const std::string& local_and_age_branches() {
  static const std::string sql = [] {
    const std::string t = null_ticket_column();
    return " UNION ALL SELECT 'e', field, value, '', '', '', '', edited_ms, 0, '', NULL, 0, 0, "
           "field" +
           t +
           " FROM local_edits WHERE ticket_id = (SELECT id FROM k)"
           " UNION ALL SELECT 'n', text, '', '', '', '', '', at_ms, 0, '', NULL, id, 0, ''" +
           t +
           " FROM notes WHERE ticket_id = (SELECT id FROM k)"
           " UNION ALL SELECT 't', tag, '', '', '', '', '', at_ms, 0, '', NULL, 0, 0, tag" +
           t +
           " FROM tags WHERE ticket_id = (SELECT id FROM k)"
           " UNION ALL SELECT 'k', entity_type, entity_id, '', '', '', '', last_seen_ms, 0, "
           "entity_id, NULL, 0, 0, entity_type" +
           t +
           " FROM links WHERE ticket_id = (SELECT id FROM k)"
           " UNION ALL SELECT 'x', field, local_value, jira_value, strategy, outcome, '', at_ms, "
           "open, '', NULL, id, 0, ''" +
           t +
           " FROM conflicts WHERE ticket_id = (SELECT id FROM k)"
           " UNION ALL SELECT 'f', project, '', '', '', '', '', (SELECT checked_ms FROM "
           "ticket_checks WHERE ticket_id = k.id), " +
           latest_good_run_sql("k.project") + ", '', NULL, last_synced_ms, 0, ''" + t + " FROM k";
  }();
  return sql;
}

// One row of local_and_age_branches() into the document; false for a row of
// the lists or the history.
bool take_local_or_age(const SqlRow& r, const std::string& ticket_id, IssueDocument& doc) {
  const std::string kind = r.text(0);
  // Links and conflicts as 'k' and 'x' here: 'l' and 'c' are the issue's own lists.
  const char local_kind = kind == "e" || kind == "n" || kind == "t" ? kind[0]
                          : kind == "k"                             ? 'l'
                          : kind == "x"                             ? 'c'
                                                                    : 0;
  if (local_kind != 0) {
    add_local_data_row(doc.local, ticket_id,
                       {local_kind,
                        r.i64(11),
                        {r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)},
                        r.i64(8),
                        r.i64(7)});
  } else if (kind == "f") {
    doc.age = TicketAge{ticket_id, r.text(1), newest_match_ms(r.i64(11), r.i64(7), r.i64(8))};
  } else {
    return false;
  }
  return true;
}

}  // namespace

SqlIssueDocuments::SqlIssueDocuments(std::shared_ptr<Database> db)
    : db_(db), tickets_(db), local_(db), freshness_(db) {}

std::optional<IssueDocument> SqlIssueDocuments::find(const std::string& key_or_old_key) {
  auto lock = db_->lock();
  IssueDocument doc;
  const ExtraChildBranches extra{
      local_and_age_branches(),
      [&doc](const SqlRow& r, const CachedTicket& t) { return take_local_or_age(r, t.id, doc); }};
  if (auto ticket = ticket_with_children(db_->session(), key_or_old_key, &doc.history, &extra)) {
    doc.ticket = std::move(*ticket);
    return doc;
  }
  // A former key: rare, so the seams one by one (the lock is the thread's: reentrant).
  auto found = tickets_.find_with_history(key_or_old_key);
  if (!found) return std::nullopt;
  IssueDocument old{std::move(found->ticket), std::move(found->history), {}, std::nullopt};
  old.local = local_.local_data_of(old.ticket.id);
  const auto ages = freshness_.ages({old.ticket.id});
  if (auto it = ages.find(old.ticket.id); it != ages.end()) old.age = it->second;
  return old;
}

}  // namespace jirasync
