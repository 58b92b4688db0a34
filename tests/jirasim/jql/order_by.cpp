#include "tests/jirasim/jql/order_by.hpp"

#include <string_view>
#include <utility>

#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/jql/condition.hpp"
#include "tests/jirasim/jql/custom_field_order.hpp"
#include "tests/jirasim/jql/field_catalog.hpp"

namespace jirasim::jql {
namespace {

enum class SortBy {
  Updated,
  Created,
  ResolutionDate,
  Key,
  Id,
  Priority,
  Project,
  Summary,
  Status,
  IssueType,
  Unknown
};

SortBy sort_by(const std::string& field) {
  static const std::pair<std::string_view, SortBy> kNames[] = {
      {"updated", SortBy::Updated},   {"created", SortBy::Created},
      {"key", SortBy::Key},           {"id", SortBy::Id},
      {"priority", SortBy::Priority}, {"resolutiondate", SortBy::ResolutionDate},
      {"project", SortBy::Project},   {"summary", SortBy::Summary},
      {"status", SortBy::Status},     {"issuetype", SortBy::IssueType},
      {"issuekey", SortBy::Key},
  };
  for (const auto& [name, by] : kNames) {
    if (field == name) return by;
  }
  return SortBy::Unknown;
}

int cmp(int64_t a, int64_t b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

int icmp(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto ca = static_cast<unsigned char>(ascii_lower(a[i]));
    const auto cb = static_cast<unsigned char>(ascii_lower(b[i]));
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return cmp(static_cast<int64_t>(a.size()), static_cast<int64_t>(b.size()));
}

// Empty values (0) sort after every real one.
int cmp_optional(int64_t a, int64_t b) {
  if ((a == 0) != (b == 0)) return a == 0 ? 1 : -1;
  return cmp(a, b);
}

int cmp_keys(std::string_view a, std::string_view b) {
  std::string_view pa, pb;
  int64_t na = 0, nb = 0;
  if (!split_issue_key(a, pa, na) || !split_issue_key(b, pb, nb)) return icmp(a, b);
  if (int c = icmp(pa, pb)) return c;
  return cmp(na, nb);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "customfield_N" for cf[N] or a custom field's name, else "".
std::string custom_field_id(const std::string& field, const CustomFieldNames& names) {
  std::string name = field;
  for (char& c : name) c = ascii_lower(c);
  if (name.size() > 4 && name.rfind("cf[", 0) == 0 && name.back() == ']' &&
      all_digits(std::string_view(name).substr(3, name.size() - 4))) {
    return "customfield_" + name.substr(3, name.size() - 4);
  }
  const auto it = names.find(name);
  return it == names.end() ? "" : it->second;
}

int compare_by(SortBy by, const SimIssue& a, const SimIssue& b) {
  switch (by) {
    case SortBy::Updated:
      return cmp(a.updated_ms, b.updated_ms);
    case SortBy::Created:
      return cmp(a.created_ms, b.created_ms);
    case SortBy::ResolutionDate:
      return cmp_optional(a.resolution_ms, b.resolution_ms);
    case SortBy::Key:
      return cmp_keys(a.key, b.key);
    case SortBy::Id:
      return cmp(a.id, b.id);
    case SortBy::Priority: {
      // Lowest < ... < Highest; no priority after all of them.
      const int ra = a.priority.empty() ? 6 : priority_rank(a.priority);
      const int rb = b.priority.empty() ? 6 : priority_rank(b.priority);
      return cmp(ra, rb);
    }
    case SortBy::Project:
      return icmp(a.project_key, b.project_key);
    case SortBy::Summary:
      return icmp(a.summary, b.summary);
    case SortBy::Status:
      return icmp(a.status, b.status);
    case SortBy::IssueType:
      return icmp(a.issue_type, b.issue_type);
    case SortBy::Unknown:
      return 0;
  }
  return 0;
}

}  // namespace

std::vector<OrderKey> compile_order_by(const std::vector<SortField>& fields,
                                       const CustomFieldNames& custom_fields) {
  std::vector<OrderKey> out;
  for (const auto& f : fields) {
    const auto info = find_field(f.field);
    if (!info) {
      if (std::string id = custom_field_id(f.field, custom_fields); !id.empty()) {
        out.push_back({std::move(id), f.ascending.value_or(true)});
        continue;
      }
      throw JqlError("Field '" + f.field +
                     "' does not exist or you do not have permission to view it.");
    }
    if (!info->orderable) throw JqlError("Field '" + f.field + "' does not support sorting.");
    OrderKey key;
    key.field = std::string(info->name);
    const bool newest_first = info->id == FieldId::Created || info->id == FieldId::Updated ||
                              info->id == FieldId::ResolutionDate || info->id == FieldId::Priority;
    key.ascending = f.ascending.value_or(!newest_first);
    out.push_back(std::move(key));
  }
  return out;
}

bool order_less(const std::vector<OrderKey>& keys, const SimIssue& a, const SimIssue& b) {
  for (const auto& k : keys) {
    const int c = k.field.rfind("customfield_", 0) == 0 ? compare_custom_field(k.field, a, b)
                                                        : compare_by(sort_by(k.field), a, b);
    if (c != 0) return k.ascending ? c < 0 : c > 0;
  }
  return a.id < b.id;
}

}  // namespace jirasim::jql
