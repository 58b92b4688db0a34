#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "tests/jirasim/request_counters.hpp"

namespace jirasim {

// Delivers Jira webhook payloads (POST, JSON) to one configured http URL, in
// order, from its own thread so a slow receiver never blocks the REST API.
// With a secret, the body's HMAC-SHA256 goes in `X-Hub-Signature: sha256=<hex>`.
class WebhookSender {
 public:
  explicit WebhookSender(RequestCounters& counters);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Throws std::invalid_argument for a URL that is not http://host:port/path.
  void configure(const std::string& url, const std::string& secret);
  std::string url() const;
  bool has_secret() const;
  void send(std::string body);

 private:
  void run();
  void deliver(const std::string& url, const std::string& secret, const std::string& body);

  RequestCounters& counters_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::string url_;
  std::string secret_;
  bool stopping_ = false;
  std::thread worker_;
};

std::string hmac_sha256_hex(const std::string& secret, const std::string& body);

}  // namespace jirasim
