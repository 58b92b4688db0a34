#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include "common/config/config.hpp"
#include "common/service/readiness.hpp"

namespace jirasync {

// A role's dependencies as the config names them: "database" (SELECT 1 on
// database_url) and, for the Kafka bus, "kafka" (a metadata request). The
// in-process bus lives in the process and is always reachable: no probe.
// Each check gives up after `timeout`.
std::vector<std::unique_ptr<ReadinessProbe>> dependency_probes(const Config& config,
                                                               std::chrono::milliseconds timeout);

}  // namespace jirasync
