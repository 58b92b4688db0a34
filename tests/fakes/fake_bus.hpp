#pragma once

// Test double for the Bus seam: an in-memory log per topic partition whose
// poll() never waits, so tests drive consumers step by step without threads.
// Records partitions, commits, assignments and flushes for assertions.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/bus/bus.hpp"

namespace jirasync::fakes {

class FakeBus final : public Bus {
 public:
  using PartitionKey = std::pair<std::string, int32_t>;

  void set_partitions(const std::string& topic, int32_t n) { partitions_[topic] = n; }
  int32_t partitions(const std::string& topic) const {
    auto it = partitions_.find(topic);
    return it == partitions_.end() ? 1 : it->second;
  }

  // Appends a record as a producer would (same key, same partition).
  BusMessage append(const std::string& topic, const std::string& key, const std::string& value) {
    const int32_t partition = static_cast<int32_t>(std::hash<std::string>{}(key) %
                                                   static_cast<size_t>(partitions(topic)));
    return append_to(topic, partition, key, value);
  }
  BusMessage append_to(const std::string& topic, int32_t partition, const std::string& key,
                       const std::string& value) {
    auto& log = logs_[{topic, partition}];
    BusMessage m{topic, partition, static_cast<int64_t>(log.size()), key, value};
    log.push_back(m);
    return m;
  }

  // Every record of a topic, partition by partition.
  std::vector<BusMessage> records(const std::string& topic) const {
    std::vector<BusMessage> out;
    for (const auto& [tp, log] : logs_) {
      if (tp.first == topic) out.insert(out.end(), log.begin(), log.end());
    }
    return out;
  }
  const std::vector<BusMessage>& log(const std::string& topic, int32_t partition) {
    return logs_[{topic, partition}];
  }

  // Kafka-committed offsets (next offset to consume) per group.
  std::map<PartitionKey, int64_t>& committed(const std::string& group) { return committed_[group]; }
  int commit_calls(const std::string& group) const {
    auto it = commit_calls_.find(group);
    return it == commit_calls_.end() ? 0 : it->second;
  }

  // Called after every commit (lets a test stop a run loop on this thread).
  std::function<void()> on_commit;
  // Called at every poll.
  std::function<void()> on_poll;

  // Failure injection.
  int fail_next_flushes = 0;
  int flushes = 0;

  // Forces every consumer to be reassigned on its next poll (a rebalance).
  void rebalance() { ++generation_; }

  std::unique_ptr<BusProducer> producer() override { return std::make_unique<Producer>(*this); }
  std::unique_ptr<BusConsumer> consumer(const std::string& group_id) override {
    return std::make_unique<Consumer>(*this, group_id);
  }

 private:
  class Producer final : public BusProducer {
   public:
    explicit Producer(FakeBus& bus) : bus_(bus) {}
    void produce(const std::string& topic, const std::string& key,
                 const std::string& value) override {
      bus_.append(topic, key, value);
    }
    void flush(std::chrono::milliseconds) override {
      ++bus_.flushes;
      if (bus_.fail_next_flushes > 0) {
        --bus_.fail_next_flushes;
        ++refused_;
        throw BusError("fake flush failure");
      }
    }
    int64_t refused_records() const override { return refused_; }

   private:
    FakeBus& bus_;
    int64_t refused_ = 0;
  };

  class Consumer final : public BusConsumer {
   public:
    Consumer(FakeBus& bus, std::string group) : bus_(bus), group_(std::move(group)) {}
    void subscribe(const std::vector<std::string>& topics, AssignListener on_assign) override {
      topics_ = topics;
      on_assign_ = std::move(on_assign);
      generation_ = -1;
    }
    std::optional<BusMessage> poll(std::chrono::milliseconds) override {
      if (closed_) throw BusError("consumer closed");
      if (bus_.on_poll) bus_.on_poll();
      if (generation_ != bus_.generation_) assign();
      for (auto& [tp, position] : positions_) {
        const auto& log = bus_.logs_[tp];
        if (position < static_cast<int64_t>(log.size())) return log[position++];
      }
      return std::nullopt;
    }
    void commit(const std::vector<TopicPartition>& next_offsets) override {
      ++bus_.commit_calls_[group_];
      for (const auto& tp : next_offsets)
        bus_.committed_[group_][{tp.topic, tp.partition}] = tp.offset;
      if (bus_.on_commit) bus_.on_commit();
    }
    std::vector<TopicPartition> assignment() override {
      std::vector<TopicPartition> out;
      for (const auto& [tp, position] : positions_) out.push_back({tp.first, tp.second, position});
      return out;
    }
    std::vector<std::pair<TopicPartition, int64_t>> lag() override {
      std::vector<std::pair<TopicPartition, int64_t>> out;
      for (const auto& [tp, position] : positions_) {
        const auto size = static_cast<int64_t>(bus_.logs_[tp].size());
        out.push_back({{tp.first, tp.second, position}, size - position});
      }
      return out;
    }
    void close() override { closed_ = true; }

    int assignments = 0;

   private:
    void assign() {
      generation_ = bus_.generation_;
      std::vector<TopicPartition> parts;
      for (const auto& topic : topics_) {
        for (int32_t p = 0; p < bus_.partitions(topic); ++p) parts.push_back({topic, p});
      }
      if (on_assign_) on_assign_(parts);
      positions_.clear();
      for (const auto& tp : parts) {
        const auto size = static_cast<int64_t>(bus_.logs_[{tp.topic, tp.partition}].size());
        int64_t position = tp.offset;
        if (position == TopicPartition::kOffsetStored) {
          auto& committed = bus_.committed_[group_];
          auto it = committed.find({tp.topic, tp.partition});
          position = it == committed.end() ? 0 : it->second;
        } else if (position == TopicPartition::kOffsetBeginning) {
          position = 0;
        } else if (position == TopicPartition::kOffsetEnd) {
          position = size;
        }
        positions_[{tp.topic, tp.partition}] = position;
      }
    }

    FakeBus& bus_;
    std::string group_;
    std::vector<std::string> topics_;
    AssignListener on_assign_;
    std::map<PartitionKey, int64_t> positions_;
    int generation_ = -1;
    bool closed_ = false;
  };

  std::map<std::string, int32_t> partitions_;
  std::map<PartitionKey, std::vector<BusMessage>> logs_;
  std::map<std::string, std::map<PartitionKey, int64_t>> committed_;
  std::map<std::string, int> commit_calls_;
  int generation_ = 0;
};

}  // namespace jirasync::fakes
