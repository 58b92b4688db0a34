#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "common/bus/bus.hpp"

namespace jirasync::fakes {

// A BusProducer that keeps what was produced, for assertions.
class RecordingProducer final : public BusProducer {
 public:
  struct Record {
    std::string topic, key, value;
  };
  void produce(const std::string& topic, const std::string& key,
               const std::string& value) override {
    std::lock_guard lk(mu_);
    records.push_back({topic, key, value});
  }
  void flush(std::chrono::milliseconds) override { ++flushes; }
  int64_t refused_records() const override { return 0; }

  std::vector<Record> records;
  int flushes = 0;

 private:
  std::mutex mu_;
};

}  // namespace jirasync::fakes
