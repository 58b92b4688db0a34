#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jirasync {

// One UTF-8 sequence: its length in bytes (0 when the bytes at that offset are
// not UTF-8, overlong forms and surrogates included) and its code point.
struct CodePoint {
  size_t length = 0;
  uint32_t value = 0;
};
CodePoint decode_utf8(std::string_view text, size_t at);

// C0 controls, DEL and C1 controls.
inline bool is_control(uint32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

// Text from Jira or from a user may hold bytes a terminal obeys: ESC starts
// colour, cursor and title sequences, BEL rings, 8-bit C1 controls (U+0080 to
// U+009F) are CSI/OSC on some terminals. Tables and CSV print such text
// through printable(); local text is refused on input by unsafe_text_reason().

// `text` with every control character shown as an escape a person can read:
// C0 and DEL as \xHH, C1 as \u00HH, bytes that are not UTF-8 as \xHH.
// Newlines stay when `multiline`; a tab is shown as \x09 (it breaks columns).
std::string printable(std::string_view text, bool multiline = false);

// Why `text` may not be stored as local text ("" when it may): a control
// character (tab and newline allowed when `multiline`) or bytes that are not
// UTF-8. Names the first offending byte and its offset; never echoes the text.
std::string unsafe_text_reason(std::string_view text, bool multiline);

}  // namespace jirasync
