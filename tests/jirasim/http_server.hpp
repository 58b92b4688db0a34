#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <string>

#include "tests/jirasim/http_types.hpp"

namespace jirasim {

// An asynchronous keep-alive HTTP/1.1 server (Beast): one session object per
// connection; the handler answers each request and the session applies the
// transport faults of the reply (delay, cut mid-body).
class HttpServer {
 public:
  using Handler = std::function<HttpReply(const HttpRequest&, bool from_loopback)>;

  // Binds immediately (port 0 = any free port); throws on failure.
  HttpServer(boost::asio::io_context& ioc, const std::string& host, int port, Handler handler);

  int port() const { return port_; }
  void start();

 private:
  void accept();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handler handler_;
  int port_ = 0;
};

}  // namespace jirasim
