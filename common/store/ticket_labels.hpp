#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/model/jira_issue.hpp"

namespace soci {
class session;
}

namespace jirasync {

// ticket_labels (migration 12): one row per label of a ticket, keyed by the
// ticket id, so JQL's `labels = X` is an index lookup instead of a JSON scan
// of every row. The writer keeps it in step with tickets.labels: a new
// version of an issue replaces its rows (as ticket_children does for the
// other lists); a touch or a deletion keeps them.

// The form a label is kept and compared in: ASCII lower case, as the JQL
// compiler lowers its values (SQLite's lower(), PostgreSQL's translate()).
std::string label_match_key(std::string_view label);

// Deletes the label rows of the issues' ids and inserts their current labels.
// Runs inside the caller's transaction.
void replace_ticket_labels(soci::session& session, const std::vector<const JiraIssue*>& issues);

// The rows of ticket_labels from every ticket's JSON labels column (the
// backfill migration 12 runs on a cache that has data).
inline constexpr const char* kFillTicketLabelsSqlite =
    "INSERT INTO ticket_labels (ticket_id, label) SELECT DISTINCT t.id, lower(j.value) "
    "FROM tickets t, json_each(t.labels) j WHERE t.labels <> '[]' AND j.value IS NOT NULL";
inline constexpr const char* kFillTicketLabelsPostgres =
    "INSERT INTO ticket_labels (ticket_id, label) SELECT DISTINCT t.id, "
    "translate(j.value, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') "
    "FROM tickets t, json_array_elements_text(CAST(t.labels AS json)) AS j(value) "
    "WHERE t.labels <> '[]' AND j.value IS NOT NULL";

// Fills ticket_labels again from the JSON column: for rows written without
// the writer (tests, benchmarks that fill `tickets` with SQL).
void fill_ticket_labels_from_json(soci::session& session);

}  // namespace jirasync
