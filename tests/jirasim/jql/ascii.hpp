#pragma once

#include <string_view>

namespace jirasim::jql {

// ASCII case folding without the locale look-up of std::tolower: these run
// once per character per issue in a scan. Bytes >= 0x80 compare as they are.
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

inline bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Case-insensitive equality of `value` with an already lower-case string.
inline bool equals_lower(std::string_view value, std::string_view lower) {
  if (value.size() != lower.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    if (ascii_lower(value[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace jirasim::jql
