#include "tests/jirasim/jql/account_zone.hpp"

#include <stdexcept>

#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql {

AccountZone::AccountZone(const std::string& iana_name) {
  try {
    zone_ = date::locate_zone(iana_name.empty() ? "UTC" : iana_name);
  } catch (const std::runtime_error&) {
    throw JqlError("The account time zone '" + iana_name + "' is not a known IANA time zone.");
  }
}

LocalMs AccountZone::to_local(int64_t utc_ms) const {
  const date::sys_time<std::chrono::milliseconds> sys{std::chrono::milliseconds{utc_ms}};
  const auto info = zone_->get_info(date::floor<std::chrono::seconds>(sys));
  return LocalMs{sys.time_since_epoch() + info.offset};
}

int64_t AccountZone::to_utc_ms(LocalMs local) const {
  const auto info = zone_->get_info(date::floor<std::chrono::seconds>(local));
  // For unique and ambiguous times `first` is the (earlier) valid offset; for a
  // gap it is the offset before the transition, which shifts the time forward.
  const auto utc = local.time_since_epoch() - info.first.offset;
  return std::chrono::duration_cast<std::chrono::milliseconds>(utc).count();
}

}  // namespace jirasim::jql
