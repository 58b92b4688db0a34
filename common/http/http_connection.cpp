#include "common/http/http_connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <chrono>

namespace jirasync {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using Kind = HttpTransportError::Kind;

constexpr const char* kUserAgent = "jirasync/0.1";
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  net::ip::make_address(host, ec);
  return !ec;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The peer closed the connection before sending any byte of a response: on a
// reused keep-alive connection this means it timed out the idle connection.
bool is_closed_before_response(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

}  // namespace

constexpr std::size_t kReadBufferBytes = 64 * 1024;

class HttpConnection::Impl {
 public:
  Impl(HttpsEndpoint endpoint, HttpConnectionOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {
    // Beast reads at most what the buffer has room for (up to 64 KiB): a
    // small buffer turns one 500 KiB search page into a hundred recv calls.
    buffer_.reserve(kReadBufferBytes);
    if (options_.timeout_ms <= 0) {
      throw std::invalid_argument("HTTP timeout must be positive, got " +
                                  std::to_string(options_.timeout_ms) + " ms");
    }
    if (endpoint_.tls) {
      tls_.set_default_verify_paths();
      tls_.set_verify_mode(ssl::verify_peer);
      if (!options_.extra_ca_pem.empty()) {
        boost::system::error_code ec;
        tls_.add_certificate_authority(net::buffer(options_.extra_ca_pem), ec);
        if (ec)
          throw std::invalid_argument("extra CA certificate is not valid PEM: " + ec.message());
      }
    }
  }

  HttpResponse send(const HttpRequest& request) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.timeout_ms);
    const bool reused = is_open();
    if (!reused) open();
    bool stale = false;
    try {
      return exchange(request, reused, stale);
    } catch (const HttpTransportError&) {
      close();
      if (!stale) throw;
    }
    open();
    return exchange(request, false, stale);
  }

  void close() {
    plain_.reset();
    secure_.reset();
    buffer_.clear();
  }

  bool is_open() const { return plain_ || secure_; }

  const HttpsEndpoint& endpoint() const { return endpoint_; }
  int connections_opened() const { return opened_; }

 private:
  // Runs one asynchronous operation to completion on the private io_context.
  // Asynchronous because beast::tcp_stream applies its deadline only to
  // asynchronous operations.
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result = net::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  beast::tcp_stream& lowest() { return plain_ ? *plain_ : beast::get_lowest_layer(*secure_); }

  void open() {
    close();
    tcp::resolver resolver(ioc_);
    boost::system::error_code ec;
    // Synchronous: the system resolver bounds its own time.
    auto results = resolver.resolve(endpoint_.host, endpoint_.port, ec);
    if (ec) fail(Kind::kResolve, "resolving " + endpoint_.host + ": " + ec.message());

    if (endpoint_.tls) {
      secure_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, tls_);
      prepare_tls_checks();
    } else {
      plain_ = std::make_unique<beast::tcp_stream>(ioc_);
    }
    ++opened_;
    lowest().expires_at(deadline_);
    ec = run([&](auto handler) { lowest().async_connect(results, std::move(handler)); });
    if (ec) fail_on(ec, "connecting to");

    if (secure_) {
      lowest().expires_at(deadline_);
      ec = run([&](auto handler) {
        secure_->async_handshake(ssl::stream_base::client, std::move(handler));
      });
      if (ec) fail_on(ec, "TLS handshake with");
    }
  }

  void prepare_tls_checks() {
    SSL* native = secure_->native_handle();
    if (is_ip_literal(endpoint_.host)) {
      // SNI must not carry an IP literal; the certificate must name the IP.
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), endpoint_.host.c_str());
    } else {
      SSL_set_tlsext_host_name(native, endpoint_.host.c_str());
      SSL_set1_host(native, endpoint_.host.c_str());
    }
  }

  HttpResponse exchange(const HttpRequest& request, bool reused, bool& stale) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(request.method);
    req.target(endpoint_.path_prefix + request.target);
    req.version(11);
    for (const auto& [name, value] : request.headers) req.set(name, value);
    req.set(bhttp::field::host, endpoint_.host_header());
    req.set(bhttp::field::user_agent, kUserAgent);
    req.body() = request.body;
    req.prepare_payload();

    lowest().expires_at(deadline_);
    auto ec = run([&](auto handler) {
      if (secure_) {
        bhttp::async_write(*secure_, req, std::move(handler));
      } else {
        bhttp::async_write(*plain_, req, std::move(handler));
      }
    });
    if (ec) {
      stale = reused && is_closed_before_response(ec);
      fail_on(ec, "sending request to");
    }

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    parser.header_limit(kMaxHeaderBytes);
    // Header first: Beast 1.74 drops the body_limit error for an oversized
    // Content-Length when the body arrives in the same read as the header.
    lowest().expires_at(deadline_);
    ec = run([&](auto handler) {
      if (secure_) {
        bhttp::async_read_header(*secure_, buffer_, parser, std::move(handler));
      } else {
        bhttp::async_read_header(*plain_, buffer_, parser, std::move(handler));
      }
    });
    if (!ec && parser.content_length().value_or(0) > options_.max_body_bytes) {
      ec = bhttp::error::body_limit;
    }
    if (!ec && !parser.is_done()) {
      if (auto length = parser.content_length(); length && *length <= options_.max_body_bytes) {
        parser.get().body().reserve(static_cast<size_t>(*length));
      }
      lowest().expires_at(deadline_);
      ec = run([&](auto handler) {
        if (secure_) {
          bhttp::async_read(*secure_, buffer_, parser, std::move(handler));
        } else {
          bhttp::async_read(*plain_, buffer_, parser, std::move(handler));
        }
      });
    }
    if (ec) {
      stale = reused && !parser.got_some() && is_closed_before_response(ec);
      fail_on(ec, "reading response from");
    }

    auto message = parser.release();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      auto name = lower(std::string(field.name_string()));
      auto [it, inserted] = response.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    response.body = std::move(message.body());
    if (!message.keep_alive()) close();
    return response;
  }

  [[noreturn]] void fail(Kind kind, const std::string& what) {
    close();
    throw HttpTransportError(kind, what);
  }

  [[noreturn]] void fail_on(const beast::error_code& ec, const std::string& phase) {
    const std::string where = phase + " " + endpoint_.authority() + ": ";
    if (ec == beast::error::timeout) {
      fail(Kind::kTimeout, where + "timed out (limit " + std::to_string(options_.timeout_ms) +
                               " ms for the whole request)");
    }
    if (ec == net::error::connection_refused) fail(Kind::kConnect, where + "connection refused");
    if (ec == bhttp::error::body_limit) {
      fail(Kind::kBodyTooLarge, where + "response body exceeds the limit of " +
                                    std::to_string(options_.max_body_bytes) + " bytes");
    }
    if (ec == bhttp::error::partial_message) {
      fail(Kind::kReset, where + "connection closed before the response was complete");
    }
    if (is_closed_before_response(ec)) {
      fail(Kind::kReset, where + "connection closed by the peer (" + ec.message() + ")");
    }
    if (ec.category() == net::error::get_ssl_category() ||
        ec.category() == ssl::error::get_stream_category()) {
      std::string reason = ec.message();
      if (secure_) {
        const long verify = SSL_get_verify_result(secure_->native_handle());
        if (verify != X509_V_OK) {
          reason += " (certificate: " + std::string(X509_verify_cert_error_string(verify)) + ")";
        }
      }
      fail(Kind::kTls, where + "TLS failure: " + reason);
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      fail(Kind::kProtocol, where + "malformed HTTP response: " + ec.message());
    }
    fail(phase == "connecting to" ? Kind::kConnect : Kind::kReset, where + ec.message());
  }

  HttpsEndpoint endpoint_;
  HttpConnectionOptions options_;
  net::io_context ioc_;
  ssl::context tls_{ssl::context::tls_client};
  std::unique_ptr<beast::tcp_stream> plain_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
  std::chrono::steady_clock::time_point deadline_;
  int opened_ = 0;
};

HttpConnection::HttpConnection(HttpsEndpoint endpoint, HttpConnectionOptions options)
    : impl_(std::make_unique<Impl>(std::move(endpoint), std::move(options))) {}

HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::send(const HttpRequest& request) {
  return impl_->send(request);
}

const HttpsEndpoint& HttpConnection::endpoint() const {
  return impl_->endpoint();
}

int HttpConnection::connections_opened() const {
  return impl_->connections_opened();
}

void HttpConnection::close() {
  impl_->close();
}

}  // namespace jirasync
