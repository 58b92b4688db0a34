#include "tests/jirasim/field_selection.hpp"

#include "tests/jirasim/issue_catalog.hpp"

namespace jirasim {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  while (true) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    while (!part.empty() && (part.front() == ' ' || part.front() == '\t')) part.remove_prefix(1);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\t')) part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

void FieldSelection::add(std::string_view token) {
  if (token == "*all") {
    all_ = true;
  } else if (token == "*navigable") {
    navigable_ = true;
  } else if (token == "key") {
    key_ = true;
  } else if (token == "id") {
    // the id is always there
  } else if (!token.empty() && token.front() == '-') {
    exclude_.emplace(token.substr(1));
  } else if (!token.empty()) {
    include_.emplace(token);
  }
}

FieldSelection FieldSelection::parse(const std::vector<std::string>& requested,
                                     std::string_view fallback) {
  FieldSelection s;
  bool any = false;
  bool positive = false;
  for (const auto& raw : requested) {
    for (const auto& token : split_commas(raw)) {
      any = true;
      if (token.front() != '-') positive = true;
      s.add(token);
    }
  }
  if (!any) {
    s.add(fallback);
  } else if (!positive) {
    s.navigable_ = true;  // "-description" = all navigable fields except description
  }
  return s;
}

bool FieldSelection::includes(std::string_view field) const {
  if (exclude_.count(field)) return false;
  if (include_.count(field)) return true;
  const FieldDef* def = find_field(field);
  // Custom fields set through the control API count as navigable.
  if (def == nullptr) return field.rfind("customfield_", 0) == 0 && (all_ || navigable_);
  return all_ || (navigable_ && def->navigable);
}

Expansion Expansion::parse(const std::vector<std::string>& values) {
  Expansion e;
  for (const auto& raw : values) {
    for (const auto& token : split_commas(raw)) {
      if (token == "changelog") e.changelog = true;
      if (token == "renderedFields") e.rendered_fields = true;
      if (token == "names") e.names = true;
    }
  }
  return e;
}

}  // namespace jirasim
