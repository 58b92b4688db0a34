#include "cli/terminal_text.hpp"

namespace jirasync {
namespace {

std::string hex_escape(const char* prefix, uint32_t value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = prefix;
  if (prefix[1] == 'u') out += "00";
  out += kHex[(value >> 4) & 0xF];
  out += kHex[value & 0xF];
  return out;
}

}  // namespace

CodePoint decode_utf8(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return {1, lead};
  size_t length = 0;
  uint32_t value = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    minimum = 0x10000;
  } else {
    return {};
  }
  if (at + length > text.size()) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return {};
    value = (value << 6) | (byte(at + i) & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {length, value};
}

std::string printable(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    const CodePoint c = decode_utf8(text, at);
    if (c.length == 0) {
      out += hex_escape("\\x", static_cast<unsigned char>(text[at]));
      ++at;
      continue;
    }
    if (is_control(c.value) && !(multiline && c.value == '\n')) {
      out += hex_escape(c.value < 0x80 ? "\\x" : "\\u", c.value);
    } else {
      out.append(text.substr(at, c.length));
    }
    at += c.length;
  }
  return out;
}

std::string unsafe_text_reason(std::string_view text, bool multiline) {
  for (size_t at = 0; at < text.size();) {
    const CodePoint c = decode_utf8(text, at);
    if (c.length == 0) return "is not UTF-8 (byte " + std::to_string(at) + ")";
    const bool allowed = multiline && (c.value == '\n' || c.value == '\t');
    if (is_control(c.value) && !allowed) {
      return "holds a control character (" + hex_escape(c.value < 0x80 ? "\\x" : "\\u", c.value) +
             " at byte " + std::to_string(at) + "); terminal escapes are refused" +
             (multiline ? "" : ", and this field is one line");
    }
    at += c.length;
  }
  return "";
}

}  // namespace jirasync
