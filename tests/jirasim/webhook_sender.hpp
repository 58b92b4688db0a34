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
// Every delivery carries a unique `X-Atlassian-Webhook-Identifier`, as Jira's
// do; a replay sends earlier deliveries again with their own identifiers (what
// a receiver sees when Jira retries one it thinks failed).
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
  // Queues the last `count` deliveries again, oldest first; returns how many.
  size_t replay(size_t count);

 private:
  struct Delivery {
    std::string id;
    std::string body;
  };
  static constexpr size_t kHistory = 10000;

  void run();
  void deliver(const std::string& url, const std::string& secret, const Delivery& delivery);

  RequestCounters& counters_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Delivery> queue_;
  std::deque<Delivery> history_;  // the last kHistory deliveries, for replay
  long long next_id_ = 1;
  std::string url_;
  std::string secret_;
  bool stopping_ = false;
  std::thread worker_;
};

std::string hmac_sha256_hex(const std::string& secret, const std::string& body);

}  // namespace jirasim
