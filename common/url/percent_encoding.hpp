#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jirasync {

// RFC 3986 percent-encoding of everything but the unreserved characters, as a
// password or user name is written inside a URL.
std::string percent_encode(std::string_view text);

// The decoded text, or nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace jirasync
