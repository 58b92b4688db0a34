#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

namespace jirasim::testing {

struct ShapeRules {
  // Type-checked but not descended: issue `fields`, whose spec examples mix
  // shapes from unrelated endpoints (a string description, a numeric `updated`).
  std::set<std::string> opaque{"fields"};
  // May be absent (e.g. nextPageToken on a last page).
  std::set<std::string> optional;
};

// How `actual` differs in shape from a spec `example`: every member of an
// example object must be in `actual` with the same JSON type (all numbers are
// one type; null in the example matches anything); arrays compare their first
// elements when both have one. Empty = same shape.
std::vector<std::string> shape_differences(const rapidjson::Value& example,
                                           const rapidjson::Value& actual,
                                           const ShapeRules& rules = {},
                                           const std::string& path = "$");

}  // namespace jirasim::testing
