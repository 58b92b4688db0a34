#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/http/http_connection.hpp"
#include "tests/support/child_process.hpp"

namespace jirasync::e2e {

// The jirasim binary on a free port, and its control API (/__sim/...).
class SimulatorProcess {
 public:
  // `projects` as jirasim's --projects ("WRKA:500,WMB:300"); `extra_args` are
  // more flags (--search-lag-ms 3000 ...). Throws when it does not come up.
  SimulatorProcess(const std::string& dir, const std::string& projects,
                   const std::vector<std::string>& extra_args = {});
  ~SimulatorProcess();

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // One control-API request; returns the parsed JSON answer (null for 204).
  // Throws std::runtime_error naming the request when the status is not 2xx.
  rapidjson::Document control(const std::string& method, const std::string& target,
                              const std::string& body = "");

  // Convenience wrappers over control().
  void configure(const std::string& json) { control("POST", "/__sim/config", json); }
  void reset_counters() { control("POST", "/__sim/counters/reset"); }
  int64_t total_requests();  // REST requests counted since the last reset
  // Requests to one endpoint ("GET /rest/api/3/search/jql") with one status ("200", "429").
  int64_t requests(const std::string& endpoint, const std::string& status);
  void update_issue(const std::string& key, const std::string& fields_json) {
    control("PUT", "/__sim/issues/" + key, fields_json);
  }
  std::string log_tail() const { return process_->log_tail(); }

 private:
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = 0;
  std::unique_ptr<HttpConnection> connection_;
};

}  // namespace jirasync::e2e
