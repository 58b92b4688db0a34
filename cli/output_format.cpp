#include "cli/output_format.hpp"

#include "cli/terminal_text.hpp"

namespace jirasync {
namespace {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t at = 0; at < text.size();) {
    const CodePoint c = decode_utf8(text, at);
    if (c.length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no UTF-8 sequence
      ++at;
      continue;
    }
    if (c.value == '"' || c.value == '\\') {
      out += '\\';
      out += static_cast<char>(c.value);
    } else if (c.value == '\n') {
      out += "\\n";
    } else if (c.value == '\t') {
      out += "\\t";
    } else if (is_control(c.value)) {
      out += "\\u00";
      out += kHex[(c.value >> 4) & 0xF];
      out += kHex[c.value & 0xF];
    } else {
      out.append(text.substr(at, c.length));
    }
    at += c.length;
  }
  out += '"';
}

}  // namespace

void JsonOut::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonOut& JsonOut::begin_object() {
  separate();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

JsonOut& JsonOut::begin_array() {
  separate();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonOut& JsonOut::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

JsonOut& JsonOut::key(std::string_view name) {
  separate();
  append_json_string(out_, name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonOut& JsonOut::text(std::string_view value) {
  separate();
  append_json_string(out_, value);
  return *this;
}

JsonOut& JsonOut::number(int64_t value) {
  separate();
  out_ += std::to_string(value);
  return *this;
}

JsonOut& JsonOut::flag(bool value) {
  separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonOut& JsonOut::null() {
  separate();
  out_ += "null";
  return *this;
}

std::string csv_row(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const std::string value = printable(values[i], /*multiline=*/true);
    if (value.find_first_of(",\"\n") == std::string::npos) {
      out += value;
      continue;
    }
    out += '"';
    for (char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += '\n';
  return out;
}

}  // namespace jirasync
