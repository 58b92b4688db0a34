#include "common/jql/custom_field_names.hpp"

#include <algorithm>

namespace jirasync {
namespace {

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

}  // namespace

void add_custom_field_names(JqlContext& context, const std::vector<CustomFieldName>& fields) {
  for (const CustomFieldName& f : fields) {
    if (f.name.empty() || f.id.empty()) continue;
    const std::string name = lower_ascii(f.name);
    auto& ambiguous = context.ambiguous_custom_fields;
    if (auto a = ambiguous.find(name); a != ambiguous.end()) {
      if (std::find(a->second.begin(), a->second.end(), f.id) == a->second.end())
        a->second.push_back(f.id);
      continue;
    }
    auto known = context.custom_field_ids.find(name);
    if (known == context.custom_field_ids.end()) {
      context.custom_field_ids[name] = f.id;
    } else if (known->second != f.id) {
      ambiguous[name] = {known->second, f.id};
      context.custom_field_ids.erase(known);
    }
  }
}

}  // namespace jirasync
