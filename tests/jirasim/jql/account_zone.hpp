#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <date/tz.h>

namespace jirasim::jql {

using LocalMs = date::local_time<std::chrono::milliseconds>;

// Wall-clock arithmetic in the account's IANA zone, the zone Jira reads bare
// date-times and evaluates startOfDay() & co. in.
class AccountZone {
 public:
  // Throws JqlError naming the zone when the IANA database does not know it.
  explicit AccountZone(const std::string& iana_name);

  LocalMs to_local(int64_t utc_ms) const;

  // Like java.time (Jira's runtime): a wall time inside a DST gap moves forward
  // by the gap, an ambiguous one in a fall-back overlap takes the earlier instant.
  int64_t to_utc_ms(LocalMs local) const;

 private:
  const date::time_zone* zone_;
};

}  // namespace jirasim::jql
