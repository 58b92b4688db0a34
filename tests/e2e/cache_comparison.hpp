#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/model/jira_issue.hpp"
#include "common/store/store_test_support.hpp"

namespace jirasync::e2e {

// Every issue of `project` as Jira (the simulator) serves it with every field,
// parsed as the cache parses it, by id. Pages search/jql: these requests count
// at the simulator, so read its counters before calling this.
std::map<std::string, JiraIssue> jira_truth(const std::string& base_url,
                                            const std::string& project);

// The same, but an issue the parser refuses is listed by id instead of throwing.
struct JiraTruth {
  std::map<std::string, JiraIssue> issues;
  std::vector<std::string> unparsable;
};
JiraTruth jira_truth_except_unparsable(const std::string& base_url, const std::string& project);

// Every live (not deleted) cached ticket of `project`, by id.
std::map<std::string, JiraIssue> cached_issues(testing::SqlTicketTables& store,
                                               const std::string& project);

// What differs between Jira and the cache: one line per missing, extra or
// different issue (naming the fields), at most `limit` lines. Empty = equal.
std::vector<std::string> differences(const std::map<std::string, JiraIssue>& jira,
                                     const std::map<std::string, JiraIssue>& cache,
                                     size_t limit = 20);

// The fields in which two issues differ ("status, labels").
std::string differing_fields(const JiraIssue& a, const JiraIssue& b);

}  // namespace jirasync::e2e
