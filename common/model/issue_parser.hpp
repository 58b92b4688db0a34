#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "common/model/jira_issue.hpp"

namespace jirasync {

// Bounds on untrusted issue JSON; anything larger is refused with a
// PayloadError naming the field, never truncated.
struct ParseLimits {
  size_t max_issue_bytes = 4 * 1024 * 1024;  // whole issue text (text overloads only)
  size_t max_field_bytes = 1024 * 1024;      // any one string, the canonical ADF, a custom field
  size_t max_labels = 1000;                  // also bounds components and fixVersions
  size_t max_custom_fields = 2000;
  // Jira Cloud's own per-issue limits (comments 5000, attachments 2000,
  // issue links 2000); subtasks share the link bound.
  size_t max_comments = 5000;
  size_t max_attachments = 2000;
  size_t max_links = 2000;
};

// Parses one issue object of Jira Cloud REST v3 (GET issue, search/jql,
// bulkfetch) into a JiraIssue. Every failure is a PayloadError whose field()
// is the JSON path ("fields.updated", "fields.labels[3]",
// "fields.description.content[0].text") and whose message says what is wrong.
//
// Required-field rule: Jira returns only the fields a request asks for, and
// the OpenAPI spec marks nothing in IssueBean as required (its own examples
// lack summary, status, issuetype and created, and give "updated" as the
// number 1). So parse_issue requires only `id` (a numeric string) and `key`.
// Every other member is optional, but when present (and not null) it must have
// the right type and shape: an object it reads must carry the member the
// cache keeps (project.key, issuetype.name, status.name, priority.name,
// resolution.name, components[i].name, fixVersions[i].name, parent.id and
// parent.key, assignee/reporter accountId). Absent or null members leave the
// JiraIssue default ("" / 0 / false / nullopt / empty).
// An issue without `fields` (an id-only sweep) therefore parses to id and key
// alone; parse_issue_ref reads just those without looking at `fields`.
//
// parse_complete_issue is the rule for what the cache stores: it also
// requires `fields` and, inside it, updated, created, project.key, summary,
// issuetype.name and status.name (the fields the fetcher asks for).
//
// Where each member comes from:
//   project_key/project_id  fields.project.key / .id
//   issue_type, subtask     fields.issuetype.name / .subtask (absent: false)
//   status, status_category fields.status.name / .statusCategory.key
//   priority, resolution    fields.priority.name / fields.resolution.name
//   assignee, reporter      fields.assignee / fields.reporter: accountId, displayName
//   labels                  fields.labels (strings, source order)
//   components/fix_versions fields.components[].name / fields.fixVersions[].name
//   parent_id/parent_key    fields.parent.id / .key
//   created_ms, updated_ms, resolution_date_ms
//                           fields.created / .updated / .resolutiondate: any
//                           form parse_jira_time reads, or an integer taken as
//                           epoch milliseconds (the spec's examples)
//   summary                 fields.summary
//   description_adf/_text   fields.description: an ADF object (stored as
//                           canonical JSON, rendered by adf_to_text); a plain
//                           string (older payloads) is wrapped as a one-
//                           paragraph ADF doc; null or "" leaves both empty
//   custom_fields           every fields.customfield_* with a non-null value,
//                           as canonical JSON
//   due_date                fields.duedate, a valid calendar date "YYYY-MM-DD"
//   creator                 fields.creator, as assignee
//   affected_versions       fields.versions[].name
//   environment_adf/_text   fields.environment, as the description
//   links                   fields.issuelinks[]: id, type.name, exactly one of
//                           inwardIssue/outwardIssue (id, key) and the type's
//                           inward/outward verb
//   subtasks                fields.subtasks[]: id, key
//   attachments             fields.attachment[]: id (string or integer),
//                           filename, mimeType, size, created, author
//   time_tracking           fields.timetracking.*Seconds; without it the
//                           plain timeoriginalestimate/timeestimate/timespent
//   comments                fields.comment.comments[] (a PageOfComments; a bare
//                           array, as in the spec's examples, is read too): id,
//                           author, body (ADF or text), created, updated
//                           (absent: created). parse_complete_issue refuses a
//                           page whose `total` is larger than the comments it
//                           holds: Jira truncated it, and storing it would drop
//                           the rest (the fetcher fetches them first).
JiraIssue parse_issue(std::string_view json, const ParseLimits& limits = {});
JiraIssue parse_issue(const rapidjson::Value& issue_object, const ParseLimits& limits = {});

JiraIssue parse_complete_issue(std::string_view json, const ParseLimits& limits = {});
JiraIssue parse_complete_issue(const rapidjson::Value& issue_object,
                               const ParseLimits& limits = {});

// The identity of an issue, all an id-only sweep needs. Validates id and key
// as parse_issue does and ignores everything else.
struct IssueRef {
  std::string id;
  std::string key;
  bool operator==(const IssueRef&) const = default;
};
IssueRef parse_issue_ref(const rapidjson::Value& issue_object);

}  // namespace jirasync
