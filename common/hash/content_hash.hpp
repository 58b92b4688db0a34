#pragma once

#include <string>

#include "common/model/jira_issue.hpp"

namespace jirasync {

// Lowercase hex SHA-256 over a length-prefixed encoding of every JiraIssue
// member except updated_ms: a touch that changes no field is not a change.
// labels, components and fix_versions are sorted first (Jira does not keep
// their order meaningful). Inputs come from parse_issue, whose ADF and custom
// field values are canonical JSON, so key order and whitespace in the source
// never change the hash. The encoding is versioned; changing it re-hashes
// every issue once.
//
// v2 (migration 5) adds due date, creator, affected versions, environment,
// comments, links, subtasks, attachments and time tracking: a new comment
// must not look like a mere touch (the writer then keeps the stored row).
std::string content_hash(const JiraIssue& issue);

// The v1 encoding: the members before migration 5 only. Rows written by
// earlier versions carry it, so the writer can tell an issue whose only
// difference is the newly kept fields (a backfill after the upgrade, not a
// change in Jira) from a real update.
std::string legacy_content_hash(const JiraIssue& issue);

// Same over the fields a person would call a real change: summary,
// description_text and issue_type.
std::string significant_hash(const JiraIssue& issue);

}  // namespace jirasync
