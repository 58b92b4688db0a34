#include "common/service/readiness.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/clock/fake_clock.hpp"

namespace jirasync {
namespace {

// A dependency whose answer the test sets.
class FakeProbe final : public ReadinessProbe {
 public:
  explicit FakeProbe(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  void check() override {
    if (!error.empty()) throw std::runtime_error(error);
  }
  std::string error;  // "" answers, anything else fails with it

 private:
  std::string name_;
};

class ReadinessTest : public ::testing::Test {
 protected:
  ReadinessTest() {
    readiness.add("database");
    readiness.add("kafka");
    readiness.set_serving(true);
  }
  void check_all() {
    readiness.run_check(database);
    readiness.run_check(kafka);
  }

  FakeClock clock;
  Readiness readiness{clock, 5000};
  FakeProbe database{"database"};
  FakeProbe kafka{"kafka"};
};

TEST_F(ReadinessTest, ReadyWhenEveryDependencyAnswered) {
  check_all();
  const auto report = readiness.report();
  EXPECT_TRUE(report.ready);
  EXPECT_EQ(report.json, "{\"ready\":true,\"database\":\"ok\",\"kafka\":\"ok\"}\n");
}

TEST_F(ReadinessTest, NotReadyBeforeTheFirstAnswer) {
  readiness.run_check(database);
  clock.advance_ms(2000);
  const auto report = readiness.report();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.json,
            "{\"ready\":false,\"database\":\"ok\",\"kafka\":\"no answer yet, for 2 s\"}\n");
}

TEST_F(ReadinessTest, OneFailedCheckWithinTheWindowKeepsItReady) {
  check_all();
  clock.advance_ms(1000);
  kafka.error = "timed out";
  check_all();
  EXPECT_TRUE(readiness.report().ready);
}

// What the scheduler's leases go by: a gap within the window is no outage;
// after a longer one the dependency answers from its return.
TEST_F(ReadinessTest, AnsweringSinceStartsOverOnlyAfterAnOutage) {
  EXPECT_EQ(readiness.answering_since_ms("kafka"), std::nullopt);  // no answer yet
  const int64_t first = clock.now_ms();
  check_all();
  clock.advance_ms(1000);
  kafka.error = "timed out";
  check_all();
  clock.advance_ms(1000);
  kafka.error.clear();
  check_all();
  EXPECT_EQ(readiness.answering_since_ms("kafka"), first);
  kafka.error = "Local: All broker connections are down";
  for (int i = 0; i < 6; ++i) {
    clock.advance_ms(1000);
    check_all();
  }
  EXPECT_EQ(readiness.answering_since_ms("kafka"), std::nullopt);
  EXPECT_EQ(readiness.answering_since_ms("database"), first);
  clock.advance_ms(1000);
  kafka.error.clear();
  check_all();
  EXPECT_EQ(readiness.answering_since_ms("kafka"), clock.now_ms());
  EXPECT_THROW(readiness.answering_since_ms("zookeeper"), std::logic_error);
}

TEST_F(ReadinessTest, BrokerSilentLongerThanTheWindowIsNamed) {
  check_all();
  kafka.error = "Local: All broker connections are down";
  for (int i = 0; i < 21; ++i) {
    clock.advance_ms(1000);
    check_all();
  }
  const auto report = readiness.report();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.json,
            "{\"ready\":false,\"database\":\"ok\",\"kafka\":\"no answer for 21 s: Local: All "
            "broker connections are down\"}\n");
}

TEST_F(ReadinessTest, HungCheckGoesStaleWithoutAnyFailure) {
  check_all();
  clock.advance_ms(5001);  // the database check never came back
  readiness.run_check(kafka);
  const auto report = readiness.report();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.json, "{\"ready\":false,\"database\":\"no answer for 5 s\",\"kafka\":\"ok\"}\n");
}

TEST_F(ReadinessTest, ReadyAgainOnceTheDependencyAnswers) {
  check_all();
  database.error = "connection refused";
  clock.advance_ms(10000);
  check_all();
  EXPECT_FALSE(readiness.report().ready);
  database.error.clear();
  check_all();
  EXPECT_TRUE(readiness.report().ready);
}

TEST_F(ReadinessTest, NotReadyWhileNotServing) {
  check_all();
  readiness.set_serving(false);
  const auto report = readiness.report();
  EXPECT_FALSE(report.ready);
  EXPECT_NE(report.json.find("\"process\":\"not serving"), std::string::npos) << report.json;
}

TEST(ReadinessWithoutDependencies, ReadyWhileServing) {
  FakeClock clock;
  Readiness readiness(clock, 5000);
  EXPECT_FALSE(readiness.report().ready);
  readiness.set_serving(true);
  EXPECT_TRUE(readiness.report().ready);
}

TEST(ReadinessWithoutDependencies, UnknownDependencyIsAProgrammingError) {
  FakeClock clock;
  Readiness readiness(clock, 5000);
  EXPECT_THROW(readiness.record_success("kafka"), std::logic_error);
  readiness.add("kafka");
  EXPECT_THROW(readiness.add("kafka"), std::logic_error);
}

}  // namespace
}  // namespace jirasync
