#include "common/config/database_url.hpp"

#include "common/config/config.hpp"

namespace jirasync {
namespace {

struct Userinfo {
  size_t begin = 0;  // index of the first userinfo character
  size_t at = 0;     // index of the '@'
};

std::optional<Userinfo> find_userinfo(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const size_t begin = scheme_end + 3;
  size_t end = url.find_first_of("/?#", begin);
  if (end == std::string::npos) end = url.size();
  const size_t at = url.rfind('@', end == 0 ? 0 : end - 1);
  if (at == std::string::npos || at < begin) return std::nullopt;
  return Userinfo{begin, at};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string percent_encoded(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> database_url_password(const std::string& url) {
  const auto userinfo = find_userinfo(url);
  if (!userinfo) return std::nullopt;
  const std::string text = url.substr(userinfo->begin, userinfo->at - userinfo->begin);
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return percent_decoded(text.substr(colon + 1));
}

std::string with_database_password(const std::string& url, const std::string& password) {
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    throw ConfigError("JIRASYNC_DATABASE_PASSWORD",
                      "only a postgresql:// database_url takes a password");
  }
  const auto userinfo = find_userinfo(url);
  if (!userinfo || userinfo->at == userinfo->begin) {
    throw ConfigError("database_url",
                      "needs a user name (postgresql://USER@host/db) to go with "
                      "JIRASYNC_DATABASE_PASSWORD");
  }
  if (database_url_has_password(url)) {
    throw ConfigError("database_url",
                      "already contains a password; give it only through "
                      "JIRASYNC_DATABASE_PASSWORD");
  }
  return url.substr(0, userinfo->at) + ":" + percent_encoded(password) + url.substr(userinfo->at);
}

}  // namespace jirasync
