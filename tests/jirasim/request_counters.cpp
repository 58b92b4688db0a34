#include "tests/jirasim/request_counters.hpp"

#include "tests/jirasim/json_writer.hpp"

namespace jirasim {

void RequestCounters::count(const std::string& endpoint, int status) {
  std::lock_guard lock(mu_);
  ++counts_[endpoint][status];
  ++total_;
}

void RequestCounters::count_webhook(bool delivered) {
  std::lock_guard lock(mu_);
  ++(delivered ? webhooks_delivered_ : webhooks_failed_);
}

void RequestCounters::reset() {
  std::lock_guard lock(mu_);
  counts_.clear();
  total_ = 0;
  webhooks_delivered_ = 0;
  webhooks_failed_ = 0;
}

int64_t RequestCounters::get(const std::string& endpoint, int status) const {
  std::lock_guard lock(mu_);
  auto it = counts_.find(endpoint);
  if (it == counts_.end()) return 0;
  auto s = it->second.find(status);
  return s == it->second.end() ? 0 : s->second;
}

std::string RequestCounters::to_json() const {
  std::lock_guard lock(mu_);
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("endpoints");
  w.StartObject();
  for (const auto& [endpoint, statuses] : counts_) {
    w.Key(endpoint.c_str());
    w.StartObject();
    int64_t sum = 0;
    for (const auto& [status, n] : statuses) {
      w.Key(std::to_string(status).c_str());
      w.Int64(n);
      sum += n;
    }
    w.Key("total");
    w.Int64(sum);
    w.EndObject();
  }
  w.EndObject();
  w.Key("total");
  w.Int64(total_);
  w.Key("webhooks");
  w.StartObject();
  w.Key("delivered");
  w.Int64(webhooks_delivered_);
  w.Key("failed");
  w.Int64(webhooks_failed_);
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

}  // namespace jirasim
