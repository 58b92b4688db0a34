#include "services/api/issue_refresh.hpp"

#include <set>

#include "common/clock/clock.hpp"
#include "common/store/run_store.hpp"
#include "common/store/ticket_freshness.hpp"
#include "common/time/duration_text.hpp"

namespace jirasync {
namespace {

// How often the run table is read while waiting.
constexpr int64_t kPollMs = 50;

bool ended(const SyncRun& run) {
  return run.status == RunStatus::kSuccess || run.status == RunStatus::kFailed;
}

void add_note(std::string& note, const std::string& more) {
  note += (note.empty() ? "" : "; ") + more;
}

}  // namespace

RefreshWait refresh_and_wait(ApiContext& ctx, const std::vector<IssueToRefresh>& issues,
                             int64_t budget_ms, const std::string& why) {
  RefreshWait out;
  std::map<std::string, std::vector<const IssueToRefresh*>> by_project;
  for (const auto& i : issues) by_project[i.project].push_back(&i);
  std::map<std::string, std::string> run_of;  // project -> run id
  for (const auto& [project, list] : by_project) {
    std::vector<std::string> keys;
    for (const auto* i : list) keys.push_back(i->key);
    try {
      run_of[project] = ctx.sync.request(project, JobKind::kRefresh, keys, why).run_id;
    } catch (const std::exception& e) {
      add_note(out.note, "refresh of " + project + " not started: " + e.what());
    }
  }
  const int64_t deadline = ctx.clock.now_ms() + budget_ms;
  std::set<std::string> waiting;
  for (const auto& [project, run_id] : run_of) waiting.insert(project);
  while (!waiting.empty()) {
    for (auto it = waiting.begin(); it != waiting.end();) {
      const auto run = ctx.runs.get_run(run_of.at(*it));
      if (!run) {
        add_note(out.note, "run " + run_of.at(*it) + " of " + *it + " is gone");
        it = waiting.erase(it);
      } else if (ended(*run)) {
        if (run->status == RunStatus::kFailed) {
          add_note(out.note, "refresh run " + run->id + " of " + *it + " failed: " + run->error);
        } else {
          std::vector<std::string> checked;
          for (const auto* i : by_project.at(*it))
            if (!i->id.empty()) checked.push_back(i->id);
          ctx.freshness.mark_checked(checked, run->started_ms.value_or(run->created_ms));
          out.done_projects.push_back(*it);
        }
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    if (waiting.empty()) break;
    if (ctx.clock.now_ms() >= deadline) {
      for (const auto& project : waiting)
        add_note(out.note, "refresh run " + run_of.at(project) + " of " + project +
                               " did not finish within " + format_duration_text(budget_ms) +
                               ": showing the cached issue");
      break;
    }
    ctx.clock.sleep_ms(kPollMs);
  }
  return out;
}

std::map<std::string, IssueOrigin> origins_of(ApiContext& ctx,
                                              const std::vector<std::string>& ids) {
  std::map<std::string, IssueOrigin> out;
  for (const auto& [id, age] : ctx.freshness.ages(ids)) out[id] = origin_of(ctx, age);
  return out;
}

}  // namespace jirasync
