#pragma once

#include "common/service/sync_trigger.hpp"
#include "services/api/api_context.hpp"

namespace jirasync {

// SyncRequests through a SyncTrigger: the run row (the project's lease), then
// its job on the jobs topic — Kafka for jirasync-api, the in-process bus for
// the embedded `jirasync run` (its scheduler's trigger).
class PipelineSyncRequests final : public SyncRequests {
 public:
  explicit PipelineSyncRequests(SyncTrigger& trigger) : trigger_(trigger) {}
  Started request(const std::string& project, JobKind kind, const std::vector<std::string>& keys,
                  const std::string& why) override;

 private:
  SyncTrigger& trigger_;
};

}  // namespace jirasync
