#include "tests/jirasim/page_mutator.hpp"

#include <algorithm>

#include "tests/jirasim/sim_options.hpp"
#include "tests/jirasim/sim_random.hpp"
#include "tests/jirasim/simulator.hpp"

namespace jirasim {
namespace {

// Up to `n` distinct live issues of `project`.
std::vector<int64_t> pick(Simulator& sim, const std::string& project, int n, SimRandom& r) {
  std::vector<int64_t> out;
  if (n <= 0) return out;
  for (int64_t id : sim.store().sample_ids(static_cast<size_t>(n) * 8 + 16, r)) {
    IssuePtr issue = sim.store().get(id);
    if (!issue || issue->project_key != project) continue;
    out.push_back(id);
    if (static_cast<int>(out.size()) == n) break;
  }
  return out;
}

}  // namespace

void mutate_project(Simulator& sim, const PageMutations& m, uint64_t round) {
  if (!m.enabled() || !sim.store().project(m.project)) return;
  SimRandom r(mix(sim.options().seed, 0x9a9e, round));
  const std::string who = demo_user().account_id;
  std::vector<int64_t> edits = pick(sim, m.project, m.edits + m.deletes, r);
  const auto split = edits.begin() + std::min<std::ptrdiff_t>(m.edits, std::ssize(edits));
  for (auto it = edits.begin(); it != split; ++it) {
    auto change = sim.store().update(
        *it,
        [&](SimIssue& i) {
          SimRandom edit(r.next());
          sim.generator().mutate(i, edit);
        },
        who);
    if (change && change->after) sim.events().issue_changed(*change, who);
  }
  for (auto it = split; it != edits.end(); ++it) {
    if (auto change = sim.store().remove(*it)) sim.events().issue_changed(*change, who);
  }
  for (int i = 0; i < m.creates; ++i) {
    SimIssue draft;
    draft.project_key = m.project;
    draft.issue_type = "Task";
    draft.status = "To Do";
    draft.status_category = "new";
    draft.priority = "Medium";
    draft.summary =
        "Created while a client paged (" + std::to_string(round) + "." + std::to_string(i) + ")";
    draft.description_adf = "null";
    IssueChange change = sim.store().create(std::move(draft), who);
    sim.events().issue_changed(change, who);
  }
}

}  // namespace jirasim
