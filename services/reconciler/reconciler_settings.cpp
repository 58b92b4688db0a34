#include "services/reconciler/reconciler_settings.hpp"

namespace jirasync {

ReconcilerSettings ReconcilerSettings::from(const Config& config) {
  ReconcilerSettings s;
  s.topic_prefix = config.kafka.topic_prefix;
  s.projects = config.projects;
  s.limits.max_issue_bytes = static_cast<size_t>(config.max_issue_bytes);
  s.limits.max_field_bytes = static_cast<size_t>(config.max_field_bytes);
  s.max_batch = config.reconciler_batch_size;
  s.linger_ms = config.reconciler_linger_ms;
  return s;
}

}  // namespace jirasync
