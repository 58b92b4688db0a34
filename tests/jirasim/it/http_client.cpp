#include "tests/jirasim/it/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace jirasim::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string base64_encode(const std::string& in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(a[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(a[(acc << (6 - bits)) & 63]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

HttpClient::HttpClient(int port)
    : port_(port), credentials_(std::make_pair("demo@jirasim.test", "jirasim-demo-token")) {}

HttpClient::~HttpClient() {
  if (stream_) {
    beast::error_code ec;
    stream_->socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  }
}

void HttpClient::set_credentials(std::optional<std::pair<std::string, std::string>> email_token) {
  credentials_ = std::move(email_token);
}

void HttpClient::connect() {
  stream_ = std::make_unique<beast::tcp_stream>(ioc_);
  stream_->expires_after(std::chrono::seconds(30));
  stream_->connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"),
                                          static_cast<unsigned short>(port_)));
}

HttpResult HttpClient::request(http::verb method, const std::string& target,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  req.keep_alive(true);
  if (credentials_) {
    req.set(http::field::authorization,
            "Basic " + base64_encode(credentials_->first + ":" + credentials_->second));
  }
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  HttpResult result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!stream_) connect();
      stream_->expires_after(std::chrono::seconds(60));
      http::write(*stream_, req);
    } catch (const std::exception&) {
      stream_.reset();  // a closed keep-alive connection: reconnect once
      if (attempt == 1) throw;
      continue;
    }
    try {
      beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(256 * 1024 * 1024);
      http::read(*stream_, buffer, parser);
      auto res = parser.release();
      result.status = res.result_int();
      for (const auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[name] = std::string(f.value());
      }
      result.body = std::move(res.body());
      if (!res.keep_alive()) stream_.reset();
      return result;
    } catch (const std::exception& e) {
      stream_.reset();
      result.transport_error = e.what();
      return result;
    }
  }
  return result;
}

}  // namespace jirasim::testing
