#include "common/store/local_ticket_rules.hpp"

#include <cctype>
#include <set>
#include <stdexcept>

namespace jirasync {

namespace {

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

}  // namespace

void validate_tag(const std::string& tag) {
  if (tag.empty()) throw std::invalid_argument("tag: must not be empty");
  if (tag.size() > 64) {
    throw std::invalid_argument("tag '" + tag + "': longer than 64 bytes");
  }
  for (const char ch : tag) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ',' || std::isspace(c) || is_control(c)) {
      throw std::invalid_argument("tag '" + tag +
                                  "': must not contain whitespace, control characters or commas");
    }
  }
}

std::vector<std::string> validated_tags(const std::vector<std::string>& tags) {
  if (tags.empty()) throw std::invalid_argument("tags: give at least one tag");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const std::string& t : tags) {
    validate_tag(t);
    if (seen.insert(t).second) out.push_back(t);
  }
  return out;
}

void validate_link_target(const LinkTarget& target) {
  const std::string shown = target.type + ":" + target.id;
  if (target.type.empty() || target.type.size() > 32) {
    throw std::invalid_argument("link '" + shown + "': TYPE must be 1 to 32 bytes");
  }
  for (const char c : target.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      throw std::invalid_argument("link '" + shown +
                                  "': TYPE may hold only lowercase letters, digits and '-'");
    }
  }
  if (target.id.empty() || target.id.size() > 200) {
    throw std::invalid_argument("link '" + shown + "': ID must be 1 to 200 bytes");
  }
  for (const char c : target.id) {
    if (is_control(static_cast<unsigned char>(c))) {
      throw std::invalid_argument("link '" + shown + "': ID must not contain control characters");
    }
  }
}

LinkTarget parse_link_target(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    throw std::invalid_argument("link '" + text + "': expected TYPE:ID, e.g. testcase:TC-17");
  }
  LinkTarget target{text.substr(0, colon), text.substr(colon + 1)};
  validate_link_target(target);
  return target;
}

const std::vector<std::string>& local_edit_fields() {
  static const std::vector<std::string> kFields = {"summary",  "status", "priority",
                                                   "assignee", "labels", "description"};
  return kFields;
}

void validate_local_edit_field(const std::string& field) {
  for (const auto& f : local_edit_fields())
    if (f == field) return;
  std::string all;
  for (const auto& f : local_edit_fields()) all += (all.empty() ? "" : ", ") + f;
  throw std::invalid_argument("field: '" + field.substr(0, 40) + "' cannot be edited locally (" +
                              all + ")");
}

void validate_conflict_take(const std::string& take) {
  if (take != "jira" && take != "local") {
    throw std::invalid_argument("take: must be 'jira' or 'local', not '" + take + "'");
  }
}

}  // namespace jirasync
