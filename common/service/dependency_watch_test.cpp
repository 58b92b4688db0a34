#include "common/service/dependency_watch.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "common/clock/fake_clock.hpp"

namespace jirasync {
namespace {

using namespace std::chrono_literals;

class CountingProbe final : public ReadinessProbe {
 public:
  CountingProbe(std::string name, std::atomic<int>& checks)
      : name_(std::move(name)), checks_(checks) {}
  std::string name() const override { return name_; }
  void check() override { ++checks_; }

 private:
  std::string name_;
  std::atomic<int>& checks_;
};

// Polls until `done` or 10 s pass.
template <typename F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(DependencyWatch, ChecksEveryProbeRepeatedlyAndRecordsTheAnswers) {
  FakeClock clock;
  Readiness readiness(clock, 5000);
  readiness.set_serving(true);
  std::atomic<int> database_checks{0};
  std::atomic<int> kafka_checks{0};
  std::vector<std::unique_ptr<ReadinessProbe>> probes;
  probes.push_back(std::make_unique<CountingProbe>("database", database_checks));
  probes.push_back(std::make_unique<CountingProbe>("kafka", kafka_checks));
  {
    DependencyWatch watch(readiness, std::move(probes), 1ms);
    EXPECT_TRUE(eventually([&] { return database_checks >= 3 && kafka_checks >= 3; }));
    EXPECT_TRUE(eventually([&] { return readiness.report().ready; }));
  }
  // Destroyed: the threads are joined and check no more.
  const int after = database_checks.load();
  EXPECT_EQ(database_checks.load(), after);
  EXPECT_EQ(readiness.report().json, "{\"ready\":true,\"database\":\"ok\",\"kafka\":\"ok\"}\n");
}

TEST(DependencyWatch, StopsPromptlyWithALongInterval) {
  FakeClock clock;
  Readiness readiness(clock, 5000);
  std::atomic<int> checks{0};
  std::vector<std::unique_ptr<ReadinessProbe>> probes;
  probes.push_back(std::make_unique<CountingProbe>("database", checks));
  const auto start = std::chrono::steady_clock::now();
  {
    DependencyWatch watch(readiness, std::move(probes), std::chrono::hours(1));
    EXPECT_TRUE(eventually([&] { return checks >= 1; }));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // woken, not waiting out the hour
}

}  // namespace
}  // namespace jirasync
