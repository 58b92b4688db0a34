#include "common/templates/template_catalog.hpp"

#include <algorithm>
#include <set>

namespace jirasync {
namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string sample_value(ParamKind kind) {
  switch (kind) {
    case ParamKind::kText:
      return "sample";
    case ParamKind::kInteger:
      return "1";
    case ParamKind::kList:
      return "a, b";
    case ParamKind::kDate:
      return "-1d";
  }
  return "sample";
}

TemplateCatalog::TemplateCatalog(const std::vector<TemplateSettings>& user) {
  all_ = builtin_templates();
  std::set<std::string> names;
  for (const QueryTemplate& t : all_) names.insert(t.name);
  for (size_t i = 0; i < user.size(); ++i) {
    const TemplateSettings& u = user[i];
    const std::string where = "templates[" + std::to_string(i) + "] " + u.name;
    if (!valid_name(u.name)) {
      load_problems_.push_back(
          {u.name, where + ": name must be 1..64 lowercase letters, digits or '-'"});
      continue;
    }
    if (!names.insert(u.name).second) {
      load_problems_.push_back({u.name, where + ": the name is already taken (built-in or twice)"});
      continue;
    }
    all_.push_back({u.name, u.description, u.jql, u.params, false});
  }
}

const QueryTemplate& TemplateCatalog::find(const std::string& name) const {
  for (const QueryTemplate& t : all_)
    if (t.name == name) return t;
  std::string names;
  for (const QueryTemplate& t : all_) names += (names.empty() ? "" : ", ") + t.name;
  throw TemplateError("no template named '" + name.substr(0, 64) +
                      "' (`jirasync templates` lists " + std::to_string(all_.size()) + ": " +
                      names + ")");
}

std::vector<TemplateCatalog::Problem> TemplateCatalog::check(const JqlCheck& check) const {
  std::vector<Problem> problems = load_problems_;
  for (const QueryTemplate& t : all_) {
    try {
      std::map<std::string, std::string> given;
      for (const TemplateParam& p : t.params()) {
        if (p.fallback.empty() || p.fallback == "last-sync") given[p.name] = sample_value(p.kind);
      }
      const std::string jql = expand_template(t, given);
      if (check) check(jql);
    } catch (const std::exception& e) {
      problems.push_back({t.name, e.what()});
    }
  }
  return problems;
}

}  // namespace jirasync
