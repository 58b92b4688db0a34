#include "tests/jirasim/sim_options.hpp"

#include <date/tz.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

#include "tests/jirasim/field_selection.hpp"

namespace jirasim {

namespace {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  while (true) {
    size_t p = text.find(sep);
    out.emplace_back(text.substr(0, p));
    if (p == std::string_view::npos) break;
    text.remove_prefix(p + 1);
  }
  return out;
}

bool valid_project_key(const std::string& key) {
  if (key.size() < 2 || key.size() > 10 || !std::isupper(static_cast<unsigned char>(key[0]))) {
    return false;
  }
  for (char c : key) {
    if (!std::isupper(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

SimUser demo_user() {
  SimUser u;
  u.account_id = "5d53f3cbc6b9320d9ea5bdc2";
  u.display_name = "Demo User";
  u.email = "demo@jirasim.test";
  u.api_token = "jirasim-demo-token";
  return u;
}

std::vector<ProjectSpec> parse_project_specs(std::string_view text) {
  std::vector<ProjectSpec> out;
  for (const std::string& part : split_commas(text)) {
    size_t colon = part.find(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument("--projects: '" + part + "' must be KEY:COUNT, e.g. WRKA:5000");
    }
    ProjectSpec spec;
    spec.key = part.substr(0, colon);
    if (!valid_project_key(spec.key)) {
      throw std::invalid_argument(
          "--projects: project key '" + spec.key +
          "' must be 2-10 upper-case letters or digits, starting with a letter");
    }
    std::string count = part.substr(colon + 1);
    auto [ptr, ec] = std::from_chars(count.data(), count.data() + count.size(), spec.issue_count);
    if (ec != std::errc() || ptr != count.data() + count.size() || spec.issue_count < 0) {
      throw std::invalid_argument("--projects: issue count '" + count + "' of project " + spec.key +
                                  " is not a non-negative integer");
    }
    for (const auto& other : out) {
      if (other.key == spec.key) {
        throw std::invalid_argument("--projects: project " + spec.key + " is listed twice");
      }
    }
    out.push_back(spec);
  }
  if (out.empty()) throw std::invalid_argument("--projects: at least one KEY:COUNT is required");
  return out;
}

SimUser parse_user_spec(std::string_view text) {
  std::vector<std::string> parts = split(text, ':');
  // An accountId may itself contain one colon ("712020:uuid").
  if (parts.size() >= 4 && std::all_of(parts[2].begin(), parts[2].end(), ::isdigit) &&
      parts[2].size() == 6) {
    parts[2] += ":" + parts[3];
    parts.erase(parts.begin() + 3);
  }
  if (parts.size() < 2 || parts.size() > 5 || parts[0].empty() || parts[1].empty()) {
    // Never echo the text: it holds an API token.
    throw std::invalid_argument(
        "--user: expected email:token[:accountId[:timeZone[:PROJ1,PROJ2]]]");
  }
  SimUser u;
  u.email = parts[0];
  u.api_token = parts[1];
  u.account_id = parts.size() > 2 && !parts[2].empty()
                     ? parts[2]
                     : "jirasim:" + std::to_string(std::hash<std::string>{}(u.email) % 1000000000);
  if (parts.size() > 3 && !parts[3].empty()) {
    require_time_zone(parts[3]);
    u.time_zone = parts[3];
  }
  if (parts.size() > 4) u.browse_projects = split_commas(parts[4]);
  u.display_name = u.email.substr(0, u.email.find('@'));
  return u;
}

double parse_rate(std::string_view text) {
  std::string s(text);
  if (s.size() > 2 && s.substr(s.size() - 2) == "/s") s.resize(s.size() - 2);
  try {
    size_t used = 0;
    double v = std::stod(s, &used);
    if (used != s.size() || v < 0) throw std::invalid_argument("bad");
    return v;
  } catch (const std::exception&) {
    throw std::invalid_argument("--rate-limit: '" + std::string(text) +
                                "' is not a rate such as 10 or 10/s");
  }
}

int64_t parse_day_ms(std::string_view text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
    throw std::invalid_argument("--data-end: '" + std::string(text) + "' is not a YYYY-MM-DD date");
  }
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) {
    throw std::invalid_argument("--data-end: '" + std::string(text) + "' is not a calendar date");
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             date::sys_days{ymd}.time_since_epoch())
      .count();
}

void require_time_zone(const std::string& zone) {
  try {
    date::locate_zone(zone);
  } catch (const std::exception&) {
    throw std::invalid_argument("unknown time zone '" + zone +
                                "' (expected an IANA zone such as America/Los_Angeles)");
  }
}

}  // namespace jirasim
