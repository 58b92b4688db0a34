#pragma once

#include <cstdint>
#include <string>

namespace jirasim {

// A Jira project as the simulator serves it (ids are stable for a seed).
struct SimProject {
  int64_t id = 0;
  std::string key;
  std::string name;
};

}  // namespace jirasim
