#include "common/http/health_server.hpp"

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

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

class HealthSession : public std::enable_shared_from_this<HealthSession> {
 public:
  HealthSession(tcp::socket&& socket, const Router& router, const HealthServerOptions& options)
      : stream_(std::move(socket)), router_(router), options_(options) {}

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HealthSession::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(options_.max_request_bytes);
    parser_->header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(options_.max_request_bytes, 64 * 1024)));
    stream_.expires_after(std::chrono::milliseconds(options_.idle_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&HealthSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit) {
      reply(RouteResponse::text(413, "request larger than " +
                                         std::to_string(options_.max_request_bytes) + " bytes\n"),
            false, 11);
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
    reply(router_.handle(request), message.keep_alive(), message.version());
  }

  void reply(RouteResponse route_response, bool keep_alive, unsigned version) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(route_response.status));
    response_.set(bhttp::field::server, "jirasync");
    response_.set(bhttp::field::content_type, route_response.content_type);
    for (const auto& [name, value] : route_response.headers) response_.set(name, value);
    response_.body() = std::move(route_response.body);
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(options_.idle_timeout_ms));
    bhttp::async_write(
        stream_, response_,
        beast::bind_front_handler(&HealthSession::on_write, shared_from_this(), !keep_alive));
  }

  void on_write(bool close, beast::error_code ec, std::size_t) {
    if (ec) return;
    if (close) {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      return;
    }
    read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  const Router& router_;
  const HealthServerOptions& options_;
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

class HealthServer::Impl {
 public:
  Impl(prometheus::Registry& registry, std::function<bool()> ready, HealthServerOptions options)
      : options_(std::move(options)) {
    router_.add(
        {"GET", "/healthz", [](const RouteRequest&) { return RouteResponse::text(200, "ok\n"); }});
    router_.add({"GET", "/readyz", [ready = std::move(ready)](const RouteRequest&) {
                   const bool is_ready = !ready || ready();
                   return RouteResponse::text(is_ready ? 200 : 503,
                                              is_ready ? "ready\n" : "not ready\n");
                 }});
    router_.add({"GET", "/metrics", [&registry](const RouteRequest&) {
                   prometheus::TextSerializer serializer;
                   return RouteResponse{200,
                                        "text/plain; version=0.0.4; charset=utf-8",
                                        serializer.Serialize(registry.Collect()),
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

  void start() {
    if (thread_.joinable()) return;
    if (stopped_) throw std::logic_error("HealthServer cannot start again after stop()");
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
    accept();
    thread_ = std::thread([this] { ioc_->run(); });
  }

  void stop() {
    if (!thread_.joinable()) return;
    ioc_->stop();
    thread_.join();
    stopped_ = true;
    // Closing the acceptor and dropping the io_context (with every session in
    // its queue) frees the port and the open connections now, not at destruction.
    acceptor_.reset();
    ioc_.reset();
  }

  std::uint16_t port() const { return port_; }
  const std::string& bound_address() const { return bound_address_; }

 private:
  void accept() {
    acceptor_->async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted) return;
      // Other errors (a client that reset before accept) affect one connection only.
      if (!ec) std::make_shared<HealthSession>(std::move(socket), router_, options_)->run();
      accept();
    });
  }

  HealthServerOptions options_;
  Router router_;
  std::unique_ptr<net::io_context> ioc_ = std::make_unique<net::io_context>(1);
  std::unique_ptr<tcp::acceptor> acceptor_ = std::make_unique<tcp::acceptor>(*ioc_);
  bool stopped_ = false;
  std::thread thread_;
  std::atomic<std::uint16_t> port_{0};
  std::string bound_address_;
};

HealthServer::HealthServer(prometheus::Registry& registry, std::function<bool()> ready,
                           HealthServerOptions options)
    : impl_(std::make_unique<Impl>(registry, std::move(ready), std::move(options))) {}

HealthServer::~HealthServer() = default;

void HealthServer::add_route(const std::string& method, const std::string& path_prefix,
                             RouteHandler handler) {
  impl_->add_route(method, path_prefix, std::move(handler));
}

void HealthServer::start() {
  impl_->start();
}

void HealthServer::stop() {
  impl_->stop();
}

std::uint16_t HealthServer::port() const {
  return impl_->port();
}

std::string HealthServer::bound_address() const {
  return impl_->bound_address();
}

}  // namespace jirasync
