#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/config/config.hpp"

namespace jirasync {

// One project's cron expressions ("" = that kind never fires on a schedule).
struct ProjectSchedule {
  std::string project;
  std::string incremental_cron;
  std::string full_cron;
};

// Everything the scheduler role is told, built once where the role is wired up.
struct SchedulerSettings {
  std::string topic_prefix = KafkaSettings{}.topic_prefix;
  std::vector<ProjectSchedule> schedules;
  std::string time_zone = "UTC";  // schedule_time_zone: what the cron expressions mean
  int max_run_attempts = 3;       // runs.max_attempts
  int64_t run_lease_ms = 120000;  // runs.lease_ms: no heartbeat for this long fails the attempt

  // The scheduler's part of `config` (validated by validate_config()).
  static SchedulerSettings from(const Config& config);
};

}  // namespace jirasync
