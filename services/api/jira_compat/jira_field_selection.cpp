#include "services/api/jira_compat/jira_field_selection.hpp"

#include "services/api/jira_compat/jira_fields.hpp"

namespace jirasync {

std::vector<std::string> split_jira_list(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    const std::size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

void JiraFieldSelection::add(std::string_view token) {
  if (token == "*all") {
    all_ = true;
  } else if (token == "*navigable") {
    navigable_ = true;
  } else if (token == "key") {
    key_ = true;
  } else if (token == "id") {
    // the id is always there
  } else if (token.front() == '-') {
    exclude_.emplace(token.substr(1));
  } else {
    include_.emplace(token);
  }
}

JiraFieldSelection JiraFieldSelection::parse(const std::vector<std::string>& requested,
                                             std::string_view fallback) {
  JiraFieldSelection s;
  bool any = false;
  bool positive = false;
  for (const auto& raw : requested) {
    for (const auto& token : split_jira_list(raw)) {
      any = true;
      if (token.front() != '-') positive = true;
      s.add(token);
    }
  }
  if (!any) {
    s.add(fallback);
  } else if (!positive) {
    s.navigable_ = true;  // "-description" alone: every navigable field but the description
  }
  return s;
}

bool JiraFieldSelection::includes(std::string_view field) const {
  if (exclude_.count(field)) return false;
  if (include_.count(field)) return true;
  if (all_) return true;
  if (!navigable_) return false;
  // Custom fields are navigable; of the system fields, what Jira says.
  if (field.rfind("customfield_", 0) == 0) return true;
  const JiraFieldInfo* info = find_jira_field(field);
  return info != nullptr && info->navigable;
}

}  // namespace jirasync
