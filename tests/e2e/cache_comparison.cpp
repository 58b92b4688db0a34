#include "tests/e2e/cache_comparison.hpp"

#include <rapidjson/document.h>

#include <stdexcept>

#include "common/config/config.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/model/issue_parser.hpp"

namespace jirasync::e2e {
namespace {

std::string parse_issue_ref_text(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return "(not an object)";
  return parse_issue_ref(doc).id;
}

}  // namespace

JiraTruth jira_truth_except_unparsable(const std::string& base_url, const std::string& project) {
  JiraSettings settings;
  settings.base_url = base_url;
  settings.email = "demo@jirasim.test";
  settings.api_token = "jirasim-demo-token";
  settings.rate_per_s = 0;
  HttpJiraClient client(settings);
  SearchRequest request;
  request.jql = "project = " + project + " ORDER BY id ASC";
  request.fields = {"*all"};
  request.max_results = 100;
  JiraTruth out;
  for (int pages = 0;; ++pages) {
    if (pages > 100000) throw std::runtime_error("jira_truth: paging does not end");
    SearchPage page = client.search(request);
    for (const auto& text : page.issues) {
      try {
        JiraIssue issue = parse_complete_issue(text.json);
        out.issues.emplace(issue.id, std::move(issue));
      } catch (const std::exception&) {
        // Too deep to carry (text.json is empty): named by the id the reader saw.
        out.unparsable.push_back(text.unreadable.empty() ? parse_issue_ref_text(text.json)
                                                         : text.id);
      }
    }
    if (page.is_last || page.next_page_token.empty()) break;
    request.next_page_token = page.next_page_token;
  }
  return out;
}

std::map<std::string, JiraIssue> jira_truth(const std::string& base_url,
                                            const std::string& project) {
  JiraTruth truth = jira_truth_except_unparsable(base_url, project);
  if (!truth.unparsable.empty()) {
    throw std::runtime_error("Jira serves issue " + truth.unparsable.front() +
                             " that the parser refuses");
  }
  return std::move(truth.issues);
}

std::map<std::string, JiraIssue> cached_issues(testing::SqlTicketTables& store,
                                               const std::string& project) {
  std::vector<std::string> ids;
  for (const auto& t : store.list(project, 1000000)) {
    if (!t.deleted) ids.push_back(t.id);
  }
  std::map<std::string, JiraIssue> out;
  for (auto& [id, ticket] : store.load(ids)) out.emplace(id, ticket.issue);
  return out;
}

std::string differing_fields(const JiraIssue& a, const JiraIssue& b) {
  std::string out;
  auto check = [&](bool same, const char* name) {
    if (same) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  check(a.key == b.key, "key");
  check(a.project_key == b.project_key, "project_key");
  check(a.project_id == b.project_id, "project_id");
  check(a.issue_type == b.issue_type, "issue_type");
  check(a.subtask == b.subtask, "subtask");
  check(a.status == b.status, "status");
  check(a.status_category == b.status_category, "status_category");
  check(a.priority == b.priority, "priority");
  check(a.assignee == b.assignee, "assignee");
  check(a.reporter == b.reporter, "reporter");
  check(a.labels == b.labels, "labels");
  check(a.components == b.components, "components");
  check(a.fix_versions == b.fix_versions, "fix_versions");
  check(a.parent_id == b.parent_id, "parent_id");
  check(a.parent_key == b.parent_key, "parent_key");
  check(a.resolution == b.resolution, "resolution");
  check(a.created_ms == b.created_ms, "created_ms");
  check(a.updated_ms == b.updated_ms, "updated_ms");
  check(a.resolution_date_ms == b.resolution_date_ms, "resolution_date_ms");
  check(a.summary == b.summary, "summary");
  check(a.description_adf == b.description_adf, "description_adf");
  check(a.description_text == b.description_text, "description_text");
  check(a.custom_fields == b.custom_fields, "custom_fields");
  return out;
}

std::vector<std::string> differences(const std::map<std::string, JiraIssue>& jira,
                                     const std::map<std::string, JiraIssue>& cache, size_t limit) {
  std::vector<std::string> out;
  size_t missing = 0, extra = 0, different = 0;
  auto note = [&](const std::string& line) {
    if (out.size() < limit) out.push_back(line);
  };
  for (const auto& [id, issue] : jira) {
    auto it = cache.find(id);
    if (it == cache.end()) {
      ++missing;
      note("missing from the cache: " + issue.key + " (id " + id + ")");
    } else if (!(it->second == issue)) {
      ++different;
      note(issue.key + " (id " + id + ") differs in: " + differing_fields(issue, it->second));
    }
  }
  for (const auto& [id, issue] : cache) {
    if (!jira.count(id)) {
      ++extra;
      note("in the cache but not in Jira: " + issue.key + " (id " + id + ")");
    }
  }
  if (missing + extra + different > 0) {
    out.insert(out.begin(), std::to_string(missing) + " missing, " + std::to_string(extra) +
                                " extra, " + std::to_string(different) + " different (of " +
                                std::to_string(jira.size()) + " in Jira, " +
                                std::to_string(cache.size()) + " cached)");
  }
  return out;
}

}  // namespace jirasync::e2e
