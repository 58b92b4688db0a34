#include "tests/jirasim/http_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "common/http/connection_cap.hpp"

namespace jirasim {

namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const HttpServer::Handler& handler, const HttpServerLimits& limits,
          std::shared_ptr<std::atomic<std::size_t>> open)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        handler_(handler),
        limits_(limits),
        open_(std::move(open)) {}
  ~Session() { --*open_; }

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  // Waits for a request's first byte (idle timeout), then gives the whole
  // request the read timeout: a client trickling its headers is cut off.
  void read() {
    if (buffer_.size() > 0) return read_request();  // pipelined
    stream_.expires_after(std::chrono::milliseconds(limits_.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_request();
                            });
  }

  void read_request() {
    parser_.emplace();
    parser_->body_limit(16 * 1024 * 1024);
    stream_.expires_after(std::chrono::milliseconds(limits_.read_timeout_ms));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();
    HttpRequest req = parser_->release();
    beast::error_code ep_ec;
    auto remote = stream_.socket().remote_endpoint(ep_ec);
    bool loopback = !ep_ec && remote.address().is_loopback();
    try {
      reply_ = handler_(req, loopback);
    } catch (const std::exception& e) {
      std::cerr << "jirasim: request failed: " << e.what() << "\n";
      reply_ = HttpReply{HttpResponse{http::status::internal_server_error, req.version()}};
      reply_.response.set(http::field::content_type, "application/json;charset=UTF-8");
      reply_.response.body() = "{\"errorMessages\":[\"Internal server error\"],\"errors\":{}}";
      reply_.response.prepare_payload();
    }
    if (reply_.delay_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(reply_.delay_ms));
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    } else {
      write();
    }
  }

  void write() {
    stream_.expires_after(std::chrono::milliseconds(limits_.write_timeout_ms));
    if (reply_.cut_mid_body) {
      // Headers promise the full Content-Length; the body stops halfway.
      std::ostringstream os;
      os << reply_.response.base();
      cut_ = os.str() + reply_.response.body().substr(0, reply_.response.body().size() / 2);
      net::async_write(
          stream_.socket(), net::buffer(cut_),
          [self = shared_from_this()](beast::error_code, std::size_t) { self->close(); });
      return;
    }
    http::async_write(stream_, reply_.response,
                      beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return close();
    if (!reply_.response.keep_alive()) return close();
    read();
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpServer::Handler& handler_;
  const HttpServerLimits& limits_;
  std::shared_ptr<std::atomic<std::size_t>> open_;
  HttpReply reply_;
  std::string cut_;
};

}  // namespace

HttpServer::HttpServer(net::io_context& ioc, const std::string& host, int port, Handler handler,
                       HttpServerLimits limits)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_(acceptor_.get_executor()),
      handler_(std::move(handler)),
      limits_(limits),
      cap_(jirasync::connection_cap(limits.max_connections)) {
  tcp::endpoint endpoint{net::ip::make_address(host), static_cast<unsigned short>(port)};
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(net::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(net::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

void HttpServer::start() {
  accept();
}

void HttpServer::accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpServer::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;
  if (!ec) {
    if (const int failures = backoff_.succeeded(); failures > 0) {
      std::cerr << "jirasim: accepting again after " << failures << " failed attempts\n";
    }
    if (open_->load() >= cap_) {
      beast::error_code ignored;
      socket.close(ignored);  // over the cap: refused at once
    } else {
      ++*open_;
      socket.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), handler_, limits_, open_)->run();
    }
    return accept();
  }
  if (jirasync::AcceptBackoff::affects_one_connection(ec)) return accept();
  // EMFILE and the like leave the connection queued: accepting again at once would spin.
  const auto wait = backoff_.failed();
  if (backoff_.burst_started()) {
    std::cerr << "jirasim: cannot accept: " << ec.message() << "; retrying with backoff\n";
  }
  retry_.expires_after(wait);
  retry_.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec != net::error::operation_aborted) accept();
  });
}

}  // namespace jirasim
