#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "common/store/sync_run.hpp"

namespace jirasync {

// Shows a run's progress: a live bar redrawn in place on a terminal, a plain
// line every few seconds otherwise (logs, CI).
class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out);
  void update(const SyncRun& run, int64_t now_ms);
  void finish(const SyncRun& run);

 private:
  std::FILE* out_;
  bool tty_;
  int64_t last_plain_ms_ = 0;
  int64_t started_ms_ = 0;
};

// "12.3 s", "4 m 05 s"
std::string format_duration(int64_t ms);

}  // namespace jirasync
