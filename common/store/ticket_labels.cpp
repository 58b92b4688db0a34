#include "common/store/ticket_labels.hpp"

#include <soci/soci.h>

#include <set>

#include "common/store/sql_dialect.hpp"
#include "common/store/sql_query.hpp"

namespace jirasync {

std::string label_match_key(std::string_view label) {
  std::string out(label);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void replace_ticket_labels(soci::session& s, const std::vector<const JiraIssue*>& issues) {
  if (issues.empty()) return;
  std::vector<std::string> ids;
  ids.reserve(issues.size());
  std::vector<std::vector<SqlValue>> rows;
  for (const JiraIssue* issue : issues) {
    ids.push_back(issue->id);
    // "Bug" and "bug" are one key: one row.
    std::set<std::string> keys;
    for (const std::string& label : issue->labels) keys.insert(label_match_key(label));
    for (const std::string& key : keys) rows.push_back({issue->id, key});
  }
  execute_in(s, "DELETE FROM ticket_labels WHERE ticket_id IN", ids, "");
  execute_rows(s, "ticket_labels", "ticket_id, label", rows);
}

void fill_ticket_labels_from_json(soci::session& s) {
  const bool pg = SqlDialect::of(s).backend() == Backend::kPostgres;
  s << "DELETE FROM ticket_labels";
  s << (pg ? kFillTicketLabelsPostgres : kFillTicketLabelsSqlite);
}

}  // namespace jirasync
