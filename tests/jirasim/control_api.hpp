#pragma once

#include "tests/jirasim/http_types.hpp"
#include "tests/jirasim/request_target.hpp"

namespace jirasim {

class Simulator;

// The loopback-only control API under /__sim/ (JSON): issue mutations that
// behave as edits in Jira (version, updated, changelog, search lag, webhooks),
// run-time settings, counters and reset. See docs/jirasim.md.
class ControlApi {
 public:
  explicit ControlApi(Simulator& sim) : sim_(sim) {}

  HttpResponse handle(const HttpRequest& req, const RequestTarget& target);

 private:
  std::string create_issue(const HttpRequest& req);
  std::string update_issue(const HttpRequest& req, const std::string& ref);
  void delete_issue(const HttpRequest& req, const std::string& ref);
  std::string move_issue(const HttpRequest& req, const std::string& ref);
  std::string bulk_mutate(const HttpRequest& req);
  std::string describe_issue(const std::string& ref);
  std::string config_json();
  void apply_config(const HttpRequest& req);
  std::string actor(const HttpRequest& req) const;

  Simulator& sim_;
};

}  // namespace jirasim
