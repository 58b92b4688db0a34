#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jirasync {

// A record as consumed from a topic.
struct BusMessage {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  // Next offset to consume; kOffsetStored means "the group's committed offset
  // (or the configured reset policy)".
  int64_t offset = kOffsetStored;
  static constexpr int64_t kOffsetStored = -1000;
  static constexpr int64_t kOffsetBeginning = -2;
  static constexpr int64_t kOffsetEnd = -1;
};

// Raised for failures the caller cannot retry around (bad config, broker gone
// past its timeout, fatal producer error).
class BusError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// flush() ran out of time with records still waiting for the broker (none
// failed): they are still queued and may yet be delivered, so flushing again
// once the broker is back loses nothing.
class BusUnacknowledged : public BusError {
 public:
  using BusError::BusError;
};

class BusProducer {
 public:
  virtual ~BusProducer() = default;
  // Queues a record; partition chosen by key (same key, same partition).
  // Throws BusError if the record cannot be queued.
  virtual void produce(const std::string& topic, const std::string& key,
                       const std::string& value) = 0;
  // Waits until every queued record is acknowledged; throws BusError when a
  // record failed, BusUnacknowledged when some are still waiting at the timeout.
  virtual void flush(std::chrono::milliseconds timeout) = 0;
  // Records refused for good since this producer was made; never decreases.
  // A refusal fails whichever flush sees it first, so code sharing one
  // producer compares this before and after its own flush to learn whether
  // one of its records may be among the lost.
  virtual int64_t refused_records() const = 0;
};

class BusConsumer {
 public:
  virtual ~BusConsumer() = default;
  // Called on every (re)assignment before consumption starts. It may set
  // `offset` of each partition, e.g. to offsets stored in the database.
  using AssignListener = std::function<void(std::vector<TopicPartition>&)>;
  virtual void subscribe(const std::vector<std::string>& topics,
                         AssignListener on_assign = nullptr) = 0;
  // Returns the next record, or nullopt when none arrived within `timeout`.
  virtual std::optional<BusMessage> poll(std::chrono::milliseconds timeout) = 0;
  // Commits "consumed up to and including msg" for the group (synchronous).
  virtual void commit(const std::vector<TopicPartition>& next_offsets) = 0;
  // Current assignment (for lag reporting).
  virtual std::vector<TopicPartition> assignment() = 0;
  // Lag per assigned partition: high watermark minus position; -1 if unknown.
  virtual std::vector<std::pair<TopicPartition, int64_t>> lag() = 0;
  virtual void close() = 0;
};

// Creates producers and consumers of one transport (Kafka or in-process).
class Bus {
 public:
  virtual ~Bus() = default;
  virtual std::unique_ptr<BusProducer> producer() = 0;
  virtual std::unique_ptr<BusConsumer> consumer(const std::string& group_id) = 0;
};

}  // namespace jirasync
