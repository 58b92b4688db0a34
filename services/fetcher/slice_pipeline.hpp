#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/jira/jira_client.hpp"
#include "common/store/run_slices.hpp"
#include "common/store/run_store.hpp"
#include "services/fetcher/fetch_slice.hpp"
#include "services/fetcher/fetcher_probe.hpp"
#include "services/fetcher/fetcher_settings.hpp"
#include "services/fetcher/in_flight_slots.hpp"
#include "services/fetcher/request_workers.hpp"
#include "services/fetcher/shared_rate_limit.hpp"

namespace jirasync {

// The fetcher's part of every sliced run: takes slices from fetch.slices (one
// consumer group for all fetchers, so each slice goes to one of them), keeps
// up to jira.concurrency of them in flight, emits their issues on issues.raw
// and records each on its run. A slice's offset is committed only after its
// issues were acknowledged by the broker and the slice recorded, in the order
// the slices came, so a fetcher killed mid-slice leaves it to be delivered
// again (recorded slices are then skipped). A slice that fails after its
// retries fails its run's attempt, and the run's other slices are skipped.
class SlicePipeline {
 public:
  SlicePipeline(const FetcherSettings& settings, Bus& bus, JiraClient& client, RunStore& runs,
                RunSlices& slices, SharedRateLimit& rate_limit, InFlightSlots& slots, Clock& clock,
                FetcherProbe& probe);
  ~SlicePipeline();

  // Starts what fits in flight and commits what finished, in order. Waits up
  // to `wait` for a slice when none is in flight. True when it did anything.
  bool step(const std::atomic<bool>& stop, std::chrono::milliseconds wait);
  // Steps until `stop`; then waits for the slices in flight (committing
  // those that finished).
  void run(const std::atomic<bool>& stop);

 private:
  enum class Outcome { kCommit, kInterrupted };
  struct Pending {
    BusMessage msg;
    std::future<Outcome> outcome;
  };
  Outcome handle(const BusMessage& msg, const std::atomic<bool>& stop);
  Outcome fetch(const FetchSlice& slice, const std::atomic<bool>& stop);
  // While its records wait for the broker.
  void keep_lease(const std::string& run_id);
  void fail_attempt(const FetchSlice& slice, const std::exception& error,
                    const std::atomic<bool>& stop);
  // Commits the finished slices at the front; false when one was interrupted.
  bool commit_finished(bool wait_for_front);
  // Waits for every slice in flight and commits those before the first
  // interrupted one; the rest come again.
  void drain();
  // A slice was interrupted without a stop (the broker refused its records):
  // a new consumer, so the group delivers it again.
  void resubscribe();

  const FetcherSettings& settings_;
  Bus& bus_;
  JiraClient& client_;
  RunStore& runs_;
  RunSlices& slices_;
  SharedRateLimit& rate_limit_;
  InFlightSlots& slots_;
  Clock& clock_;
  FetcherProbe& probe_;
  std::string raw_topic_;
  std::string slice_topic_;
  std::string deadletter_topic_;
  std::string name_;  // "host:pid", recorded with each slice it fetched
  std::unique_ptr<BusProducer> producer_;
  std::unique_ptr<BusConsumer> consumer_;
  size_t window_;
  std::deque<Pending> pending_;
  std::mutex mutex_;
  std::condition_variable finished_;
  size_t running_ = 0;           // slices whose fetch has not returned yet
  uint64_t finished_count_ = 0;  // fetches returned so far
  uint64_t finished_seen_ = 0;   // ... as of the last commit pass
  RequestWorkers workers_;       // last: its threads stop before what they use goes
};

}  // namespace jirasync
