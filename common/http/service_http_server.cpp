#include "common/http/service_http_server.hpp"

#include <prometheus/counter.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/http/accept_backoff.hpp"
#include "common/http/connection_cap.hpp"
#include "common/http/connection_table.hpp"
#include "common/log/logging.hpp"

namespace jirasync {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Route {
  std::string method;
  std::string prefix;
  RouteHandler handler;
};

bool path_matches(const std::string& path, const std::string& prefix) {
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  return path.size() == prefix.size() || prefix.back() == '/' || path[prefix.size()] == '/';
}

// Picks the handler for a request: longest matching prefix among routes of the
// request's method; 405 when only other methods match the path; 404 otherwise.
class Router {
 public:
  void add(Route route) { routes_.push_back(std::move(route)); }

  RouteResponse handle(const RouteRequest& request) const {
    const Route* best = nullptr;
    std::vector<std::string> allowed;
    for (const auto& route : routes_) {
      if (!path_matches(request.path, route.prefix)) continue;
      if (route.method != request.method) {
        allowed.push_back(route.method);
        continue;
      }
      if (!best || route.prefix.size() > best->prefix.size()) best = &route;
    }
    if (best) {
      try {
        return best->handler(request);
      } catch (const std::exception& e) {
        return RouteResponse::text(500, std::string("internal error: ") + e.what() + "\n");
      }
    }
    if (!allowed.empty()) {
      std::sort(allowed.begin(), allowed.end());
      allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
      std::string allow;
      for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
      auto response = RouteResponse::text(
          405, "method " + request.method + " not allowed on " + request.path + "\n");
      response.headers["Allow"] = allow;
      return response;
    }
    return RouteResponse::text(404, "no such path: " + request.path + "\n");
  }

 private:
  std::vector<Route> routes_;
};

// What every session of one listener shares; owned by ServiceHttpServer::Impl,
// which outlives its sessions.
struct Listener {
  const Router& router;
  const ServiceHttpServerOptions& options;
  ConnectionTable& connections;
  prometheus::Counter& closed_idle;
  prometheus::Counter& closed_reading;
  prometheus::Counter& closed_writing;
  std::function<void()> room_changed;  // a connection went idle or closed
  // Set at start(), before the first session.
  net::thread_pool* handlers = nullptr;
  net::thread_pool* streams = nullptr;
  std::atomic<std::size_t> open_streams{0};
};

// "1a\r\n<26 bytes>\r\n": one piece of a chunked body.
std::string chunk(const std::string& piece) {
  char size[20];
  std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
  return size + piece + "\r\n";
}

// One connection: wait for a request (idle timeout), read it whole (read
// timeout from its first byte, so a client trickling headers is cut off),
// answer (write timeout), and again while the client keeps it alive.
class HealthSession : public std::enable_shared_from_this<HealthSession> {
 public:
  HealthSession(tcp::socket&& socket, Listener& listener)
      : stream_(std::move(socket)), listener_(listener) {}

  ~HealthSession() {
    release_stream();
    if (registered_) listener_.connections.remove(handle_);
    listener_.room_changed();
  }

  void run() {
    handle_ = listener_.connections.add([this] { close_for_room(); });
    registered_ = true;
    wait_for_request();
  }

 private:
  static constexpr std::size_t kFirstRead = 4096;
  static constexpr std::size_t kDrainRead = 64 * 1024;
  static constexpr int kLingerMs = 2000;

  void set_state(ConnectionTable::State state) {
    if (registered_) listener_.connections.set_state(handle_, state);
  }

  void wait_for_request() {
    set_state(ConnectionTable::State::kIdle);
    listener_.room_changed();
    if (buffer_.size() > 0) return read_request();  // pipelined
    stream_.expires_after(std::chrono::milliseconds(listener_.options.idle_timeout_ms));
    stream_.async_read_some(
        buffer_.prepare(kFirstRead),
        beast::bind_front_handler(&HealthSession::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t bytes) {
    if (ec == beast::error::timeout) listener_.closed_idle.Increment();
    if (ec) return;  // the session ends and closes the socket
    buffer_.commit(bytes);
    read_request();
  }

  void read_request() {
    set_state(ConnectionTable::State::kReading);
    const auto& options = listener_.options;
    parser_.emplace();
    parser_->body_limit(options.max_request_bytes);
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options.max_request_bytes, 64 * 1024)));
    stream_.expires_after(std::chrono::milliseconds(options.read_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&HealthSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      reply(RouteResponse::text(413, "request larger than " +
                                         std::to_string(listener_.options.max_request_bytes) +
                                         " bytes\n"),
            false, 11);
      return;
    }
    if (ec == beast::error::timeout) listener_.closed_reading.Increment();
    // Bytes that are not HTTP get a 400 and the connection closes.
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      reply(RouteResponse::text(400, "malformed HTTP request: " + ec.message() + "\n"), false, 11);
      return;
    }
    if (ec) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    const auto& message = parser_->get();
    RouteRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      request.headers[name] = std::string(field.value());
    }
    request.body = message.body();
    const bool keep_alive = message.keep_alive();
    const unsigned version = message.version();
    // The handler runs on a handler thread; its response comes back to the
    // listener's thread, which alone touches the socket. The session moves
    // along with the work, so it always ends on the listener's thread.
    auto executor = stream_.get_executor();
    net::post(*listener_.handlers, [self = shared_from_this(), executor,
                                    request = std::move(request), keep_alive, version]() mutable {
      RouteResponse response = self->listener_.router.handle(request);
      net::post(executor,
                [self = std::move(self), response = std::move(response), keep_alive,
                 version]() mutable { self->reply(std::move(response), keep_alive, version); });
    });
  }

  void reply(RouteResponse route_response, bool keep_alive, unsigned version) {
    set_state(ConnectionTable::State::kWriting);
    if (route_response.stream) {
      if (listener_.open_streams.fetch_add(1) < listener_.options.max_streams) {
        holds_stream_ = true;
        return start_stream(std::move(route_response), keep_alive, version);
      }
      listener_.open_streams.fetch_sub(1);
      route_response = RouteResponse::text(503, "too many open streams (" +
                                                    std::to_string(listener_.options.max_streams) +
                                                    "); try again later\n");
      route_response.headers["Retry-After"] = "5";
    }
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(route_response.status));
    response_.set(bhttp::field::server, "jirasync");
    response_.set(bhttp::field::content_type, route_response.content_type);
    for (const auto& [name, value] : route_response.headers) response_.set(name, value);
    response_.body() = std::move(route_response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(listener_.options.write_timeout_ms));
    bhttp::async_write(
        stream_, response_,
        beast::bind_front_handler(&HealthSession::on_write, shared_from_this(), !keep_alive));
  }

  void on_write(bool close, beast::error_code ec, std::size_t) {
    if (ec == beast::error::timeout) listener_.closed_writing.Increment();
    if (ec) return;
    if (close) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      if (!ec) drain_before_close();
      return;
    }
    wait_for_request();
  }

  // What the client still sends after our last response (the rest of a body
  // over the limit, say) is read and dropped until it stops or kLingerMs
  // pass: closing with unread bytes makes the kernel reset the connection,
  // and the client can lose the response it has not read yet (a 413 while
  // it is still uploading).
  void drain_before_close() {
    stream_.expires_after(std::chrono::milliseconds(kLingerMs));
    read_and_drop();
  }
  void read_and_drop() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kDrainRead), [self = shared_from_this()](
                                                             beast::error_code ec, std::size_t) {
      if (!ec) self->read_and_drop();  // end of stream, the deadline or an error: close
    });
  }

  // A streamed response: the header and `body` now, then each piece the
  // stream gives (produced on a stream thread), chunked on HTTP/1.1; on
  // HTTP/1.0 the body ends when the connection closes.
  void start_stream(RouteResponse route_response, bool keep_alive, unsigned version) {
    chunked_ = version >= 11;
    keep_alive_ = keep_alive && chunked_;
    stream_fn_ = std::move(route_response.stream);
    std::string head =
        std::string("HTTP/1.") + (version >= 11 ? "1 " : "0 ") +
        std::to_string(route_response.status) + " " +
        std::string(bhttp::obsolete_reason(static_cast<bhttp::status>(route_response.status))) +
        "\r\nServer: jirasync\r\nContent-Type: " + route_response.content_type + "\r\n";
    for (const auto& [name, value] : route_response.headers) head += name + ": " + value + "\r\n";
    head += chunked_ ? "Transfer-Encoding: chunked\r\n" : "";
    head += keep_alive_ ? "" : "Connection: close\r\n";
    head += "\r\n";
    if (!route_response.body.empty()) {
      head += chunked_ ? chunk(route_response.body) : route_response.body;
    }
    write_piece(std::move(head), true);
  }

  void write_piece(std::string bytes, bool more) {
    piece_ = std::move(bytes);
    stream_.expires_after(std::chrono::milliseconds(listener_.options.write_timeout_ms));
    net::async_write(stream_, net::buffer(piece_),
                     [self = shared_from_this(), more](beast::error_code ec, std::size_t) {
                       self->on_piece_written(ec, more);
                     });
  }

  void on_piece_written(beast::error_code ec, bool more) {
    if (ec == beast::error::timeout) listener_.closed_writing.Increment();
    if (ec) return;
    if (more) return next_piece();
    release_stream();
    if (!keep_alive_) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    wait_for_request();
  }

  // Asks the stream for its next piece on a stream thread.
  void next_piece() {
    auto executor = stream_.get_executor();
    net::post(*listener_.streams, [self = shared_from_this(), executor]() mutable {
      std::string piece;
      bool more = false;
      try {
        more = self->stream_fn_(piece);
      } catch (const std::exception& e) {
        spdlog::warn("HTTP stream ended by an error: {}", e.what());
        more = false;
      }
      net::post(executor, [self = std::move(self), piece = std::move(piece), more]() mutable {
        self->on_piece(std::move(piece), more);
      });
    });
  }

  void on_piece(std::string piece, bool more) {
    std::string bytes = piece.empty() ? std::string() : (chunked_ ? chunk(piece) : piece);
    if (!more) {
      stream_fn_ = nullptr;
      if (chunked_) bytes += "0\r\n\r\n";
    }
    if (bytes.empty()) {
      if (more) return next_piece();
      return on_piece_written({}, false);
    }
    write_piece(std::move(bytes), more);
  }

  void release_stream() {
    if (holds_stream_) listener_.open_streams.fetch_sub(1);
    holds_stream_ = false;
  }

  // The table picked this idle connection to make room: its entry is gone; the
  // pending read ends with operation_aborted and the session with it.
  void close_for_room() {
    registered_ = false;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  Listener& listener_;
  ConnectionTable::Handle handle_;
  bool registered_ = false;
  // A streamed response in progress.
  std::function<bool(std::string&)> stream_fn_;
  std::string piece_;
  bool chunked_ = false;
  bool keep_alive_ = false;
  bool holds_stream_ = false;
};

tcp::endpoint parse_listen_address(const std::string& listen) {
  auto reject = [&](const std::string& reason) -> tcp::endpoint {
    throw std::invalid_argument("listen address '" + listen + "': " + reason);
  };
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return reject("expected host:port");
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const bool digits =
      !port.empty() && port.size() <= 5 &&
      std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (!digits || std::stoi(port) > 65535) return reject("port must be a number in 0..65535");
  if (host.empty()) return reject("missing host (use 0.0.0.0 to listen on every interface)");
  boost::system::error_code ec;
  auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec) return reject("host must be an IP address or localhost");
  return {address, static_cast<unsigned short>(std::stoi(port))};
}

}  // namespace

class ServiceHttpServer::Impl {
 public:
  Impl(prometheus::Registry& registry, std::function<bool()> ready,
       ServiceHttpServerOptions options)
      : options_(std::move(options)),
        connections_(registry),
        closed_(prometheus::BuildCounter()
                    .Name("jirasync_http_connections_closed_total")
                    .Help("HTTP listener connections closed by the server: pressure (the "
                          "oldest idle one, to make room), idle_timeout, read_timeout, "
                          "write_timeout")
                    .Register(registry)),
        accept_errors_(prometheus::BuildCounter()
                           .Name("jirasync_http_accept_errors_total")
                           .Help("Failed accepts of the HTTP listener (EMFILE and the like), "
                                 "each followed by a backoff")
                           .Register(registry)
                           .Add({})),
        closed_for_room_(closed_.Add({{"reason", "pressure"}})),
        listener_{router_,
                  options_,
                  connections_,
                  closed_.Add({{"reason", "idle_timeout"}}),
                  closed_.Add({{"reason", "read_timeout"}}),
                  closed_.Add({{"reason", "write_timeout"}}),
                  [this] { arm(); }} {
    router_.add(
        {"GET", "/healthz", [](const RouteRequest&) { return RouteResponse::text(200, "ok\n"); }});
    readyz_ = [ready = std::move(ready)](const RouteRequest&) {
      const bool is_ready = !ready || ready();
      return RouteResponse::text(is_ready ? 200 : 503, is_ready ? "ready\n" : "not ready\n");
    };
    router_.add({"GET", "/readyz", [this](const RouteRequest& r) { return readyz_(r); }});
    router_.add({"GET", "/metrics", [this, &registry](const RouteRequest&) {
                   for (const auto& hook : before_scrape_) hook();
                   prometheus::TextSerializer serializer;
                   return RouteResponse{200,
                                        "text/plain; version=0.0.4; charset=utf-8",
                                        serializer.Serialize(registry.Collect()),
                                        {},
                                        {}};
                 }});
  }

  ~Impl() { stop(); }

  void add_route(const std::string& method, const std::string& path_prefix, RouteHandler handler) {
    if (thread_.joinable()) throw std::logic_error("add_route after start: " + path_prefix);
    if (path_prefix.empty() || path_prefix.front() != '/') {
      throw std::invalid_argument("route path '" + path_prefix + "' must start with '/'");
    }
    router_.add({method, path_prefix, std::move(handler)});
  }

  void set_readiness(RouteHandler handler) {
    if (thread_.joinable()) throw std::logic_error("set_readiness after start");
    readyz_ = std::move(handler);
  }

  void before_scrape(std::function<void()> hook) {
    if (thread_.joinable()) throw std::logic_error("before_scrape after start");
    before_scrape_.push_back(std::move(hook));
  }

  void start() {
    if (thread_.joinable()) return;
    if (stopped_) throw std::logic_error("ServiceHttpServer cannot start again after stop()");
    const auto endpoint = parse_listen_address(options_.listen);
    boost::system::error_code ec;
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      acceptor_->close();
      throw std::runtime_error("cannot listen on " + options_.listen + ": " + ec.message());
    }
    const auto bound = acceptor_->local_endpoint();
    port_ = bound.port();
    bound_address_ = (bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                              : bound.address().to_string()) +
                     ":" + std::to_string(port_);
    cap_ = connection_cap(options_.max_connections);
    log_ = get_logger("http");
    if (cap_ < options_.max_connections) {
      log_->info(
          "HTTP listener {} holds at most {} connections (max_connections {} lowered to "
          "keep file descriptors free under ulimit -n)",
          bound_address_, cap_, options_.max_connections);
    }
    handlers_ =
        std::make_unique<net::thread_pool>(std::max<std::size_t>(1, options_.handler_threads));
    streams_ = std::make_unique<net::thread_pool>(std::max<std::size_t>(1, options_.max_streams));
    listener_.handlers = handlers_.get();
    listener_.streams = streams_.get();
    arm();
    thread_ = std::thread([this] { ioc_->run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    ioc_->stop();
    thread_.join();
    // Handlers and stream pieces under way finish (their replies are queued
    // on the stopped io_context and dropped with it); queued ones never run.
    handlers_->stop();
    streams_->stop();
    handlers_->join();
    streams_->join();
    handlers_.reset();
    streams_.reset();
    stopped_ = true;
    // Closing the acceptor and dropping the io_context (with every session in
    // its queue) frees the port and the open connections now, not at destruction.
    acceptor_.reset();
    retry_.reset();
    ioc_.reset();
  }

  std::uint16_t port() const { return port_; }
  const std::string& bound_address() const { return bound_address_; }

 private:
  // Keeps one accept pending while there is room. A full listener waits for a
  // new connection to be pending and then closes its oldest idle connection
  // for it: idle clients cannot lock out a probe. When every connection is
  // mid-request, new ones wait in the kernel's queue until one goes idle or
  // ends (both call arm()). Runs on the io_context thread (or before it starts).
  void arm() {
    if (!acceptor_ || armed_ || backing_off_) return;
    if (connections_.size() < cap_) {
      armed_ = true;
      acceptor_->async_accept(
          [this](beast::error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
    } else if (connections_.has_idle()) {
      armed_ = true;
      acceptor_->async_wait(tcp::acceptor::wait_read, [this](beast::error_code ec) {
        armed_ = false;
        if (ec == net::error::operation_aborted) return;
        if (!ec && connections_.size() >= cap_ && connections_.close_oldest_idle()) {
          closed_for_room_.Increment();
        }
        arm();
      });
    }
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    armed_ = false;
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      if (const int failures = backoff_.succeeded(); failures > 0) {
        log_->info("HTTP listener {} accepts again after {} failed attempts", bound_address_,
                   failures);
      }
      std::make_shared<HealthSession>(std::move(socket), listener_)->run();
      return arm();
    }
    if (AcceptBackoff::affects_one_connection(ec)) return arm();
    // Out of descriptors or buffers: the connection stays queued and the socket
    // readable, so accepting again at once would spin. Close the oldest idle
    // connection (its descriptor is then free) and try again after a pause.
    accept_errors_.Increment();
    const auto wait = backoff_.failed();
    if (backoff_.burst_started()) {
      log_->warn(
          "HTTP listener {} cannot accept: {}; closing idle connections and retrying "
          "with backoff",
          bound_address_, ec.message());
    }
    if (connections_.close_oldest_idle()) closed_for_room_.Increment();
    backing_off_ = true;
    retry_->expires_after(wait);
    retry_->async_wait([this](beast::error_code wait_ec) {
      backing_off_ = false;
      if (wait_ec != net::error::operation_aborted) arm();
    });
  }

  ServiceHttpServerOptions options_;
  Router router_;
  // Declared before the io_context: sessions it destroys still reach these.
  ConnectionTable connections_;
  prometheus::Family<prometheus::Counter>& closed_;
  prometheus::Counter& accept_errors_;
  prometheus::Counter& closed_for_room_;
  Listener listener_;
  std::unique_ptr<net::io_context> ioc_ = std::make_unique<net::io_context>(1);
  std::unique_ptr<net::thread_pool> handlers_;
  std::unique_ptr<net::thread_pool> streams_;
  std::unique_ptr<tcp::acceptor> acceptor_ = std::make_unique<tcp::acceptor>(*ioc_);
  std::unique_ptr<net::steady_timer> retry_ = std::make_unique<net::steady_timer>(*ioc_);
  std::size_t cap_ = 0;
  bool armed_ = false;
  bool backing_off_ = false;
  AcceptBackoff backoff_;
  std::shared_ptr<spdlog::logger> log_;
  bool stopped_ = false;
  std::thread thread_;
  RouteHandler readyz_;  // set before start(), read on the listener's thread
  std::vector<std::function<void()>> before_scrape_;  // set before start()
  std::atomic<std::uint16_t> port_{0};
  std::string bound_address_;
};

ServiceHttpServer::ServiceHttpServer(prometheus::Registry& registry, std::function<bool()> ready,
                                     ServiceHttpServerOptions options)
    : impl_(std::make_unique<Impl>(registry, std::move(ready), std::move(options))) {}

ServiceHttpServer::~ServiceHttpServer() = default;

void ServiceHttpServer::set_readiness(RouteHandler handler) {
  impl_->set_readiness(std::move(handler));
}

void ServiceHttpServer::before_scrape(std::function<void()> hook) {
  impl_->before_scrape(std::move(hook));
}

void ServiceHttpServer::add_route(const std::string& method, const std::string& path_prefix,
                                  RouteHandler handler) {
  impl_->add_route(method, path_prefix, std::move(handler));
}

void ServiceHttpServer::start() {
  impl_->start();
}

void ServiceHttpServer::stop() {
  impl_->stop();
}

std::uint16_t ServiceHttpServer::port() const {
  return impl_->port();
}

std::string ServiceHttpServer::bound_address() const {
  return impl_->bound_address();
}

}  // namespace jirasync
