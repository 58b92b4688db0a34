#include "common/url/database_url.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/url/percent_encoding.hpp"

namespace jirasync {

namespace {

[[noreturn]] void bad_url(const std::string& what) {
  throw std::invalid_argument("database_url: " + what);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string decoded_part(std::string_view s, const char* part) {
  auto decoded = jirasync::percent_decode(s);
  if (!decoded) bad_url(std::string("bad percent-encoding in the ") + part);
  return std::move(*decoded);
}

// libpq conninfo value: single-quoted, backslash and quote escaped.
std::string conninfo_value(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

void add_param(std::string& conninfo, const std::string& key, const std::string& value) {
  if (!conninfo.empty()) conninfo += ' ';
  conninfo += key + "=" + conninfo_value(value);
}

DatabaseUrl parse_postgres(const std::string& url, size_t scheme_len) {
  DatabaseUrl out;
  out.backend = Backend::kPostgres;
  std::string_view rest(url);
  rest.remove_prefix(scheme_len);

  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest;
  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }

  std::string user, password;
  bool has_password = false;
  std::string_view hostport = authority;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = decoded_part(userinfo.substr(0, colon), "user name");
      password = decoded_part(userinfo.substr(colon + 1), "password");
      has_password = true;
    } else {
      user = decoded_part(userinfo, "user name");
    }
  }
  out.password = password;

  std::string host, port;
  if (starts_with(hostport, "[")) {  // [ipv6]:port
    auto close = hostport.find(']');
    if (close == std::string_view::npos) bad_url("unclosed '[' in the host");
    host = std::string(hostport.substr(1, close - 1));
    std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') bad_url("unexpected text after the IPv6 host");
      port = std::string(after.substr(1));
    }
  } else if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = decoded_part(hostport.substr(0, colon), "host");
    port = std::string(hostport.substr(colon + 1));
  } else {
    host = decoded_part(hostport, "host");
  }
  if (!port.empty()) {
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) bad_url("port must be a number");
    }
    if (port.size() > 5 || std::stoi(port) == 0 || std::stoi(port) > 65535) {
      bad_url("port must be between 1 and 65535");
    }
  }
  const std::string dbname = decoded_part(path, "database name");
  if (dbname.empty()) bad_url("a PostgreSQL URL needs a database name after the host (/dbname)");
  if (dbname.find('/') != std::string::npos) bad_url("the database name must not contain '/'");

  std::string conninfo;
  if (!host.empty()) add_param(conninfo, "host", host);
  if (!port.empty()) add_param(conninfo, "port", port);
  add_param(conninfo, "dbname", dbname);
  if (!user.empty()) add_param(conninfo, "user", user);
  if (has_password) add_param(conninfo, "password", password);

  std::string redacted_query;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      bad_url("query parameters must look like key=value");
    }
    std::string key = decoded_part(pair.substr(0, eq), "query parameter name");
    for (char c : key) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
        bad_url("query parameter names may hold only letters, digits and '_'");
      }
    }
    std::string value = decoded_part(pair.substr(eq + 1), "query parameter value");
    const bool secret = key == "password";
    if (secret) out.password = value;
    add_param(conninfo, key, value);
    redacted_query += (redacted_query.empty() ? "?" : "&") + key + "=" +
                      (secret ? std::string("***") : std::string(pair.substr(eq + 1)));
  }
  out.connect_string = conninfo;

  out.redacted = url.substr(0, scheme_len);
  if (!user.empty() || has_password) {
    out.redacted += percent_encode(user);
    if (has_password) out.redacted += ":***";
    out.redacted += "@";
  }
  out.redacted += std::string(hostport) + "/" + std::string(path) + redacted_query;
  return out;
}

DatabaseUrl parse_sqlite(const std::string& url) {
  DatabaseUrl out;
  out.backend = Backend::kSqlite;
  std::string path = url.substr(std::string("sqlite:").size());
  if (starts_with(path, "//")) path = path.substr(2);  // sqlite:///abs/path
  if (path.empty()) bad_url("sqlite: needs a file path (sqlite:PATH) or sqlite::memory:");
  out.sqlite_path = path;
  out.redacted = url;
  // SOCI's connect-string parser accepts a double-quoted value; a path holding
  // a double quote itself cannot be expressed.
  if (path.find('"') != std::string::npos) bad_url("the SQLite path must not contain '\"'");
  out.connect_string = "db=\"" + path + "\"";
  return out;
}

}  // namespace

DatabaseUrl parse_database_url(const std::string& url) {
  if (url.empty()) bad_url("is empty");
  if (starts_with(url, "postgresql://"))
    return parse_postgres(url, std::string("postgresql://").size());
  if (starts_with(url, "postgres://"))
    return parse_postgres(url, std::string("postgres://").size());
  if (starts_with(url, "sqlite:")) return parse_sqlite(url);
  bad_url("unsupported scheme (expected postgresql://, postgres:// or sqlite:)");
}

std::optional<UrlUserinfo> url_userinfo(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const size_t begin = scheme_end + 3;
  const size_t end = std::min(url.find_first_of("/?#", begin), url.size());
  const size_t at = url.rfind('@', end == 0 ? 0 : end - 1);
  if (at == std::string::npos || at < begin) return std::nullopt;
  const std::string text = url.substr(begin, at - begin);
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return UrlUserinfo{text, std::nullopt, at};
  return UrlUserinfo{text.substr(0, colon), text.substr(colon + 1), at};
}

std::optional<std::string> database_url_password(const std::string& url) {
  const auto userinfo = url_userinfo(url);
  if (!userinfo || !userinfo->password) return std::nullopt;
  // A malformed escape is still a password: the caller must not miss it.
  return jirasync::percent_decode(*userinfo->password).value_or(*userinfo->password);
}

std::string with_database_password(const std::string& url, const std::string& password) {
  const auto userinfo = url_userinfo(url);
  if (!userinfo) throw std::invalid_argument("database_url: has no user to give a password to");
  return url.substr(0, userinfo->at) + ":" + percent_encode(password) + url.substr(userinfo->at);
}

}  // namespace jirasync
