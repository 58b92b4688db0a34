#pragma once

#include <string>
#include <string_view>

namespace jirasync {

// Standard base64 with padding (RFC 4648 §4), the form HTTP Basic
// authentication sends: the redactor must recognise it to mask it.
std::string base64_encode(std::string_view bytes);

}  // namespace jirasync
