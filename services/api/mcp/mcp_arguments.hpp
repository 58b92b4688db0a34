#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace jirasync {

// A tool's `arguments`, read against its input schema: each getter checks
// the type and range and throws JsonRpcError -32602 naming the argument
// ("arguments.limit: ..."), so a client sees exactly which value was wrong.
class McpArguments {
 public:
  // `arguments` may be nullptr (none given). Unknown names are refused:
  // every tool's schema says additionalProperties false.
  McpArguments(const rapidjson::Value* arguments, const std::vector<std::string>& known);

  std::optional<std::string> text(const std::string& name) const;
  std::string required_text(const std::string& name) const;
  std::optional<int64_t> integer(const std::string& name, int64_t min, int64_t max) const;
  // An object of string values ({"project": "WRKA"}).
  std::map<std::string, std::string> text_map(const std::string& name) const;
  // An array of strings.
  std::vector<std::string> texts(const std::string& name) const;

 private:
  const rapidjson::Value* find(const std::string& name) const;
  const rapidjson::Value* arguments_;
};

// A JsonRpcError -32602 for argument `name`.
[[noreturn]] void throw_bad_argument(const std::string& name, const std::string& why);

}  // namespace jirasync
