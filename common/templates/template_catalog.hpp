#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/config/config.hpp"
#include "common/templates/query_template.hpp"

namespace jirasync {

// The local fields the built-in templates use (named so they cannot collide
// with a Jira field): a ticket's local tags, links, notes, and its latest
// change kind (new|updated|significant|deleted|moved|conflict) and time.
inline constexpr const char* kLocalTagField = "local.tag";
inline constexpr const char* kLocalLinkField = "local.link";
inline constexpr const char* kLocalNoteField = "local.note";
inline constexpr const char* kChangeKindField = "local.change";
inline constexpr const char* kChangeTimeField = "local.changed";

// The templates shipped with jirasync (more than 20), in display order.
const std::vector<QueryTemplate>& builtin_templates();

// Built-in templates plus the user's from the config (`templates:`). A user
// template may not reuse a built-in name: a saved query that silently changes
// meaning between machines is worse than an error.
class TemplateCatalog {
 public:
  explicit TemplateCatalog(const std::vector<TemplateSettings>& user);

  const std::vector<QueryTemplate>& all() const { return all_; }
  // The template, or TemplateError listing the names.
  const QueryTemplate& find(const std::string& name) const;

  // A JQL checker (parse and compile; throws with the reason). Unset, only the
  // templates' own shape is checked.
  using JqlCheck = std::function<void(const std::string& jql)>;
  struct Problem {
    std::string name;
    std::string reason;
  };
  // Every template expanded with its defaults (sample values where a
  // parameter has none) and handed to `check`; one problem per bad template.
  std::vector<Problem> check(const JqlCheck& check) const;

  // Problems with the catalog itself found while building it (bad names,
  // duplicates); `check` includes them.
  const std::vector<Problem>& load_problems() const { return load_problems_; }

 private:
  std::vector<QueryTemplate> all_;
  std::vector<Problem> load_problems_;
};

// A value of the kind, to expand a template whose parameter has no default.
std::string sample_value(ParamKind kind);

}  // namespace jirasync
