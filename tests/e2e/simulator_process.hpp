#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/http/http_connection.hpp"
#include "tests/world/simulator.hpp"

namespace jirasync::e2e {

// The jirasim binary on a free port (world::Simulator), and its control API (/__sim/...).
class SimulatorProcess {
 public:
  // Starts one of its own. `projects` as jirasim's --projects
  // ("WRKA:500,WMB:300"); `extra_args` are more flags (--search-lag-ms 3000
  // ...). Throws when it does not come up.
  SimulatorProcess(const std::string& dir, const std::string& projects,
                   const std::vector<std::string>& extra_args = {});
  // Talks to one a world started (and stops).
  explicit SimulatorProcess(world::Simulator& running);
  ~SimulatorProcess();
  SimulatorProcess(const SimulatorProcess&) = delete;
  SimulatorProcess& operator=(const SimulatorProcess&) = delete;

  int port() const { return simulator_->port(); }
  std::string base_url() const { return simulator_->base_url(); }

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
  // Successful reads of Jira's field list: the fetcher's own, not a run's
  // (a full sync reads it at most once in ten minutes), so budget checks
  // leave them out.
  int64_t field_list_reads() { return requests(kFieldListEndpoint, "200"); }
  static constexpr const char* kFieldListEndpoint = "GET /rest/api/3/field";
  void update_issue(const std::string& key, const std::string& fields_json) {
    control("PUT", "/__sim/issues/" + key, fields_json);
  }
  std::string log_tail() const { return simulator_->log_tail(); }

 private:
  std::unique_ptr<world::Simulator> owned_;  // when started here
  world::Simulator* simulator_;
  std::unique_ptr<HttpConnection> connection_;
  std::mutex connection_mutex_;
};

}  // namespace jirasync::e2e
