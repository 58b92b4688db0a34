#pragma once

#include <prometheus/registry.h>

#include <string>

namespace jirasync {

// The sum of a metric family's series, or -1 when the family is not registered.
inline double metric_value(prometheus::Registry& registry, const std::string& name) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    double total = 0;
    for (const auto& m : family.metric)
      total += family.type == prometheus::MetricType::Gauge ? m.gauge.value : m.counter.value;
    return total;
  }
  return -1;
}

}  // namespace jirasync
