#include "services/scheduler/scheduler_settings.hpp"

#include <gtest/gtest.h>

namespace jirasync {
namespace {

TEST(SchedulerSettingsTest, CarriesTheSchedulerPartOfTheConfig) {
  Config config;
  config.kafka.topic_prefix = "t1.";
  config.projects.push_back({"WRKA", "JIRA_WINS", {}, "*/5 * * * *", "0 6 * * *"});
  config.projects.push_back({"WMB", "JIRA_WINS", {}, "", "0 7 * * *"});
  config.schedule_time_zone = "Europe/Paris";
  config.max_run_attempts = 7;
  config.run_lease_ms = 4321;

  const auto s = SchedulerSettings::from(config);

  EXPECT_EQ(s.topic_prefix, "t1.");
  ASSERT_EQ(s.schedules.size(), 2u);
  EXPECT_EQ(s.schedules[0].project, "WRKA");
  EXPECT_EQ(s.schedules[0].incremental_cron, "*/5 * * * *");
  EXPECT_EQ(s.schedules[0].full_cron, "0 6 * * *");
  EXPECT_EQ(s.schedules[1].project, "WMB");
  EXPECT_EQ(s.schedules[1].incremental_cron, "");
  EXPECT_EQ(s.time_zone, "Europe/Paris");
  EXPECT_EQ(s.max_run_attempts, 7);
  EXPECT_EQ(s.run_lease_ms, 4321);
}

}  // namespace
}  // namespace jirasync
