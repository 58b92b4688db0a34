#pragma once

#include <string>

namespace jirasync {

// Where a client connects, parsed from a base URL such as
// https://example.atlassian.net or http://127.0.0.1:8080/jira. Plain http is
// accepted only for loopback hosts: credentials never cross a network in clear.
struct HttpsEndpoint {
  bool tls = true;
  std::string host;         // without brackets for IPv6 literals
  std::string port;         // always set: "443"/"80" by default
  std::string path_prefix;  // "" or "/prefix" (no trailing slash)

  // Throws std::invalid_argument naming the URL and what is wrong with it.
  static HttpsEndpoint parse(const std::string& base_url);

  // "host:port" (IPv6 in brackets), for messages and the Host header.
  std::string authority() const;
  // The value of the Host header: the port is omitted when it is the default.
  std::string host_header() const;
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

}  // namespace jirasync
