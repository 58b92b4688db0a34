#pragma once

// Checks JSON against a schema of an OpenAPI document (Atlassian's Jira spec),
// for the subset of JSON Schema its component schemas use: type, enum,
// properties, required, additionalProperties, items, $ref, allOf, anyOf,
// oneOf, nullable. Enough to catch a missing required member, a member the
// schema does not have, or a value of the wrong type.

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace jirasync::testing {

class OpenApiSchemaCheck {
 public:
  explicit OpenApiSchemaCheck(const rapidjson::Value& spec) : spec_(spec) {}

  // Problems of `value` against components/schemas/<name>, each "path: what";
  // empty when it conforms.
  std::vector<std::string> check(const std::string& name, const rapidjson::Value& value) const {
    std::vector<std::string> problems;
    check_value(ref("#/components/schemas/" + name), value, "$", problems);
    return problems;
  }

 private:
  const rapidjson::Value& ref(const std::string& pointer) const {
    static const rapidjson::Value kMissing;
    const rapidjson::Value* at = &spec_;
    std::size_t start = 2;  // after "#/"
    while (start <= pointer.size()) {
      std::size_t end = pointer.find('/', start);
      if (end == std::string::npos) end = pointer.size();
      const std::string part = pointer.substr(start, end - start);
      if (!at->IsObject() || !at->HasMember(part.c_str())) return kMissing;
      at = &(*at)[part.c_str()];
      start = end + 1;
    }
    return *at;
  }

  static bool has_type(const rapidjson::Value& v, const std::string& type) {
    if (type == "object") return v.IsObject();
    if (type == "array") return v.IsArray();
    if (type == "string") return v.IsString();
    if (type == "integer") return v.IsInt64() || v.IsUint64();
    if (type == "number") return v.IsNumber();
    if (type == "boolean") return v.IsBool();
    return true;
  }

  void check_value(const rapidjson::Value& schema, const rapidjson::Value& v,
                   const std::string& path, std::vector<std::string>& problems) const {
    if (!schema.IsObject()) {
      problems.push_back(path + ": schema not found in the document");
      return;
    }
    if (schema.HasMember("$ref")) {
      check_value(ref(schema["$ref"].GetString()), v, path, problems);
      return;
    }
    if (schema.HasMember("allOf")) {
      for (const auto& part : schema["allOf"].GetArray()) check_value(part, v, path, problems);
    }
    for (const char* any : {"anyOf", "oneOf"}) {
      if (!schema.HasMember(any)) continue;
      bool one = false;
      std::vector<std::string> first;
      for (const auto& part : schema[any].GetArray()) {
        std::vector<std::string> mine;
        check_value(part, v, path, mine);
        if (mine.empty()) {
          one = true;
          break;
        }
        if (first.empty()) first = mine;
      }
      if (!one)
        problems.push_back(path + ": matches none of " + any +
                           " (first: " + (first.empty() ? std::string("?") : first.front()) + ")");
    }
    if (v.IsNull()) {
      const bool nullable = schema.HasMember("nullable") && schema["nullable"].IsBool() &&
                            schema["nullable"].GetBool();
      if (schema.HasMember("type") && !nullable) problems.push_back(path + ": null not allowed");
      return;
    }
    if (schema.HasMember("type") && schema["type"].IsString() &&
        !has_type(v, schema["type"].GetString())) {
      problems.push_back(path + ": not of type " + schema["type"].GetString());
      return;
    }
    if (schema.HasMember("enum") && v.IsString()) {
      bool found = false;
      for (const auto& e : schema["enum"].GetArray()) found = found || (e.IsString() && e == v);
      if (!found) problems.push_back(path + ": '" + v.GetString() + "' is not in the enum");
    }
    if (v.IsObject()) check_object(schema, v, path, problems);
    if (v.IsArray() && schema.HasMember("items")) {
      int i = 0;
      for (const auto& item : v.GetArray()) {
        check_value(schema["items"], item, path + "[" + std::to_string(i++) + "]", problems);
      }
    }
  }

  void check_object(const rapidjson::Value& schema, const rapidjson::Value& v,
                    const std::string& path, std::vector<std::string>& problems) const {
    const bool has_properties = schema.HasMember("properties");
    if (schema.HasMember("required")) {
      for (const auto& r : schema["required"].GetArray()) {
        if (!v.HasMember(r.GetString())) {
          problems.push_back(path + ": required member '" + r.GetString() + "' missing");
        }
      }
    }
    for (const auto& m : v.GetObject()) {
      const std::string name(m.name.GetString(), m.name.GetStringLength());
      const std::string at = path + "." + name;
      if (has_properties && schema["properties"].HasMember(m.name)) {
        check_value(schema["properties"][m.name], m.value, at, problems);
        continue;
      }
      if (!schema.HasMember("additionalProperties")) continue;
      const auto& extra = schema["additionalProperties"];
      // `false` beside no `properties` (JqlQueryClause, whose members come
      // from anyOf) would refuse everything: it is read as "no opinion".
      if (extra.IsBool() && !extra.GetBool() && has_properties) {
        problems.push_back(at + ": member not in the schema");
      } else if (extra.IsObject()) {
        check_value(extra, m.value, at, problems);
      }
    }
  }

  const rapidjson::Value& spec_;
};

}  // namespace jirasync::testing
