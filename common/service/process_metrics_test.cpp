#include "common/service/process_metrics.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/runtime/version.hpp"
#include "tests/support/metric_series.hpp"

namespace jirasync {
namespace {

namespace fs = std::filesystem;

// A /proc/self of the test's own making.
class FakeProc {
 public:
  FakeProc() : dir_(fs::temp_directory_path() / ("jirasync-proc-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_ / "fd");
  }
  ~FakeProc() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // utime and stime in clock ticks; a command name with spaces and parentheses.
  void stat(long utime, long stime) {
    std::ofstream(dir_ / "stat") << "4242 (odd (name) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                                 << utime << " " << stime
                                 << " 0 0 20 0 3 0 5000 1000 250 18446744073709551615\n";
  }
  void statm(long size_pages, long resident_pages) {
    std::ofstream(dir_ / "statm") << size_pages << " " << resident_pages << " 10 20 0 30 0\n";
  }
  void open_fd(const std::string& name) { std::ofstream(dir_ / "fd" / name) << ""; }
  std::string path() const { return dir_.string(); }

 private:
  fs::path dir_;
};

double ticks() {
  return static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST(ProcessMetrics, CpuAndMemoryFollowProcAtEachRefresh) {
  FakeProc proc;
  proc.stat(3 * static_cast<long>(ticks()), 1 * static_cast<long>(ticks()));
  proc.statm(1000, 250);
  proc.open_fd("0");
  proc.open_fd("1");
  prometheus::Registry registry;
  ProcessMetrics metrics(registry, proc.path());
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  EXPECT_EQ(series_value(registry, "process_cpu_seconds_total", {}), 4);
  EXPECT_EQ(series_value(registry, "process_resident_memory_bytes", {}), 250 * page);
  EXPECT_EQ(series_value(registry, "process_virtual_memory_bytes", {}), 1000 * page);
  EXPECT_EQ(series_value(registry, "process_open_fds", {}), 2);
  EXPECT_GT(series_value(registry, "process_start_time_seconds", {}).value_or(0), 5000 / ticks());

  proc.stat(10 * static_cast<long>(ticks()), 2 * static_cast<long>(ticks()));
  proc.statm(1200, 400);
  proc.open_fd("7");
  metrics.refresh();
  EXPECT_EQ(series_value(registry, "process_cpu_seconds_total", {}), 12);
  EXPECT_EQ(series_value(registry, "process_resident_memory_bytes", {}), 400 * page);
  EXPECT_EQ(series_value(registry, "process_open_fds", {}), 3);
}

TEST(ProcessMetrics, ReadsTheRealProcOfThisProcess) {
  prometheus::Registry registry;
  ProcessMetrics metrics(registry);
  EXPECT_GT(series_value(registry, "process_resident_memory_bytes", {}).value_or(0), 1024 * 1024);
  EXPECT_GT(series_value(registry, "process_open_fds", {}).value_or(0), 2);
  EXPECT_GT(series_value(registry, "process_start_time_seconds", {}).value_or(0), 1.6e9);
}

TEST(ProcessMetrics, BuildInfoNamesTheVersionAndCommit) {
  prometheus::Registry registry;
  ProcessMetrics metrics(registry, "/nonexistent");
  EXPECT_EQ(series_value(registry, "jirasync_build_info",
                         {{"version", kJirasyncVersion}, {"commit", build_commit()}}),
            1);
  EXPECT_STRNE(build_commit(), "");
  EXPECT_EQ(series_value(registry, "process_cpu_seconds_total", {}), 0)
      << "an unreadable /proc leaves the metrics alone";
}

}  // namespace
}  // namespace jirasync
