#pragma once

// Shared by the JQL engine's unit tests: small issue builders and a scan.

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include <date/date.h>

#include "tests/jirasim/jql/jql.hpp"

namespace jirasim::jql::testing {

// Epoch ms of a UTC wall time (independent of the engine's zone code).
inline int64_t utc_ms(int y, int mo, int d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  const auto day = date::sys_days{date::year{y} / mo / d};
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count() +
         ((h * 60LL + mi) * 60 + s) * 1000 + ms;
}

inline SimIssue issue(int64_t id, const std::string& key) {
  SimIssue i;
  i.id = id;
  i.key = key;
  i.project_key = key.substr(0, key.find('-'));
  i.project_id = i.project_key == "ABC" ? 10000 : 10001;
  i.issue_type = "Task";
  i.status = "To Do";
  i.status_category = "new";
  i.priority = "Medium";
  i.reporter_id = "acc-rep";
  i.created_ms = utc_ms(2024, 12, 1);
  i.updated_ms = utc_ms(2024, 12, 1);
  i.summary = "Issue " + key;
  return i;
}

// Keys of the issues matching `jql`, in input order.
inline std::vector<std::string> keys_matching(const std::string& jql,
                                              const std::vector<SimIssue>& issues,
                                              const EvalContext& ctx) {
  auto q = parse(jql);
  std::vector<std::string> out;
  for (const auto& i : issues) {
    if (q->matches(i, ctx)) out.push_back(i.key);
  }
  return out;
}

// Keys of the matching issues in ORDER BY order.
inline std::vector<std::string> keys_sorted(const std::string& jql, std::vector<SimIssue> issues,
                                            const EvalContext& ctx) {
  auto q = parse(jql);
  std::erase_if(issues, [&](const SimIssue& i) { return !q->matches(i, ctx); });
  std::sort(issues.begin(), issues.end(),
            [&](const SimIssue& a, const SimIssue& b) { return order_less(q->order_by(), a, b); });
  std::vector<std::string> out;
  for (const auto& i : issues) out.push_back(i.key);
  return out;
}

// The message of the JqlError that parse (or, with issues, evaluation) throws; "" if none.
inline std::string error_of(const std::string& jql) {
  try {
    parse(jql);
  } catch (const JqlError& e) {
    return e.what();
  }
  return "";
}

}  // namespace jirasim::jql::testing
