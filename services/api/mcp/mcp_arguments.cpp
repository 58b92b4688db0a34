#include "services/api/mcp/mcp_arguments.hpp"

#include <algorithm>

#include "services/api/mcp/json_rpc.hpp"

namespace jirasync {

void throw_bad_argument(const std::string& name, const std::string& why) {
  throw JsonRpcError(kJsonRpcInvalidParams, "arguments." + name + ": " + why);
}

McpArguments::McpArguments(const rapidjson::Value* arguments, const std::vector<std::string>& known)
    : arguments_(arguments) {
  if (arguments_ == nullptr || arguments_->IsNull()) {
    arguments_ = nullptr;
    return;
  }
  if (!arguments_->IsObject()) {
    throw JsonRpcError(kJsonRpcInvalidParams, "arguments: must be an object");
  }
  for (const auto& m : arguments_->GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw JsonRpcError(kJsonRpcInvalidParams,
                         "arguments: unknown argument '" + name.substr(0, 64) +
                             "' (known: " + (list.empty() ? "none" : list) + ")");
    }
  }
}

const rapidjson::Value* McpArguments::find(const std::string& name) const {
  if (arguments_ == nullptr) return nullptr;
  const auto it = arguments_->FindMember(name.c_str());
  if (it == arguments_->MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

std::optional<std::string> McpArguments::text(const std::string& name) const {
  const rapidjson::Value* v = find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->IsString()) throw_bad_argument(name, "must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::string McpArguments::required_text(const std::string& name) const {
  auto v = text(name);
  if (!v || v->empty()) throw_bad_argument(name, "is required");
  return *v;
}

std::optional<int64_t> McpArguments::integer(const std::string& name, int64_t min,
                                             int64_t max) const {
  const rapidjson::Value* v = find(name);
  if (v == nullptr) return std::nullopt;
  // JSON clients send 20 or 20.0 alike; a fraction is refused.
  int64_t n = 0;
  if (v->IsInt64()) {
    n = v->GetInt64();
  } else if (v->IsDouble() &&
             v->GetDouble() == static_cast<double>(static_cast<int64_t>(v->GetDouble()))) {
    n = static_cast<int64_t>(v->GetDouble());
  } else {
    throw_bad_argument(name, "must be an integer");
  }
  if (n < min || n > max) {
    throw_bad_argument(name, "must be between " + std::to_string(min) + " and " +
                                 std::to_string(max) + ", not " + std::to_string(n));
  }
  return n;
}

std::map<std::string, std::string> McpArguments::text_map(const std::string& name) const {
  std::map<std::string, std::string> out;
  const rapidjson::Value* v = find(name);
  if (v == nullptr) return out;
  if (!v->IsObject()) throw_bad_argument(name, "must be an object of strings");
  for (const auto& m : v->GetObject()) {
    const std::string key(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString()) throw_bad_argument(name + "." + key.substr(0, 64), "must be a string");
    out[key] = std::string(m.value.GetString(), m.value.GetStringLength());
  }
  return out;
}

std::vector<std::string> McpArguments::texts(const std::string& name) const {
  std::vector<std::string> out;
  const rapidjson::Value* v = find(name);
  if (v == nullptr) return out;
  if (!v->IsArray()) throw_bad_argument(name, "must be an array of strings");
  for (const auto& item : v->GetArray()) {
    if (!item.IsString()) throw_bad_argument(name, "must be an array of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

}  // namespace jirasync
