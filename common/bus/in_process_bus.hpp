#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/bus/bus.hpp"

namespace jirasync {

// The bus inside one process (`jirasync run`, unit tests): the parts of Kafka's
// behaviour the roles rely on, without a broker.
//  - A topic is created on first use with a fixed number of partitions; a key
//    always maps to the same partition, so per-key order holds.
//  - Consumer groups keep committed offsets; a group's members share the
//    partitions, and a member joining or leaving reassigns them all (like
//    Kafka's eager rebalance: positions restart from the committed offsets or
//    the AssignListener's choice, so delivery is at-least-once).
//  - poll() blocks on a condition variable up to its timeout.
// Record payloads are freed once every group reading the topic has committed
// past them (seeking back below that is not supported). Thread-safe.
class InProcessBus final : public Bus {
 public:
  explicit InProcessBus(int32_t partitions_per_topic = 4);
  ~InProcessBus() override;

  std::unique_ptr<BusProducer> producer() override;
  std::unique_ptr<BusConsumer> consumer(const std::string& group_id) override;

  // The partition `key` lands on.
  int32_t partition_for(const std::string& key) const;
  // Bytes of keys and values still held (what a long embedded sync costs).
  std::size_t retained_bytes() const;
  // For a prompt stop: polls waiting now return, and later polls return what
  // is there without waiting.
  void wake_consumers();

  struct State;  // shared with producers and consumers, which may outlive the bus

 private:
  std::shared_ptr<State> state_;
};

}  // namespace jirasync
