#pragma once

#include <set>
#include <string>
#include <vector>

namespace jirasync {

// The ids once each, sorted: the IN list of one SELECT.
inline std::vector<std::string> distinct_ids(const std::vector<std::string>& ids) {
  std::set<std::string> unique(ids.begin(), ids.end());
  return {unique.begin(), unique.end()};
}

}  // namespace jirasync
