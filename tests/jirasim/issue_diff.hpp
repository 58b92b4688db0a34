#pragma once

#include <vector>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// The changelog items between two versions of an issue, named as Jira's
// changelog names them ("status", "assignee", "labels", "Component", ...).
// User fields carry account ids; other fields carry display strings.
std::vector<SimChange> diff_issues(const SimIssue& before, const SimIssue& after);

}  // namespace jirasim
