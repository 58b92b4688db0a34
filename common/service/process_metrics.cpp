#include "common/service/process_metrics.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/runtime/version.hpp"

#ifndef JIRASYNC_COMMIT
#define JIRASYNC_COMMIT "unknown"
#endif

namespace jirasync {

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The fields of /proc/<pid>/stat after the command name, which may itself
// hold spaces and parentheses: fields[0] is field 3 (state) of proc(5).
std::vector<std::string> stat_fields(const std::string& stat) {
  const auto close = stat.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream in(stat.substr(close + 1));
  for (std::string f; in >> f;) fields.push_back(f);
  return fields;
}

// Boot time from /proc/stat ("btime <unix seconds>"); 0 when unreadable.
double boot_time_seconds() {
  std::istringstream in(read_all("/proc/stat"));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  }
  return 0;
}

}  // namespace

const char* build_commit() {
  return JIRASYNC_COMMIT;
}

ProcessMetrics::ProcessMetrics(prometheus::Registry& registry, std::string proc_dir)
    : proc_dir_(std::move(proc_dir)),
      cpu_seconds_(prometheus::BuildCounter()
                       .Name("process_cpu_seconds_total")
                       .Help("User and system CPU time spent, in seconds")
                       .Register(registry)
                       .Add({})),
      resident_bytes_(prometheus::BuildGauge()
                          .Name("process_resident_memory_bytes")
                          .Help("Resident memory size, in bytes")
                          .Register(registry)
                          .Add({})),
      virtual_bytes_(prometheus::BuildGauge()
                         .Name("process_virtual_memory_bytes")
                         .Help("Virtual memory size, in bytes")
                         .Register(registry)
                         .Add({})),
      open_fds_(prometheus::BuildGauge()
                    .Name("process_open_fds")
                    .Help("Open file descriptors")
                    .Register(registry)
                    .Add({})),
      start_time_(prometheus::BuildGauge()
                      .Name("process_start_time_seconds")
                      .Help("Start time of the process since the Unix epoch, in seconds")
                      .Register(registry)
                      .Add({})) {
  prometheus::BuildGauge()
      .Name("jirasync_build_info")
      .Help("Always 1; the labels tell the version and the commit of the running build")
      .Register(registry)
      .Add({{"version", kJirasyncVersion}, {"commit", build_commit()}})
      .Set(1);
  refresh();
}

void ProcessMetrics::refresh() {
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  static const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  try {
    const auto fields = stat_fields(read_all(proc_dir_ + "/stat"));
    if (fields.size() > 19) {
      // utime and stime are fields 14 and 15, starttime field 22 (ticks since boot).
      const double cpu = (std::stod(fields[11]) + std::stod(fields[12])) / ticks;
      if (cpu > cpu_counted_) cpu_seconds_.Increment(cpu - cpu_counted_);
      cpu_counted_ = std::max(cpu_counted_, cpu);
      if (start_time_.Value() == 0) {
        start_time_.Set(boot_time_seconds() + std::stod(fields[19]) / ticks);
      }
    }
    std::istringstream statm(read_all(proc_dir_ + "/statm"));
    double size = 0, resident = 0;
    if (statm >> size >> resident) {
      virtual_bytes_.Set(size * page);
      resident_bytes_.Set(resident * page);
    }
  } catch (const std::exception&) {
    // A malformed number: keep the last values.
  }
  std::error_code ec;
  double fds = 0;
  for (std::filesystem::directory_iterator it(proc_dir_ + "/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++fds;
  }
  if (!ec) open_fds_.Set(fds);
}

}  // namespace jirasync
