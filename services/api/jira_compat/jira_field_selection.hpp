#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// Jira's `fields` parameter: names (repeated or comma-separated), `*all`,
// `*navigable`, `id`, `key` and `-name` exclusions; the endpoint's default
// when nothing is asked (`id` for search/jql, `*navigable` for the classic
// search and bulkfetch, `*all` for GET issue). Unknown names are ignored, as
// Jira ignores them.
class JiraFieldSelection {
 public:
  static JiraFieldSelection parse(const std::vector<std::string>& requested,
                                  std::string_view fallback);

  bool includes(std::string_view field) const;
  // Nothing beyond the id: search/jql then renders {"id": "..."} only.
  bool id_only() const { return !all_ && !navigable_ && include_.empty() && !key_; }
  // Only id and/or key: search/jql allows pages of up to 5000.
  bool only_id_or_key() const { return !all_ && !navigable_ && include_.empty(); }

 private:
  void add(std::string_view token);

  bool all_ = false;
  bool navigable_ = false;
  bool key_ = false;
  std::set<std::string, std::less<>> include_;
  std::set<std::string, std::less<>> exclude_;
};

// "a, b,,c" -> {"a","b","c"}.
std::vector<std::string> split_jira_list(std::string_view text);

}  // namespace jirasync
