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

using Member = rapidjson::Value::Member;

std::string_view name_of(const Member& m) {
  return {m.name.GetString(), m.name.GetStringLength()};
}

void write_canonical(const rapidjson::Value& value, JsonWriter& writer);

std::string rendered(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  write_canonical(value, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// One writer for the whole value: keys and scalars are written by it as
// before, members in sorted order. Only members sharing a name are rendered
// apart, to be ordered by their text.
void write_object(const rapidjson::Value& value, JsonWriter& writer) {
  std::vector<const Member*> members;
  members.reserve(value.MemberCount());
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) members.push_back(&*it);
  // string_view compares like memcmp (unsigned bytes): UTF-8 byte order is code point order.
  std::sort(members.begin(), members.end(),
            [](const Member* a, const Member* b) { return name_of(*a) < name_of(*b); });
  writer.StartObject();
  for (size_t i = 0; i < members.size();) {
    const std::string_view name = name_of(*members[i]);
    size_t same = i + 1;
    while (same < members.size() && name_of(*members[same]) == name) ++same;
    if (same == i + 1) {
      writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      write_canonical(members[i]->value, writer);
    } else {
      std::vector<std::string> texts;
      for (size_t k = i; k < same; ++k) texts.push_back(rendered(members[k]->value));
      std::sort(texts.begin(), texts.end());
      for (const std::string& text : texts) {
        writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        writer.RawValue(text.data(), text.size(), rapidjson::kObjectType);
      }
    }
    i = same;
  }
  writer.EndObject(static_cast<rapidjson::SizeType>(members.size()));
}

void write_canonical(const rapidjson::Value& value, JsonWriter& writer) {
  if (value.IsObject()) {
    write_object(value, writer);
  } else if (value.IsArray()) {
    writer.StartArray();
    for (const rapidjson::Value& element : value.GetArray()) write_canonical(element, writer);
    writer.EndArray(value.Size());
  } else {
    value.Accept(writer);
  }
}

}  // namespace

std::string canonical_json(const rapidjson::Value& value) {
  return rendered(value);
}

}  // namespace jirasync
