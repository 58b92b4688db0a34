#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace jirasim {

struct SimUser {
  std::string account_id;
  std::string display_name;
  std::string email;                         // also the basic-auth user name
  std::string api_token;                     // basic-auth password
  std::string time_zone;                     // IANA, e.g. "America/Los_Angeles"
  std::vector<std::string> browse_projects;  // empty = all projects
};

struct SimChange {
  int64_t at_ms = 0;
  std::string author_id;
  std::string field;
  std::string from;
  std::string to;
};

// A link this issue holds; the other issue shows it too, the other way round
// (IssueStore::linked_from).
struct SimLink {
  int64_t id = 0;
  std::string type;     // an IssueLinkTypeDef name: Blocks, Relates, Duplicate, Cloners
  bool outward = true;  // this issue <type.outward> the other ("blocks")
  int64_t other_id = 0;
};

struct SimAttachment {
  int64_t id = 0;
  std::string filename;
  std::string mime_type;
  int64_t size = 0;
  int64_t created_ms = 0;
  std::string author_id;
};

// One comment as rendered; generated ones are produced on demand
// (IssueRenderer::comments), so they are not held per issue.
struct SimComment {
  int64_t id = 0;
  std::string author_id;
  std::string body_adf;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// One issue as the simulator holds it. Descriptions may be produced on demand
// from (seed, id, version) by the store, so they are not a member here.
struct SimIssue {
  int64_t id = 0;
  std::string key;
  std::vector<std::string> old_keys;  // keys before moves, oldest first
  std::string project_key;
  int64_t project_id = 0;
  std::string issue_type;  // Bug, Story, Task, Epic, Sub-task
  bool subtask = false;
  std::string status;           // e.g. "In Progress"
  std::string status_category;  // new | indeterminate | done
  std::string priority;         // "" = none
  std::string assignee_id;      // "" = unassigned
  std::string reporter_id;
  std::vector<std::string> labels;
  std::vector<std::string> components;
  std::vector<std::string> fix_versions;
  int64_t parent_id = 0;   // 0 = none
  std::string resolution;  // "" = unresolved
  int64_t resolution_ms = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int version = 0;  // bumps on every change
  std::string summary;
  // ADF JSON set explicitly (control API, description edits); empty = generated on
  // demand from (seed, id), so a million issues do not hold a million documents.
  std::string description_adf;
  std::map<std::string, std::string> custom_fields;  // id -> raw JSON
  std::vector<SimChange> changelog;

  std::string due_date;                        // "YYYY-MM-DD"; "" = none
  std::string creator_id;                      // "" = the reporter
  std::vector<std::string> affected_versions;  // fields.versions
  std::string environment;                     // plain text, rendered as ADF; "" = null
  // Comments k = 0..n-1 are generated from (seed, id, k), comment_gap_ms apart
  // after `created`, so a large site holds no comment text.
  int comment_count = 0;
  int64_t comment_gap_ms = 60'000;
  std::vector<SimLink> links;
  std::vector<SimAttachment> attachments;
  int64_t original_estimate_s = -1;  // -1 = none
  int64_t remaining_estimate_s = -1;
  int64_t time_spent_s = -1;
};

}  // namespace jirasim
