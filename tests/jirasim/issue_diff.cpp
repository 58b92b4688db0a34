#include "tests/jirasim/issue_diff.hpp"

namespace jirasim {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += " ";
    out += s;
  }
  return out;
}

void add(std::vector<SimChange>& out, const char* field, const std::string& from,
         const std::string& to) {
  if (from != to) out.push_back({0, "", field, from, to});
}

}  // namespace

std::vector<SimChange> diff_issues(const SimIssue& a, const SimIssue& b) {
  std::vector<SimChange> out;
  add(out, "project", a.project_key, b.project_key);
  add(out, "Key", a.key, b.key);
  add(out, "summary", a.summary, b.summary);
  add(out, "issuetype", a.issue_type, b.issue_type);
  add(out, "status", a.status, b.status);
  add(out, "priority", a.priority, b.priority);
  add(out, "assignee", a.assignee_id, b.assignee_id);
  add(out, "reporter", a.reporter_id, b.reporter_id);
  add(out, "labels", joined(a.labels), joined(b.labels));
  add(out, "Component", joined(a.components), joined(b.components));
  add(out, "Fix Version", joined(a.fix_versions), joined(b.fix_versions));
  add(out, "IssueParentAssociation", a.parent_id ? std::to_string(a.parent_id) : "",
      b.parent_id ? std::to_string(b.parent_id) : "");
  add(out, "resolution", a.resolution, b.resolution);
  if (a.description_adf != b.description_adf) out.push_back({0, "", "description", "", ""});
  add(out, "duedate", a.due_date, b.due_date);
  add(out, "Version", joined(a.affected_versions), joined(b.affected_versions));
  add(out, "environment", a.environment, b.environment);
  for (const auto& [id, value] : b.custom_fields) {
    auto it = a.custom_fields.find(id);
    add(out, id.c_str(), it == a.custom_fields.end() ? "" : it->second, value);
  }
  for (const auto& [id, value] : a.custom_fields) {
    if (!b.custom_fields.count(id)) add(out, id.c_str(), value, "");
  }
  return out;
}

}  // namespace jirasim
