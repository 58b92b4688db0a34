#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/http/http_route.hpp"

namespace prometheus {
class Registry;
}

namespace jirasync {

struct ServiceHttpServerOptions {
  std::string listen = "127.0.0.1:0";           // host:port, [v6]:port; port 0 picks a free one
  std::size_t max_request_bytes = 1024 * 1024;  // larger requests get 413
  // A connection that has not started a request (new, or kept alive after a
  // response) is closed after this.
  int idle_timeout_ms = 30000;
  // Once a request's first byte is in, the whole request (headers and body)
  // must arrive within this; a client trickling its headers is closed.
  int read_timeout_ms = 10000;
  // A response must be taken by the client within this.
  int write_timeout_ms = 10000;
  // Open connections at most; lowered at start() when RLIMIT_NOFILE is small
  // (connection_cap). A full listener closes its longest-idle connection for
  // each new one that waits; when none is idle, new ones wait in the kernel's
  // queue until a connection goes idle or ends.
  std::size_t max_connections = 256;
  // Threads that run route handlers, off the listener's thread: a slow
  // handler holds one of them, never the listener. 1 keeps handlers one at a
  // time (for owners whose handlers are not thread-safe).
  std::size_t handler_threads = 1;
  // Streamed responses (RouteResponse::stream) open at once, each holding one
  // stream thread while it waits for its next piece; one more gets 503.
  std::size_t max_streams = 16;
};

// Every service's small HTTP face: GET /healthz (alive), GET /readyz (the
// owner's readiness callback), GET /metrics (Prometheus text exposition of the
// registry) and routes the owner adds (the scheduler's control API, the
// API). One io_context thread does the I/O, one session object per
// connection, as in Beast's http_server_async example; handlers run on
// `handler_threads` other threads and a streamed response's pieces on stream
// threads, so neither stalls the listener. A stream is sent chunked (HTTP/1.0:
// until the connection closes).
// Metrics: jirasync_http_connections_open{state},
// jirasync_http_connections_closed_total{reason}, jirasync_http_accept_errors_total.
class ServiceHttpServer {
 public:
  ServiceHttpServer(prometheus::Registry& registry, std::function<bool()> ready,
                    ServiceHttpServerOptions options = {});
  ~ServiceHttpServer();  // stops
  ServiceHttpServer(const ServiceHttpServer&) = delete;
  ServiceHttpServer& operator=(const ServiceHttpServer&) = delete;

  // Routes `method` requests whose path equals `path_prefix` or continues it
  // with '/'. The longest matching prefix wins. Add routes before start().
  void add_route(const std::string& method, const std::string& path_prefix, RouteHandler handler);
  // Answers /readyz with `handler` (status and body, e.g. which dependency is
  // not ready) instead of the ready callback. It runs on the listener's
  // thread, so it must not block. Before start().
  void set_readiness(RouteHandler handler);

  // Binds and starts serving; throws std::runtime_error naming the address
  // when it cannot listen, std::invalid_argument when the address is malformed.
  void start();
  // Stops accepting, drops connections and joins the thread. Idempotent.
  void stop();

  // The bound port (the chosen one when listening on port 0); 0 before start().
  std::uint16_t port() const;
  // "host:port" actually bound, for the startup log line.
  std::string bound_address() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jirasync
