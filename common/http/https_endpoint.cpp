#include "common/http/https_endpoint.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>
#include <stdexcept>

namespace jirasync {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

[[noreturn]] void reject(const std::string& url, const std::string& reason) {
  throw std::invalid_argument("base URL '" + url + "': " + reason);
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (lower(host) == "localhost") return true;
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

HttpsEndpoint HttpsEndpoint::parse(const std::string& base_url) {
  HttpsEndpoint endpoint;
  const auto scheme_end = base_url.find("://");
  if (scheme_end == std::string::npos) reject(base_url, "expected https://host[:port][/prefix]");
  const std::string scheme = lower(base_url.substr(0, scheme_end));
  if (scheme == "https") {
    endpoint.tls = true;
  } else if (scheme == "http") {
    endpoint.tls = false;
  } else {
    reject(base_url, "scheme must be https (or http to a loopback host), not '" + scheme + "'");
  }

  std::string rest = base_url.substr(scheme_end + 3);
  const auto path_start = rest.find('/');
  std::string authority = rest.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : rest.substr(path_start);
  if (path.find_first_of("?#") != std::string::npos) {
    reject(base_url, "must not contain a query or fragment");
  }
  while (!path.empty() && path.back() == '/') path.pop_back();
  endpoint.path_prefix = path;

  if (authority.find('@') != std::string::npos) {
    // Credentials in the URL would end up in logs; they belong in the environment.
    reject(base_url, "must not contain user info (credentials come from the environment)");
  }
  std::string port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) reject(base_url, "unterminated IPv6 literal");
    endpoint.host = authority.substr(1, close - 1);
    const std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') reject(base_url, "unexpected text after IPv6 literal");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string::npos && authority.find(':', colon + 1) != std::string::npos) {
      reject(base_url, "an IPv6 address must be written in brackets, e.g. https://[::1]:8443");
    }
    endpoint.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (endpoint.host.empty()) reject(base_url, "missing host");
  if (authority.find(':') != std::string::npos && port.empty()) reject(base_url, "empty port");
  if (!port.empty()) {
    const bool digits =
        std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
    if (!digits || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535) {
      reject(base_url, "port '" + port + "' is not a number in 1..65535");
    }
    endpoint.port = port;
  } else {
    endpoint.port = endpoint.tls ? "443" : "80";
  }
  if (!endpoint.tls && !is_loopback_host(endpoint.host)) {
    reject(base_url,
           "plain http is allowed only to a loopback host (127.0.0.0/8, ::1, "
           "localhost); use https for '" +
               endpoint.host + "'");
  }
  return endpoint;
}

std::string HttpsEndpoint::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

std::string HttpsEndpoint::host_header() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  const std::string name = ipv6 ? "[" + host + "]" : host;
  const bool default_port = (tls && port == "443") || (!tls && port == "80");
  return default_port ? name : name + ":" + port;
}

}  // namespace jirasync
