#include "common/store/sync_run.hpp"

#include "common/json/payload_error.hpp"

namespace jirasync {

const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::kQueued:
      return "queued";
    case RunStatus::kRunning:
      return "running";
    case RunStatus::kRetryWait:
      return "retry_wait";
    case RunStatus::kSuccess:
      return "success";
    case RunStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

RunStatus run_status_from_string(const std::string& s) {
  for (RunStatus status : {RunStatus::kQueued, RunStatus::kRunning, RunStatus::kRetryWait,
                           RunStatus::kSuccess, RunStatus::kFailed}) {
    if (s == to_string(status)) return status;
  }
  throw PayloadError("status", "unknown run status '" + s +
                                   "' (expected queued, running, retry_wait, success or failed)");
}

}  // namespace jirasync
