#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tests/jirasim/people.hpp"
#include "tests/jirasim/sim_issue.hpp"
#include "tests/jirasim/sim_project.hpp"
#include "tests/jirasim/sim_random.hpp"

namespace jirasim {

struct ProjectSpec {
  std::string key;
  int64_t issue_count = 0;
};

// Deterministic site content for a seed: the same (seed, specs, data end) give
// byte-identical issues on every run. Issues are created over the two years
// before `data_end_ms`.
class IssueGenerator {
 public:
  static constexpr int64_t kFirstIssueId = 10001;

  IssueGenerator(uint64_t seed, int64_t data_end_ms, const People& people);

  std::vector<SimProject> projects(const std::vector<ProjectSpec>& specs) const;
  // Calls `sink` once per issue, in id order (ids kFirstIssueId, +1, ...).
  void generate(const std::vector<ProjectSpec>& specs,
                const std::function<void(SimIssue&&)>& sink) const;

  // One plausible edit (status transition, reassignment, label, priority,
  // summary or description edit). Leaves id, version and times to the store.
  void mutate(SimIssue& issue, SimRandom& r) const;

  std::string summary_for(uint64_t salt) const;
  uint64_t seed() const { return seed_; }

 private:
  // Index into issue_types() of issue `number` (1-based) of project `project`.
  size_t type_of(size_t project, int64_t number) const;
  std::string pick_person(SimRandom& r) const;
  // Due date, creator, versions, environment, comments, links, attachments,
  // time tracking of issue `number` of the project whose first id is base_id.
  void more_fields(SimIssue& issue, SimRandom& r, int64_t base_id, int64_t number) const;

  uint64_t seed_;
  int64_t data_end_ms_;
  const People& people_;
};

}  // namespace jirasim
