#pragma once

#include <cstdint>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace jirasync {

// What the process itself costs, read from /proc/self at each scrape, with the
// names Prometheus's own client libraries use (so stock dashboards work):
// process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_start_time_seconds;
// and jirasync_build_info{version,commit} = 1, to tell which build answers.
class ProcessMetrics {
 public:
  // `proc_dir` is /proc/self; tests point it at a directory of their own.
  explicit ProcessMetrics(prometheus::Registry& registry, std::string proc_dir = "/proc/self");

  // Reads /proc again. Cheap (a few small files), so it runs on the HTTP
  // thread before each /metrics answer. A file that cannot be read leaves its
  // metric as it was.
  void refresh();

 private:
  std::string proc_dir_;
  prometheus::Counter& cpu_seconds_;
  prometheus::Gauge& resident_bytes_;
  prometheus::Gauge& virtual_bytes_;
  prometheus::Gauge& open_fds_;
  prometheus::Gauge& start_time_;
  double cpu_counted_ = 0;
};

// The commit this binary was built from ("unknown" outside a git checkout).
const char* build_commit();

}  // namespace jirasync
