#include "tests/jirasim/it/json_shape.hpp"

namespace jirasim::testing {

namespace {

const char* kind(const rapidjson::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "boolean";
  if (v.IsNumber()) return "number";
  if (v.IsString()) return "string";
  if (v.IsArray()) return "array";
  return "object";
}

}  // namespace

std::vector<std::string> shape_differences(const rapidjson::Value& example,
                                           const rapidjson::Value& actual, const ShapeRules& rules,
                                           const std::string& path) {
  std::vector<std::string> out;
  if (example.IsNull()) return out;
  if (std::string(kind(example)) != kind(actual)) {
    out.push_back(path + ": expected " + kind(example) + ", got " + kind(actual));
    return out;
  }
  if (example.IsObject()) {
    for (auto it = example.MemberBegin(); it != example.MemberEnd(); ++it) {
      std::string name = it->name.GetString();
      auto found = actual.FindMember(it->name);
      if (found == actual.MemberEnd()) {
        if (!rules.optional.count(name)) out.push_back(path + "." + name + ": missing");
        continue;
      }
      if (rules.opaque.count(name)) {
        if (std::string(kind(it->value)) != kind(found->value) && !it->value.IsNull()) {
          out.push_back(path + "." + name + ": expected " + kind(it->value) + ", got " +
                        kind(found->value));
        }
        continue;
      }
      auto sub = shape_differences(it->value, found->value, rules, path + "." + name);
      out.insert(out.end(), sub.begin(), sub.end());
    }
  } else if (example.IsArray() && !example.Empty() && !actual.Empty()) {
    auto sub = shape_differences(example[0], actual[0], rules, path + "[0]");
    out.insert(out.end(), sub.begin(), sub.end());
  }
  return out;
}

}  // namespace jirasim::testing
