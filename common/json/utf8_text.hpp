#pragma once

#include <cstddef>
#include <string_view>

namespace jirasync {

// Offset of the first byte that makes `text` invalid UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF) or is a NUL byte,
// which JSON never allows raw; std::string_view::npos when the text is clean.
// Checks eight ASCII bytes at a time: JSON from Jira is mostly ASCII, and
// RapidJSON's own per-byte check was a tenth of the fetcher's CPU.
std::size_t find_invalid_utf8(std::string_view text);

}  // namespace jirasync
