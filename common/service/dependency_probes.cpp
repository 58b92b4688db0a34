#include "common/service/dependency_probes.hpp"

#include "common/bus/kafka_reachability.hpp"
#include "common/store/database_reachability.hpp"

namespace jirasync {

namespace {

class DatabaseProbe final : public ReadinessProbe {
 public:
  DatabaseProbe(const std::string& url, std::chrono::milliseconds timeout)
      : database_(url), timeout_(timeout) {}
  std::string name() const override { return "database"; }
  void check() override { database_.check(timeout_); }

 private:
  DatabaseReachability database_;
  std::chrono::milliseconds timeout_;
};

class KafkaProbe final : public ReadinessProbe {
 public:
  KafkaProbe(const KafkaSettings& settings, std::chrono::milliseconds timeout)
      : kafka_(settings), timeout_(timeout) {}
  std::string name() const override { return "kafka"; }
  void check() override { kafka_.check(timeout_); }

 private:
  KafkaReachability kafka_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

std::vector<std::unique_ptr<ReadinessProbe>> dependency_probes(const Config& config,
                                                               std::chrono::milliseconds timeout) {
  std::vector<std::unique_ptr<ReadinessProbe>> probes;
  probes.push_back(std::make_unique<DatabaseProbe>(config.database_url, timeout));
  if (config.bus == BusKind::kKafka)
    probes.push_back(std::make_unique<KafkaProbe>(config.kafka, timeout));
  return probes;
}

}  // namespace jirasync
