#include <gtest/gtest.h>

#include "tests/jirasim/jql/jql.hpp"
#include "tests/jirasim/jql/jql_test_support.hpp"

namespace jirasim::jql {
namespace {

using testing::issue;
using testing::utc_ms;
using Keys = std::vector<std::string>;

// Issues updated around 2025-01-02. In comments: UTC, Los Angeles (UTC-8), Tokyo (UTC+9).
class JqlDates : public ::testing::Test {
 protected:
  void SetUp() override {
    add("F", utc_ms(2025, 1, 1, 23, 0));            // LA Jan 1 15:00, Tokyo Jan 2 08:00
    add("A", utc_ms(2025, 1, 2, 1, 30));            // LA Jan 1 17:30, Tokyo Jan 2 10:30
    add("B", utc_ms(2025, 1, 2, 10, 30));           // UTC Jan 2 10:30
    add("D", utc_ms(2025, 1, 2, 10, 30, 59, 999));  // last ms of UTC 10:30
    add("E", utc_ms(2025, 1, 2, 10, 31));           // UTC 10:31
    add("C", utc_ms(2025, 1, 2, 18, 30));           // LA Jan 2 10:30, Tokyo Jan 3 03:30
    add("G", utc_ms(2025, 1, 3, 5, 0));             // LA Jan 2 21:00, Tokyo Jan 3 14:00
  }

  void add(const std::string& name, int64_t updated) {
    auto i =
        issue(static_cast<int64_t>(issues_.size()) + 1, "T-" + std::to_string(issues_.size() + 1));
    i.key = name;  // readable keys; key order is not under test here
    i.updated_ms = updated;
    i.created_ms = updated - 3'600'000;
    issues_.push_back(i);
  }

  Keys match(const std::string& jql, const std::string& zone) {
    EvalContext ctx;
    ctx.account_time_zone = zone;
    ctx.now_ms = now_;
    return testing::keys_matching(jql, issues_, ctx);
  }

  std::vector<SimIssue> issues_;
  int64_t now_ = utc_ms(2025, 1, 3, 6, 0);
};

TEST_F(JqlDates, BareDateTimeIsReadInTheAccountZoneWithMinutePrecision) {
  EXPECT_EQ(match("updated = \"2025-01-02 10:30\"", "UTC"), (Keys{"B", "D"}));
  EXPECT_EQ(match("updated = \"2025-01-02 10:30\"", "America/Los_Angeles"), (Keys{"C"}));
  EXPECT_EQ(match("updated = \"2025-01-02 10:30\"", "Asia/Tokyo"), (Keys{"A"}));
  EXPECT_EQ(match("updated = \"2025/01/02 10:30\"", "Asia/Tokyo"), (Keys{"A"}));
}

TEST_F(JqlDates, EpochMillisecondsAreAbsolute) {
  const std::string jql = "updated = " + std::to_string(utc_ms(2025, 1, 2, 10, 30));
  for (const char* zone : {"UTC", "America/Los_Angeles", "Asia/Tokyo"}) {
    EXPECT_EQ(match(jql, zone), (Keys{"B"})) << zone;
  }
  const std::string since = "updated >= " + std::to_string(utc_ms(2025, 1, 2, 10, 31));
  for (const char* zone : {"UTC", "America/Los_Angeles", "Asia/Tokyo"}) {
    EXPECT_EQ(match(since, zone), (Keys{"E", "C", "G"})) << zone;
    EXPECT_EQ(match("updated >= \"" + std::to_string(utc_ms(2025, 1, 2, 10, 31)) + "\"", zone),
              (Keys{"E", "C", "G"}))
        << "quoted digits are epoch ms too";
  }
}

TEST_F(JqlDates, DateOnlyEqualityIsTheWholeLocalDay) {
  EXPECT_EQ(match("updated = \"2025-01-02\"", "UTC"), (Keys{"A", "B", "D", "E", "C"}));
  EXPECT_EQ(match("updated = 2025-01-02", "America/Los_Angeles"), (Keys{"B", "D", "E", "C", "G"}));
  EXPECT_EQ(match("updated = \"2025/01/02\"", "Asia/Tokyo"), (Keys{"F", "A", "B", "D", "E"}));
  EXPECT_EQ(match("updated != \"2025-01-02\"", "UTC"), (Keys{"F", "G"}));
  EXPECT_EQ(match("updated in (\"2025-01-01\", \"2025-01-03\")", "UTC"), (Keys{"F", "G"}));
  EXPECT_EQ(match("updated not in (\"2025-01-02\", \"2025-01-03\")", "Asia/Tokyo"), Keys{});
}

TEST_F(JqlDates, OrderingComparesWithTheStartOfTheDayOrMinute) {
  EXPECT_EQ(match("updated >= \"2025-01-02\"", "UTC"), (Keys{"A", "B", "D", "E", "C", "G"}));
  EXPECT_EQ(match("updated >= \"2025-01-02\"", "America/Los_Angeles"),
            (Keys{"B", "D", "E", "C", "G"}));
  EXPECT_EQ(match("updated >= \"2025-01-02\"", "Asia/Tokyo"),
            (Keys{"F", "A", "B", "D", "E", "C", "G"}));
  // <= a bare date stops at that local midnight (the classic Jira surprise).
  EXPECT_EQ(match("updated <= \"2025-01-02\"", "UTC"), (Keys{"F"}));
  EXPECT_EQ(match("updated <= \"2025-01-02\"", "America/Los_Angeles"), (Keys{"F", "A"}));
  EXPECT_EQ(match("updated <= \"2025-01-02\"", "Asia/Tokyo"), Keys{});
  EXPECT_EQ(match("updated < \"2025-01-02\"", "UTC"), (Keys{"F"}));
  EXPECT_EQ(match("updated > \"2025-01-02 10:30\"", "UTC"), (Keys{"D", "E", "C", "G"}));
  EXPECT_EQ(match("createdDate > \"2025-01-02 10:30\"", "UTC"), (Keys{"C", "G"}))
      << "created is an hour before updated";
  EXPECT_EQ(match("updatedDate < \"2025-01-02 10:30\"", "America/Los_Angeles"),
            (Keys{"F", "A", "B", "D", "E"}));
}

TEST_F(JqlDates, RelativePeriodsCountBackFromNow) {
  // now = 2025-01-03 06:00 UTC, in every zone.
  for (const char* zone : {"UTC", "America/Los_Angeles", "Asia/Tokyo"}) {
    EXPECT_EQ(match("updated >= -24h", zone), (Keys{"B", "D", "E", "C", "G"})) << zone;
    EXPECT_EQ(match("updated >= \"-1d\"", zone), (Keys{"B", "D", "E", "C", "G"})) << zone;
    EXPECT_EQ(match("updated >= -30m", zone), Keys{}) << zone;
    EXPECT_EQ(match("updated >= -61m", zone), (Keys{"G"})) << zone;
    // -(1d 5h): after Jan 2 01:00 UTC.
    EXPECT_EQ(match("updated > \"-1d 5h\"", zone), (Keys{"A", "B", "D", "E", "C", "G"})) << zone;
    EXPECT_EQ(match("updated < -1w", zone), Keys{}) << zone;
    EXPECT_EQ(match("updated < \"4w 2d\"", zone).size(), 7u) << "a future instant" << zone;
  }
  issues_[0].updated_ms = utc_ms(2024, 12, 3, 0, 0);
  EXPECT_EQ(match("updated < \"-4w 2d\"", "UTC"), (Keys{"F"}));  // before Dec 4 06:00
}

TEST_F(JqlDates, RelativeTermsFollowTheEvaluationClock) {
  auto q = parse("updated >= -1h");
  EvalContext early;
  early.now_ms = utc_ms(2025, 1, 2, 11, 0);
  EvalContext late;
  late.now_ms = utc_ms(2025, 1, 2, 19, 0);
  EXPECT_TRUE(q->matches(issues_[2], early));  // B 10:30 within an hour of 11:00
  EXPECT_FALSE(q->matches(issues_[2], late));
  EXPECT_TRUE(q->matches(issues_[5], late));  // C 18:30
  EXPECT_TRUE(q->matches(issues_[2], early)) << "switching back re-uses the right binding";
}

TEST_F(JqlDates, FunctionsAreEvaluatedInTheAccountZone) {
  // now = Jan 3 06:00 UTC = Jan 2 22:00 in LA = Jan 3 15:00 in Tokyo.
  EXPECT_EQ(match("updated >= startOfDay()", "UTC"), (Keys{"G"}));
  EXPECT_EQ(match("updated >= startOfDay()", "America/Los_Angeles"),
            (Keys{"B", "D", "E", "C", "G"}));
  EXPECT_EQ(match("updated >= startOfDay()", "Asia/Tokyo"), (Keys{"C", "G"}));
  EXPECT_EQ(match("updated < startOfDay(-1d)", "UTC"), (Keys{"F"}));
  EXPECT_EQ(match("updated <= endOfDay(-1)", "Asia/Tokyo"), (Keys{"F", "A", "B", "D", "E"}));
  EXPECT_EQ(match("updated > now()", "UTC"), Keys{});
  EXPECT_EQ(match("updated >= startOfDay(\"+2h\")", "UTC"), (Keys{"G"}));
  EXPECT_EQ(match("updated >= startOfDay(\"+6h\")", "UTC"), Keys{});
}

}  // namespace
}  // namespace jirasim::jql
