#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace jirasync {

// Offset of the first byte that makes `text` invalid UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF) or is a NUL byte,
// which JSON never allows raw; std::string_view::npos when the text is clean.
// Checks eight ASCII bytes at a time: JSON from Jira is mostly ASCII, and
// RapidJSON's own per-byte check was a tenth of the fetcher's CPU.
std::size_t find_invalid_utf8(std::string_view text);

// True when `text` (otherwise valid UTF-8) holds a UTF-16 surrogate encoded
// as three bytes (ED A0..BF xx): what a JSON parser makes of a lone "\uDC00"
// escape. Looks for the ED byte first, so clean text costs one memchr.
bool has_encoded_surrogate(std::string_view text);

// `text` with each encoded surrogate replaced by U+FFFD (the same length:
// both are three bytes), as a UTF-8 decoder treats any ill-formed sequence.
std::string replace_encoded_surrogates(std::string_view text);

}  // namespace jirasync
