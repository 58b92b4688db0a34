#pragma once

#include <rapidjson/document.h>

#include "tests/jirasim/issue_store.hpp"
#include "tests/jirasim/people.hpp"

namespace jirasim {

// Applies control-API field values to an issue: summary, status (+statusCategory),
// priority, assignee, reporter, labels, components, fixVersions, issuetype,
// parent, resolution, description (ADF object, plain string or null), created,
// updated (epoch ms or a Jira timestamp) and any customfield_* (raw JSON, null
// clears). Throws ApiError (400) naming the first bad field.
void apply_issue_fields(SimIssue& issue, const rapidjson::Value& fields, const IssueStore& store,
                        const People& people);

}  // namespace jirasim
