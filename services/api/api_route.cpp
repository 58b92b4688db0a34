#include "services/api/api_route.hpp"

#include <vector>

namespace jirasync {

const char* to_string(ApiScope scope) {
  switch (scope) {
    case ApiScope::kPublic:
      return "public";
    case ApiScope::kRead:
      return "read";
    case ApiScope::kAdmin:
      return "admin";
  }
  return "?";
}

std::optional<std::string> ApiRequest::param(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ApiRequest::params(const std::string& name) const {
  std::vector<std::string> values;
  auto [first, last] = query.equal_range(name);
  for (auto it = first; it != last; ++it) values.push_back(it->second);
  return values;
}

}  // namespace jirasync
