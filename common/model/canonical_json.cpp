#include "common/model/canonical_json.hpp"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/json/json_writer.hpp"

namespace jirasync {
namespace {

void append_scalar(const rapidjson::Value& value, std::string& out) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  value.Accept(writer);
  out.append(buffer.GetString(), buffer.GetSize());
}

void append_string(std::string_view s, std::string& out) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  out.append(buffer.GetString(), buffer.GetSize());
}

void append_canonical(const rapidjson::Value& value, std::string& out) {
  if (value.IsObject()) {
    std::vector<std::pair<std::string_view, std::string>> members;
    members.reserve(value.MemberCount());
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      std::string rendered;
      append_canonical(it->value, rendered);
      members.emplace_back(std::string_view(it->name.GetString(), it->name.GetStringLength()),
                           std::move(rendered));
    }
    // string_view compares like memcmp (unsigned bytes): UTF-8 byte order is code point order.
    std::sort(members.begin(), members.end());
    out += '{';
    bool first = true;
    for (const auto& [name, rendered] : members) {
      if (!first) out += ',';
      first = false;
      append_string(name, out);
      out += ':';
      out += rendered;
    }
    out += '}';
  } else if (value.IsArray()) {
    out += '[';
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (i > 0) out += ',';
      append_canonical(value[i], out);
    }
    out += ']';
  } else {
    append_scalar(value, out);
  }
}

}  // namespace

std::string canonical_json(const rapidjson::Value& value) {
  std::string out;
  append_canonical(value, out);
  return out;
}

}  // namespace jirasync
