#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace jirasim {

// The `fields` parameter: lists (possibly repeated, comma-separated), `*all`,
// `*navigable`, `id`, `key` and `-field` exclusions, with the endpoint's
// default when nothing is asked (`id` for search/jql, `*all` for GET issue).
class FieldSelection {
 public:
  static FieldSelection parse(const std::vector<std::string>& requested, std::string_view fallback);

  bool includes(std::string_view field) const;
  // Nothing beyond the issue id: search/jql renders {"id": "..."} only.
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

// The `expand` parameter (comma-separated string or list).
struct Expansion {
  bool changelog = false;
  bool rendered_fields = false;
  bool names = false;

  static Expansion parse(const std::vector<std::string>& values);
};

std::vector<std::string> split_commas(std::string_view text);

}  // namespace jirasim
