#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/registry.h>

#include "common/bus/bus.hpp"
#include "common/clock/clock.hpp"
#include "common/envelope/decision.hpp"
#include "common/model/issue_parser.hpp"
#include "common/store/ticket_cache.hpp"
#include "services/reconciler/conflict_policy.hpp"
#include "services/reconciler/reconciler_probe.hpp"
#include "services/reconciler/reconciler_settings.hpp"

namespace jirasync {

// The reconciler role: consumes `issues.raw`, compares every snapshot with the
// cache and produces what the writer must do to `issues.decided`. Offsets are
// committed only after the decisions are acknowledged (at-least-once; the
// writer is idempotent). Malformed records go to the dead-letter topic and,
// when they belong to a run, a kReject decision so the run counts them.
class Reconciler {
 public:
  // The consumer group is "<topic prefix>reconciler" (consumer_group()).
  static constexpr const char* kRole = "reconciler";
  const std::string& group() const { return group_; }

  Reconciler(const ReconcilerSettings& settings, Bus& bus, TicketCache& store, Clock& clock,
             prometheus::Registry& registry);
  ~Reconciler();
  Reconciler(const Reconciler&) = delete;
  Reconciler& operator=(const Reconciler&) = delete;

  // One round: poll a batch (or retry the held one after a failure), decide,
  // produce, flush, commit. Returns true when a batch was completed.
  bool step();
  // Runs rounds until `stop` is set, then closes the consumer.
  void run(const std::atomic<bool>& stop);

 private:
  std::vector<BusMessage> poll_batch();
  void process(const std::vector<BusMessage>& batch);
  void dead_letter(const BusMessage& msg, const std::string& reason);
  void count(const Decision& decision);
  void log_progress();

  TicketCache& store_;
  Clock& clock_;
  ReconcilerSettings settings_;
  ConflictPolicies policies_;
  ParseLimits limits_;
  std::string raw_topic_;
  std::string decided_topic_;
  std::string deadletter_topic_;
  std::unique_ptr<BusProducer> producer_;
  std::string group_;
  std::unique_ptr<BusConsumer> consumer_;

  // A batch that failed on the store or the bus; retried as a whole, so no
  // record is committed before its decision is acknowledged.
  std::optional<std::vector<BusMessage>> held_;
  int64_t retry_at_ms_ = 0;
  int64_t backoff_ms_ = 0;

  ReconcilerProbe probe_;

  int64_t last_progress_ms_ = 0;
  int64_t records_logged_ = 0;
};

}  // namespace jirasync
