#pragma once

#include <string>

#include <gtest/gtest.h>

#include "common/config/config.hpp"

namespace jirasync {

using Env = std::map<std::string, std::string>;

// The ConfigError load_config_from raises, or a failure when none is raised.
inline ConfigError config_error(const std::string& yaml, const Env& env = {}) {
  try {
    load_config_from(yaml, env);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a ConfigError for yaml:\n" << yaml;
  return ConfigError("<none>", "no error");
}

}  // namespace jirasync
