#pragma once

#include <map>
#include <mutex>
#include <string>

#include "tests/jirasim/sim_issue.hpp"

namespace jirasim {

// Settings the control API may change while the simulator runs.
class RuntimeSettings {
 public:
  std::string default_zone() const;
  void set_default_zone(std::string zone);
  // The account zone of a user: a run-time override, else the user's own, else the default.
  std::string zone_of(const SimUser& user) const;
  void set_user_zone(const std::string& account_id, std::string zone);
  void clear_user_zones();

  bool legacy_search() const;
  void set_legacy_search(bool on);

  std::string base_url() const;
  void set_base_url(std::string url);

 private:
  mutable std::mutex mu_;
  std::string default_zone_ = "UTC";
  std::map<std::string, std::string> user_zones_;
  bool legacy_search_ = false;
  std::string base_url_;
};

}  // namespace jirasim
