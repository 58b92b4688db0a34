#include "common/time/since_time.hpp"

#include <stdexcept>

#include "common/time/duration_text.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The text for an error message: at most 40 bytes, control characters as '?'
// (it came from a command line or a URL).
std::string quoted_for_error(const std::string& text) {
  std::string out = text.substr(0, 40);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

int64_t parse_since(const std::string& text, int64_t now_ms) {
  // "-7d" reads like JQL's relative dates; "7d" like the CLI's --since.
  const std::string ago = !text.empty() && text[0] == '-' ? text.substr(1) : text;
  if (!ago.empty() && is_digit(ago[0]) && ago.find('-') == std::string::npos) {
    try {
      return now_ms - parse_duration_ms(ago);
    } catch (const std::invalid_argument&) {
      // Reported below, with the forms that are accepted.
    }
  }
  try {
    return parse_jira_time(text);
  } catch (const std::exception&) {
    throw std::invalid_argument("'" + quoted_for_error(text) +
                                "' is neither a duration ago (30m, 2d, -7d) nor a time "
                                "(2024-03-05, 2024-03-05T10:00:00Z)");
  }
}

}  // namespace jirasync
