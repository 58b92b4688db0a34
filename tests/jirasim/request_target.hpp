#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jirasim {

// The path and decoded query parameters of an HTTP request target. A parameter
// may repeat (`fields=a&fields=b`), so values are kept as lists.
struct RequestTarget {
  std::string path;
  std::map<std::string, std::vector<std::string>> params;

  static RequestTarget parse(std::string_view target);

  std::optional<std::string> first(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
};

std::string url_decode(std::string_view text);
std::string url_encode(std::string_view text);

}  // namespace jirasim
