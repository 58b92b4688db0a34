#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// How a read command prints: aligned columns for people, JSON, JSON lines (one
// object a line) or CSV for tools.
enum class OutputFormat { kTable, kJson, kCsv, kJsonl };

// Builds one compact JSON document. Strings are escaped as RFC 8259 asks and
// DEL and the C1 controls too, so JSON printed on a terminal stays inert;
// bytes that are not UTF-8 become U+FFFD.
class JsonOut {
 public:
  JsonOut& begin_object();
  JsonOut& end_object();
  JsonOut& begin_array();
  JsonOut& end_array();
  JsonOut& key(std::string_view name);
  JsonOut& text(std::string_view value);
  JsonOut& number(int64_t value);
  JsonOut& flag(bool value);
  JsonOut& null();
  // A member: key, then value.
  JsonOut& text(std::string_view name, std::string_view value) { return key(name).text(value); }
  JsonOut& number(std::string_view name, int64_t value) { return key(name).number(value); }
  JsonOut& flag(std::string_view name, bool value) { return key(name).flag(value); }
  const std::string& str() const { return out_; }

 private:
  void separate();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// One RFC 4180 record ending in "\n": values quoted when they hold a comma,
// quote or newline, and passed through printable() (newlines kept).
std::string csv_row(const std::vector<std::string>& values);

}  // namespace jirasync
