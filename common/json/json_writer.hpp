#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace jirasync {

// RapidJSON 1.1.0's SSE2 string scan, compiled in for Writer<StringBuffer>
// under RAPIDJSON_SSE2, leaves the control characters 0x1A-0x1F unescaped
// (it compares with 0x19): invalid JSON that a later parse may refuse, e.g.
// an ANSI colour code in a description. A stack allocator of its own type
// keeps that specialisation out; strings are escaped byte by byte.
struct JsonWriterStack : rapidjson::CrtAllocator {};

// The one compact writer every JSON this project produces goes through.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                                     JsonWriterStack>;

// Members of the object being written: the key, then the value. Strings are
// written with their length, so embedded NULs and non-terminated text are safe.
void write_string(JsonWriter& w, const char* name, const std::string& value);
void write_int64(JsonWriter& w, const char* name, int64_t value);
void write_bool(JsonWriter& w, const char* name, bool value);
void write_strings(JsonWriter& w, const char* name, const std::vector<std::string>& values);
// nullopt is written as null.
void write_optional_string(JsonWriter& w, const char* name, const std::optional<std::string>& v);
void write_optional_int64(JsonWriter& w, const char* name, const std::optional<int64_t>& v);

}  // namespace jirasync
