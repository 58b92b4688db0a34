#pragma once

#include <string>

#include "cli/output_format.hpp"
#include "common/model/jira_issue.hpp"

namespace jirasync {

// The part of `jirasync show` for the fields kept since migration 5: due
// date, creator, affected versions, environment, time tracking, issue links,
// sub-tasks, attachments and comments. Text from Jira goes through printable().

// Lines for the table view ("" when the issue has none of them).
std::string issue_details_table(const JiraIssue& issue);

// Their members in the JSON view (null or [] when unset).
void write_issue_details_json(JsonOut& j, const JiraIssue& issue);

}  // namespace jirasync
