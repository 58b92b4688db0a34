#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace jirasim {

// Requests per endpoint (method + path template) and status code, so tests can
// assert an API budget ("a full sync of 250 issues costs 3 searches").
class RequestCounters {
 public:
  void count(const std::string& endpoint, int status);
  void count_webhook(bool delivered);
  void reset();
  // {"endpoints":{"GET /rest/api/3/myself":{"200":2}},"total":2,"webhooks":{...}}
  std::string to_json() const;
  int64_t get(const std::string& endpoint, int status) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<int, int64_t>> counts_;
  int64_t total_ = 0;
  int64_t webhooks_delivered_ = 0;
  int64_t webhooks_failed_ = 0;
};

}  // namespace jirasim
