#include "services/api/pipeline_sync_requests.hpp"

namespace jirasync {

SyncRequests::Started PipelineSyncRequests::request(const std::string& project, JobKind kind,
                                                    const std::vector<std::string>& keys,
                                                    const std::string& why) {
  const auto result = trigger_.trigger(project, kind, keys, why);
  return {result.run.id, result.run.project, result.started};
}

}  // namespace jirasync
