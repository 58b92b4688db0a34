#include "cli/run_wait.hpp"

#include <stdexcept>

#include "cli/progress_line.hpp"

namespace jirasync {

bool wait_for_runs(RunStore& runs, const std::vector<std::string>& run_ids,
                   const std::function<bool()>& abort, Clock& clock) {
  bool all_ok = true;
  for (const auto& id : run_ids) {
    ProgressLine progress(stdout);
    for (;;) {
      auto run = runs.get_run(id);
      if (!run) throw std::runtime_error("run " + id + " disappeared");
      if (run->status == RunStatus::kSuccess || run->status == RunStatus::kFailed) {
        progress.finish(*run);
        all_ok = all_ok && run->status == RunStatus::kSuccess;
        break;
      }
      progress.update(*run, clock.now_ms());
      if (abort()) return false;
      clock.sleep_ms(kRunWaitPollMs);
    }
  }
  return all_ok;
}

}  // namespace jirasync
