#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace jirasim {

// Every JSON document the simulator writes goes through this writer.
//
// Not the plain Writer<StringBuffer>: RapidJSON 1.1 specialises exactly that
// type with an SSE2 string scan (RAPIDJSON_SSE2 is on for the whole build)
// whose "below 0x20" test really tests "below 0x1A", so bytes 0x1A-0x1F (ESC
// among them) inside an aligned 16-byte block went out raw: invalid JSON. Any
// other stack allocator selects the portable scan, which escapes every byte
// below 0x20 as RFC 8259 requires; the allocator only holds nesting levels.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                     rapidjson::MemoryPoolAllocator<>>;

inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

inline void write_key(JsonWriter& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Embeds already-serialised JSON (ADF documents, custom field values).
inline void write_raw(JsonWriter& w, std::string_view json) {
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

// Jira's error envelope: {"errorMessages":[...],"errors":{}}.
std::string error_body(const std::string& message);

}  // namespace jirasim
