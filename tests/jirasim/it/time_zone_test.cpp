#include <gtest/gtest.h>

#include "tests/jirasim/it/sim_test_support.hpp"

namespace jirasim::testing {
namespace {

// 2025-01-15T06:00:00Z = 2025-01-14 22:00 in Los Angeles (UTC-8) = 15:00 in Tokyo (UTC+9).
constexpr int64_t kUpdated = 1736920800000;

int count(RunningSim& sim, const std::string& jql) {
  HttpResult r =
      sim.client.post("/rest/api/3/search/approximate-count", "{\"jql\":\"" + jql + "\"}");
  EXPECT_EQ(r.status, 200) << r.body;
  return parse_json(r.body)["count"].GetInt();
}

std::string create_fixed_issue(RunningSim& sim) {
  auto created =
      sim.control("/__sim/issues", "{\"project\":\"WRKA\",\"summary\":\"tz probe\",\"created\":" +
                                       std::to_string(kUpdated - 3600000) +
                                       ",\"updated\":" + std::to_string(kUpdated) + "}");
  return created["key"].GetString();
}

void set_zone(RunningSim& sim, const std::string& zone) {
  sim.control("/__sim/config", "{\"timeZone\":\"" + zone + "\"}");
}

TEST(TimeZone, BareDatesAreReadInTheAccountZoneButEpochMillisAreNot) {
  RunningSim sim({"--projects", "WRKA:20"});
  std::string key = create_fixed_issue(sim);
  const std::string after_midnight = "key = " + key + " AND updated >= \\\"2025-01-15 00:00\\\"";
  const std::string before_noon = "key = " + key + " AND updated < \\\"2025-01-15 12:00\\\"";
  const std::string epoch = "key = " + key + " AND updated >= " + std::to_string(kUpdated);

  EXPECT_EQ(count(sim, after_midnight), 1);  // UTC: 06:00 >= 00:00
  EXPECT_EQ(count(sim, before_noon), 1);

  set_zone(sim, "America/Los_Angeles");  // midnight LA = 08:00Z, after the update
  EXPECT_EQ(count(sim, after_midnight), 0);
  EXPECT_EQ(count(sim, before_noon), 1);
  EXPECT_EQ(count(sim, epoch), 1);

  set_zone(sim, "Asia/Tokyo");  // noon Tokyo = 03:00Z, before the update
  EXPECT_EQ(count(sim, after_midnight), 1);
  EXPECT_EQ(count(sim, before_noon), 0);
  EXPECT_EQ(count(sim, epoch), 1);
}

TEST(TimeZone, TimestampsCarryTheAccountZoneOffset) {
  RunningSim sim({"--projects", "WRKA:20", "--time-zone", "America/Los_Angeles"});
  std::string key = create_fixed_issue(sim);
  auto me = parse_json(sim.client.get("/rest/api/3/myself").body);
  EXPECT_STREQ(me["timeZone"].GetString(), "America/Los_Angeles");
  auto issue = parse_json(sim.client.get("/rest/api/3/issue/" + key + "?fields=updated").body);
  EXPECT_STREQ(issue["fields"]["updated"].GetString(), "2025-01-14T22:00:00.000-0800");
  set_zone(sim, "Asia/Tokyo");
  issue = parse_json(sim.client.get("/rest/api/3/issue/" + key + "?fields=updated").body);
  EXPECT_STREQ(issue["fields"]["updated"].GetString(), "2025-01-15T15:00:00.000+0900");
}

TEST(TimeZone, UnknownZoneIsRefusedByName) {
  RunningSim sim({"--projects", "WRKA:5"});
  HttpResult r = sim.client.post("/__sim/config", "{\"timeZone\":\"Mars/Olympus\"}");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Mars/Olympus"), std::string::npos);
}

}  // namespace
}  // namespace jirasim::testing
