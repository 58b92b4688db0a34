#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock/clock.hpp"

namespace jirasync {

// One dependency a role needs to do its work (the database, the broker).
class ReadinessProbe {
 public:
  virtual ~ReadinessProbe() = default;
  // The key it is reported under in /readyz ("database", "kafka").
  virtual std::string name() const = 0;
  // Returns when the dependency answered; throws saying what failed. Must
  // return within about a second: it runs on a probe thread, never on the
  // HTTP thread, but a hung check would leave its answer stale.
  virtual void check() = 0;
};

// What /readyz answers: 200 or 503 and a JSON body naming each dependency,
// e.g. {"ready":false,"database":"ok","kafka":"no answer for 21 s: ..."}.
struct ReadinessReport {
  bool ready = false;
  std::string json;
};

// Combines the latest answers of the probes. A dependency is ready while its
// last successful check is at most `window_ms` old, so one slow answer does
// not flap the role out of service but a broker frozen for longer does; a
// check that hangs is noticed too, since no success comes in. The process is
// ready while it is serving (set_serving) and every dependency is ready.
// Thread-safe: probe threads record, the HTTP thread reports.
class Readiness {
 public:
  Readiness(const Clock& clock, int64_t window_ms);

  // Names a dependency; not ready until its first successful check.
  void add(const std::string& name);
  void record_success(const std::string& name);
  void record_failure(const std::string& name, const std::string& error);
  // Runs the probe once and records its answer.
  void run_check(ReadinessProbe& probe);

  // False while starting and after the loop ended.
  void set_serving(bool serving);

  ReadinessReport report() const;
  int64_t window_ms() const { return window_ms_; }
  // Since when `name` has answered without a gap longer than the window, or
  // nullopt while it is not answering (as report() counts it).
  std::optional<int64_t> answering_since_ms(const std::string& name) const;

 private:
  struct Dependency {
    std::string name;
    int64_t last_success_ms = -1;  // -1: never
    int64_t answering_since_ms = -1;
    std::string last_error;
  };
  const Dependency& find(const std::string& name) const;
  Dependency& find(const std::string& name);
  bool fresh(const Dependency& d, int64_t now) const;

  const Clock& clock_;
  const int64_t window_ms_;
  const int64_t started_ms_;
  mutable std::mutex mutex_;
  bool serving_ = false;
  std::vector<Dependency> dependencies_;  // in the order added
};

}  // namespace jirasync
