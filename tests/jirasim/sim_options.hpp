#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tests/jirasim/fault_injector.hpp"
#include "tests/jirasim/issue_generator.hpp"
#include "tests/jirasim/runtime_settings.hpp"
#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// Everything `jirasim` is started with (see `jirasim --help`).
struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 8089;  // 0 = any free port (see port_file)
  std::string port_file;
  std::string base_url;  // prefix of `self` links; "" = http://host:port
  uint64_t seed = 42;
  std::vector<ProjectSpec> projects{{"WRKA", 500}, {"WMB", 300}};
  std::vector<SimUser> users;  // login users besides the demo user
  std::string time_zone = "UTC";
  double rate_limit_per_s = 0;  // 0 = off
  int rate_burst = 0;           // 0 = one second's worth
  int64_t search_lag_ms = 0;
  FaultSettings faults;
  bool legacy_search = false;
  PageTokenMode page_token_mode = PageTokenMode::kKeyset;
  std::string webhook_url;
  std::string webhook_secret;
  int64_t data_end_ms = 1751241600000;  // 2025-06-30T00:00:00Z: data spans the two years before
  int threads = 2;
};

// The demo login every tool and example uses.
SimUser demo_user();

// "WRKA:5000,WMB:3000". Throws std::invalid_argument naming the bad part.
std::vector<ProjectSpec> parse_project_specs(std::string_view text);
// "email:token[:accountId[:timeZone[:PROJ1,PROJ2]]]". Throws std::invalid_argument.
SimUser parse_user_spec(std::string_view text);
// "10", "10/s". Throws std::invalid_argument.
double parse_rate(std::string_view text);
// "2025-06-30" (UTC midnight). Throws std::invalid_argument.
int64_t parse_day_ms(std::string_view text);
// Throws std::invalid_argument for a zone the tz database does not know.
void require_time_zone(const std::string& zone);

}  // namespace jirasim
