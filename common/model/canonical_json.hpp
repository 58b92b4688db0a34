#pragma once

#include <string>

#include <rapidjson/document.h>

namespace jirasync {

// Compact JSON with object keys sorted by code point (byte order of UTF-8)
// and numbers and string escapes exactly as RapidJSON's Writer renders them,
// so key order and whitespace in a payload never look like a change. Members
// with a duplicated key are ordered by their canonical value, so even those
// do not depend on source order.
std::string canonical_json(const rapidjson::Value& value);

}  // namespace jirasync
