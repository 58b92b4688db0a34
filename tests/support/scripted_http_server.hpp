#pragma once

// Test-only: a tiny HTTP/1.1 server on 127.0.0.1:0 whose replies a test
// scripts, including misbehaviour (slow replies, bodies cut short, idle
// connections closed without notice). One io_context thread, one session
// object per connection, as in Beast's http_server_async example.

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/self_signed_identity.hpp"

namespace jirasync::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  int connection = 0;  // 1-based number of the connection it came on
};

struct ScriptedReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::size_t send_body_bytes = std::string::npos;  // < body.size(): cut short, then close
  int delay_ms = 0;                                 // wait before replying
  bool close_after = false;  // close the connection after replying, without announcing it
};

inline ScriptedReply json_reply(int status, std::string body) {
  ScriptedReply reply;
  reply.status = status;
  reply.headers = {{"Content-Type", "application/json;charset=UTF-8"}};
  reply.body = std::move(body);
  return reply;
}

class ScriptedHttpServer {
 public:
  using Script = std::function<ScriptedReply(const RecordedRequest&)>;

  explicit ScriptedHttpServer(Script script, std::optional<TlsIdentity> tls = std::nullopt)
      : script_(std::move(script)), acceptor_(ioc_) {
    namespace net = boost::asio;
    if (tls) {
      tls_.emplace(net::ssl::context::tls_server);
      tls_->use_certificate_chain(net::buffer(tls->certificate_pem));
      tls_->use_private_key(net::buffer(tls->private_key_pem), net::ssl::context::pem);
    }
    const net::ip::tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }

  ~ScriptedHttpServer() {
    ioc_.stop();
    thread_.join();
  }

  unsigned short port() const { return port_; }
  std::string base_url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  int connections() const { return connections_.load(); }
  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  template <class Stream>
  class Session : public std::enable_shared_from_this<Session<Stream>> {
   public:
    template <class... Args>
    Session(ScriptedHttpServer& server, int number, Args&&... args)
        : server_(server),
          number_(number),
          stream_(std::forward<Args>(args)...),
          timer_(stream_.get_executor()) {}

    void start() {
      if constexpr (std::is_same_v<Stream, boost::beast::tcp_stream>) {
        read();
      } else {
        stream_.async_handshake(boost::asio::ssl::stream_base::server,
                                [self = this->shared_from_this()](boost::beast::error_code ec) {
                                  if (!ec) self->read();
                                });
      }
    }

   private:
    void read() {
      request_ = {};
      boost::beast::http::async_read(
          stream_, buffer_, request_,
          [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
            if (!ec) self->respond();
          });
    }

    void respond() {
      RecordedRequest recorded;
      recorded.method = std::string(request_.method_string());
      recorded.target = std::string(request_.target());
      for (const auto& field : request_) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        recorded.headers[name] = std::string(field.value());
      }
      recorded.body = request_.body();
      recorded.connection = number_;
      reply_ = server_.script_(recorded);
      {
        std::lock_guard lock(server_.mutex_);
        server_.requests_.push_back(std::move(recorded));
      }
      timer_.expires_after(std::chrono::milliseconds(reply_.delay_ms));
      timer_.async_wait(
          [self = this->shared_from_this()](boost::beast::error_code) { self->write(); });
    }

    void write() {
      wire_ = "HTTP/1.1 " + std::to_string(reply_.status) + " Scripted\r\n";
      for (const auto& [name, value] : reply_.headers) wire_ += name + ": " + value + "\r\n";
      wire_ += "Content-Length: " + std::to_string(reply_.body.size()) + "\r\n\r\n";
      wire_ += reply_.body.substr(0, reply_.send_body_bytes);
      boost::asio::async_write(
          stream_, boost::asio::buffer(wire_),
          [self = this->shared_from_this()](boost::beast::error_code ec, std::size_t) {
            if (ec) return;
            if (self->reply_.close_after ||
                self->reply_.send_body_bytes < self->reply_.body.size()) {
              boost::beast::get_lowest_layer(self->stream_).close();
              return;
            }
            self->read();
          });
    }

    ScriptedHttpServer& server_;
    int number_;
    Stream stream_;
    boost::asio::steady_timer timer_;
    boost::beast::flat_buffer buffer_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    ScriptedReply reply_;
    std::string wire_;
  };

  void accept() {
    acceptor_.async_accept(
        [this](boost::beast::error_code ec, boost::asio::ip::tcp::socket socket) {
          if (ec) return;
          const int number = ++connections_;
          if (tls_) {
            using Tls = boost::beast::ssl_stream<boost::beast::tcp_stream>;
            std::make_shared<Session<Tls>>(*this, number, std::move(socket), *tls_)->start();
          } else {
            std::make_shared<Session<boost::beast::tcp_stream>>(*this, number, std::move(socket))
                ->start();
          }
          accept();
        });
  }

  Script script_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

}  // namespace jirasync::testing
