#include "services/scheduler/issue_key.hpp"

namespace jirasync {
namespace {

constexpr size_t kMaxProjectKey = 255;   // Jira's own ceiling
constexpr size_t kMaxNumberDigits = 18;  // fits an int64

bool upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

bool is_issue_key(std::string_view key) {
  const size_t dash = key.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash > kMaxProjectKey) return false;
  const std::string_view project = key.substr(0, dash);
  const std::string_view number = key.substr(dash + 1);
  if (!upper(project.front())) return false;
  for (char c : project) {
    if (!upper(c) && !digit(c) && c != '_') return false;
  }
  if (number.empty() || number.size() > kMaxNumberDigits || number.front() == '0') return false;
  for (char c : number) {
    if (!digit(c)) return false;
  }
  return true;
}

std::string_view project_of_key(std::string_view key) {
  return key.substr(0, key.rfind('-'));
}

}  // namespace jirasync
