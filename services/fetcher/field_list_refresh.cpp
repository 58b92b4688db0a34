#include "services/fetcher/field_list_refresh.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace jirasync {

bool FieldListRefresh::refresh_if_due(JiraClient& client, bool full_sync) {
  try {
    const auto fetched = catalog_.fetched_ms();
    const int64_t age = fetched ? clock_.now_ms() - *fetched : kMaxAgeMs;
    if (age < (full_sync ? kFullSyncRereadMs : kMaxAgeMs)) return false;
    rate_limit_.acquire();
    std::vector<CatalogField> fields;
    for (JiraField& f : client.field_list()) {
      fields.push_back({std::move(f.id), std::move(f.name), f.custom});
    }
    catalog_.replace_all(fields, clock_.now_ms());
    spdlog::info("stored Jira's field list ({} fields)", fields.size());
    return true;
  } catch (const JiraError& e) {
    if (e.http_status() == 429 && e.retry_after_ms()) rate_limit_.block_for(*e.retry_after_ms());
    spdlog::warn("Jira's field list not read (custom field names keep the stored list): {}",
                 e.what());
  } catch (const std::exception& e) {
    spdlog::warn("Jira's field list not stored (custom field names keep the stored list): {}",
                 e.what());
  }
  return false;
}

}  // namespace jirasync
