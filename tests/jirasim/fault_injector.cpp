#include "tests/jirasim/fault_injector.hpp"

namespace jirasim {

void FaultInjector::configure(const FaultSettings& settings) {
  std::lock_guard lock(mu_);
  settings_ = settings;
}

FaultSettings FaultInjector::settings() const {
  std::lock_guard lock(mu_);
  return settings_;
}

FaultPlan FaultInjector::plan() {
  std::lock_guard lock(mu_);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  FaultPlan p;
  p.latency_ms = settings_.latency_ms;
  // At most one body-level fault per request, so each is observable alone.
  if (settings_.error_rate > 0 && unit(rng_) < settings_.error_rate &&
      !settings_.error_statuses.empty()) {
    p.error_status = settings_.error_statuses[rng_() % settings_.error_statuses.size()];
  } else if (settings_.disconnect_rate > 0 && unit(rng_) < settings_.disconnect_rate) {
    p.disconnect = true;
  } else if (settings_.malformed_rate > 0 && unit(rng_) < settings_.malformed_rate) {
    p.malformed = true;
  } else if (settings_.wrong_content_type_rate > 0 &&
             unit(rng_) < settings_.wrong_content_type_rate) {
    p.wrong_content_type = true;
  }
  return p;
}

}  // namespace jirasim
