#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/http/accept_backoff.hpp"

#include "tests/jirasim/http_types.hpp"

namespace jirasim {

// What one connection may take. Cheap protection for a test tool: beyond the
// cap a new connection is closed at once (the product's ServiceHttpServer instead
// closes its oldest idle one).
struct HttpServerLimits {
  std::size_t max_connections = 1024;  // lowered when RLIMIT_NOFILE is small
  int idle_timeout_ms = 120000;        // waiting for a request
  int read_timeout_ms = 30000;         // a whole request, from its first byte
  int write_timeout_ms = 60000;        // a whole response
};

// An asynchronous keep-alive HTTP/1.1 server (Beast): one session object per
// connection; the handler answers each request and the session applies the
// transport faults of the reply (delay, cut mid-body). A failed accept
// (EMFILE) is retried after a growing pause instead of at once.
class HttpServer {
 public:
  using Handler = std::function<HttpReply(const HttpRequest&, bool from_loopback)>;

  // Binds immediately (port 0 = any free port); throws on failure.
  HttpServer(boost::asio::io_context& ioc, const std::string& host, int port, Handler handler,
             HttpServerLimits limits = {});

  int port() const { return port_; }
  void start();

 private:
  void accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // on the acceptor's strand
  Handler handler_;
  HttpServerLimits limits_;
  std::size_t cap_;
  std::shared_ptr<std::atomic<std::size_t>> open_ = std::make_shared<std::atomic<std::size_t>>(0);
  jirasync::AcceptBackoff backoff_;
  int port_ = 0;
};

}  // namespace jirasim
