#pragma once

#include <prometheus/registry.h>

#include <map>
#include <optional>
#include <string>

namespace jirasync {

// One series of a family: the series whose labels include every one of
// `labels` (the first such). A counter's or gauge's value, a histogram's
// sample count; nullopt when no series matches.
inline std::optional<double> series_value(prometheus::Registry& registry, const std::string& name,
                                          const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      size_t matched = 0;
      for (const auto& l : m.label) {
        const auto it = labels.find(l.name);
        if (it != labels.end() && it->second == l.value) ++matched;
      }
      if (matched != labels.size()) continue;
      switch (family.type) {
        case prometheus::MetricType::Gauge:
          return m.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(m.histogram.sample_count);
        default:
          return m.counter.value;
      }
    }
  }
  return std::nullopt;
}

}  // namespace jirasync
