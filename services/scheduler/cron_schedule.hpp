#pragma once

#include <bitset>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace jirasync {

class CronError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// A five-field cron expression (minute hour day-of-month month day-of-week)
// evaluated in an IANA time zone, so "0 6 * * *" means 06:00 where the team is.
// As in crontab(5): lists, ranges, steps, month and weekday names in any case
// ("0 9 * * MON-FRI") and the shorthands @hourly, @daily (@midnight),
// @weekly, @monthly and @yearly (@annually).
class CronSchedule {
 public:
  // Throws CronError naming the bad field.
  static CronSchedule parse(const std::string& expr, const std::string& time_zone = "UTC");

  // The first fire time strictly after `after_ms` (UTC epoch ms, minute-aligned).
  int64_t next_after(int64_t after_ms) const;
  const std::string& expression() const { return expr_; }

 private:
  bool matches_day(int mday, int month, int wday) const;

  std::string expr_;
  std::string zone_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> mdays_;
  std::bitset<13> months_;
  std::bitset<8> wdays_;
  bool mday_any_ = true;
  bool wday_any_ = true;
};

}  // namespace jirasync
