#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "common/http/http_message.hpp"
#include "common/http/https_endpoint.hpp"

namespace jirasync {

// The request never produced a complete response: nothing was received, or the
// peer went away part way. The message says which, and never carries headers.
class HttpTransportError : public std::runtime_error {
 public:
  enum class Kind { kResolve, kConnect, kTimeout, kTls, kReset, kBodyTooLarge, kProtocol };
  HttpTransportError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct HttpConnectionOptions {
  int timeout_ms = 30000;  // whole request: connect, handshake, write and read
  std::size_t max_body_bytes = 128 * 1024 * 1024;
  // PEM certificates trusted in addition to the system store (tests, private CAs).
  std::string extra_ca_pem;
};

// One synchronous keep-alive connection to one endpoint: plain TCP (loopback
// only, enforced by HttpsEndpoint) or TLS verified against the system trust
// store with SNI and host-name checks. Not thread-safe: one caller drives it.
class HttpConnection {
 public:
  HttpConnection(HttpsEndpoint endpoint, HttpConnectionOptions options);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends one request and reads its response. The target is appended to the
  // endpoint's path prefix; Host, Content-Length and User-Agent are set here.
  // Throws HttpTransportError. An idle connection the peer has closed is
  // reopened once, transparently.
  HttpResponse send(const HttpRequest& request);

  const HttpsEndpoint& endpoint() const;
  // How many TCP connections were opened so far (keep-alive makes this small).
  int connections_opened() const;
  void close();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jirasync
