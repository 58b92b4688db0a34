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
  // Most objects (ADF nodes, their attrs and marks) have a few members: sorted on the stack.
  constexpr size_t kOnStack = 16;
  const Member* on_stack[kOnStack];
  std::vector<const Member*> on_heap;
  const size_t count = value.MemberCount();
  const Member** members = on_stack;
  if (count > kOnStack) {
    on_heap.resize(count);
    members = on_heap.data();
  }
  size_t filled = 0;
  for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) members[filled++] = &*it;
  // string_view compares like memcmp (unsigned bytes): UTF-8 byte order is code point order.
  std::sort(members, members + count,
            [](const Member* a, const Member* b) { return name_of(*a) < name_of(*b); });
  writer.StartObject();
  for (size_t i = 0; i < count;) {
    const std::string_view name = name_of(*members[i]);
    size_t same = i + 1;
    while (same < count && name_of(*members[same]) == name) ++same;
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
  writer.EndObject(static_cast<rapidjson::SizeType>(count));
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
  // One buffer and writer per thread, kept: a decoded issue has dozens of
  // small values (ADF bodies, custom fields), and allocating both for each
  // cost more than writing it. (Duplicate keys render apart, in rendered().)
  constexpr size_t kKeptBytes = 1 << 20;
  thread_local rapidjson::StringBuffer buffer;
  thread_local JsonWriter writer(buffer);
  buffer.Clear();
  writer.Reset(buffer);
  write_canonical(value, writer);
  std::string out(buffer.GetString(), buffer.GetSize());
  if (buffer.GetSize() > kKeptBytes) {
    buffer.Clear();
    buffer.ShrinkToFit();
  }
  return out;
}

}  // namespace jirasync
