#include "tests/jirasim/page_mutator.hpp"

#include <algorithm>
#include <unordered_set>

#include "tests/jirasim/sim_options.hpp"
#include "tests/jirasim/sim_random.hpp"
#include "tests/jirasim/simulator.hpp"

namespace jirasim {
namespace {

// Issues something points at as its parent. Deleting one of those in Jira
// deletes its sub-tasks or unlinks its children, which the simulator does
// not model; they are never picked for deletion.
std::unordered_set<int64_t> parents(Simulator& sim) {
  std::vector<IssuePtr> all;
  sim.store().searchable_issues(all);
  std::unordered_set<int64_t> out;
  for (const IssuePtr& i : all) {
    if (i && i->parent_id != 0) out.insert(i->parent_id);
  }
  return out;
}

// Up to `n` distinct live issues of `project`, none of them in `excluded`.
std::vector<int64_t> pick(Simulator& sim, const std::string& project, int n, SimRandom& r,
                          const std::unordered_set<int64_t>& excluded = {}) {
  std::vector<int64_t> out;
  if (n <= 0) return out;
  for (int64_t id : sim.store().sample_ids(static_cast<size_t>(n) * 8 + 16, r)) {
    IssuePtr issue = sim.store().get(id);
    if (!issue || issue->project_key != project || excluded.count(id)) continue;
    if (std::find(out.begin(), out.end(), id) != out.end()) continue;
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
  const std::vector<int64_t> edits = pick(sim, m.project, m.edits, r);
  for (auto it = edits.begin(); it != edits.end(); ++it) {
    auto change = sim.store().update(
        *it,
        [&](SimIssue& i) {
          SimRandom edit(r.next());
          sim.generator().mutate(i, edit);
        },
        who);
    if (change && change->after) sim.events().issue_changed(*change, who);
  }
  if (m.deletes > 0) {
    for (int64_t id : pick(sim, m.project, m.deletes, r, parents(sim))) {
      if (auto change = sim.store().remove(id)) sim.events().issue_changed(*change, who);
    }
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
