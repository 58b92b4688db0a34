#include "tests/jirasim/webhook_sender.hpp"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <iostream>
#include <regex>
#include <stdexcept>

namespace jirasim {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

struct HttpUrl {
  std::string host;
  std::string port;
  std::string target;
};

HttpUrl parse_url(const std::string& url) {
  static const std::regex re(R"(^http://([^/:]+)(?::(\d+))?(/.*)?$)");
  std::smatch m;
  if (!std::regex_match(url, m, re)) {
    throw std::invalid_argument("webhook url '" + url +
                                "' must look like http://host:port/path (plain http only)");
  }
  return {m[1], m[2].matched ? std::string(m[2]) : "80", m[3].matched ? std::string(m[3]) : "/"};
}

}  // namespace

std::string hmac_sha256_hex(const std::string& secret, const std::string& body) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), out, &len);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s.push_back(hex[out[i] >> 4]);
    s.push_back(hex[out[i] & 15]);
  }
  return s;
}

WebhookSender::WebhookSender(RequestCounters& counters) : counters_(counters) {
  worker_ = std::thread([this] { run(); });
}

WebhookSender::~WebhookSender() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void WebhookSender::configure(const std::string& url, const std::string& secret) {
  if (!url.empty()) parse_url(url);
  std::lock_guard lock(mu_);
  url_ = url;
  secret_ = secret;
}

std::string WebhookSender::url() const {
  std::lock_guard lock(mu_);
  return url_;
}

bool WebhookSender::has_secret() const {
  std::lock_guard lock(mu_);
  return !secret_.empty();
}

void WebhookSender::send(std::string body) {
  {
    std::lock_guard lock(mu_);
    if (url_.empty()) return;
    Delivery d{std::to_string(next_id_++), std::move(body)};
    history_.push_back(d);
    if (history_.size() > kHistory) history_.pop_front();
    queue_.push_back(std::move(d));
  }
  cv_.notify_one();
}

size_t WebhookSender::replay(size_t count) {
  size_t queued = 0;
  {
    std::lock_guard lock(mu_);
    if (url_.empty()) return 0;
    const size_t n = std::min(count, history_.size());
    for (size_t i = history_.size() - n; i < history_.size(); ++i) queue_.push_back(history_[i]);
    queued = n;
  }
  cv_.notify_one();
  return queued;
}

void WebhookSender::run() {
  while (true) {
    Delivery delivery;
    std::string url, secret;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      delivery = std::move(queue_.front());
      queue_.pop_front();
      url = url_;
      secret = secret_;
    }
    deliver(url, secret, delivery);
  }
}

void WebhookSender::deliver(const std::string& url, const std::string& secret,
                            const Delivery& delivery) {
  const std::string& body = delivery.body;
  try {
    HttpUrl u = parse_url(url);
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(5));
    stream.connect(resolver.resolve(u.host, u.port));
    http::request<http::string_body> req{http::verb::post, u.target, 11};
    req.set(http::field::host, u.host + ":" + u.port);
    req.set(http::field::user_agent, "Atlassian Webhook HTTP Client");
    req.set(http::field::content_type, "application/json; charset=UTF-8");
    req.set("X-Atlassian-Webhook-Identifier", delivery.id);
    if (!secret.empty()) req.set("X-Hub-Signature", "sha256=" + hmac_sha256_hex(secret, body));
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    counters_.count_webhook(res.result_int() >= 200 && res.result_int() < 300);
  } catch (const std::exception& e) {
    std::cerr << "jirasim: webhook delivery to " << url << " failed: " << e.what() << "\n";
    counters_.count_webhook(false);
  }
}

}  // namespace jirasim
