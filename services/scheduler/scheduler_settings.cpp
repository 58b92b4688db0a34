#include "services/scheduler/scheduler_settings.hpp"

namespace jirasync {

SchedulerSettings SchedulerSettings::from(const Config& config) {
  SchedulerSettings s;
  s.topic_prefix = config.kafka.topic_prefix;
  for (const auto& p : config.projects) {
    s.schedules.push_back({p.key, p.incremental_cron, p.full_cron});
  }
  s.time_zone = config.schedule_time_zone;
  s.max_run_attempts = config.max_run_attempts;
  s.run_lease_ms = config.run_lease_ms;
  return s;
}

}  // namespace jirasync
