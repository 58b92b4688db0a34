#include "cli/duration_option.hpp"

#include <string>

#include "common/time/duration_text.hpp"

namespace jirasync {

CLI::Validator duration_validator() {
  return CLI::Validator(
      [](std::string& text) {
        try {
          (void)parse_duration_ms(text);
          return std::string();
        } catch (const std::exception& e) {
          return std::string(e.what());
        }
      },
      "DURATION", "DURATION");
}

}  // namespace jirasync
