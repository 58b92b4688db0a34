#include "tests/e2e/cache_comparison.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <stdexcept>

#include "common/config/config.hpp"
#include "common/jira/http_jira_client.hpp"
#include "common/model/issue_parser.hpp"
#include "services/fetcher/comment_completion.hpp"

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
    for (auto& text : page.issues) {
      try {
        // As the fetcher does: the comments a page leaves out, from GET .../comment.
        complete_comments(text, [&](int64_t start_at) {
          return client.comments(text.id, start_at, kCommentPageSize);
        });
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

int64_t comment_pages_needed(const std::string& base_url, const std::string& project) {
  JiraSettings settings;
  settings.base_url = base_url;
  settings.email = "demo@jirasim.test";
  settings.api_token = "jirasim-demo-token";
  settings.rate_per_s = 0;
  HttpJiraClient client(settings);
  SearchRequest request;
  request.jql = "project = " + project + " ORDER BY id ASC";
  request.fields = {"comment"};
  request.max_results = 100;
  int64_t pages = 0;
  for (int n = 0;; ++n) {
    if (n > 100000) throw std::runtime_error("comment_pages_needed: paging does not end");
    SearchPage page = client.search(request);
    for (const auto& text : page.issues) {
      rapidjson::Document doc;
      doc.Parse(text.json.data(), text.json.size());
      if (doc.HasParseError() || !doc.IsObject()) continue;
      const auto& c = doc["fields"]["comment"];
      const int64_t total = c["total"].GetInt64();
      if (total > static_cast<int64_t>(c["comments"].Size())) {
        pages += (total + kCommentPageSize - 1) / kCommentPageSize;
      }
    }
    if (page.is_last || page.next_page_token.empty()) break;
    request.next_page_token = page.next_page_token;
  }
  return pages;
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
  check(a.due_date == b.due_date, "due_date");
  check(a.creator == b.creator, "creator");
  check(a.affected_versions == b.affected_versions, "affected_versions");
  check(a.environment_adf == b.environment_adf && a.environment_text == b.environment_text,
        "environment");
  check(a.comments == b.comments, "comments");
  if (a.links != b.links) {
    // Which ends differ: links go stale in ways the other fields do not.
    auto ends = [](const JiraIssue& i) {
      std::string text;
      for (const auto& l : i.links) text += " " + l.id + ":" + l.direction + ":" + l.other_key;
      return text;
    };
    check(false, ("links (Jira" + ends(a) + "; cache" + ends(b) + ")").c_str());
  }
  if (a.subtasks != b.subtasks) {
    auto keys = [](const JiraIssue& i) {
      std::string text;
      for (const auto& st : i.subtasks) text += " " + st.key;
      return text;
    };
    check(false, ("subtasks (Jira" + keys(a) + "; cache" + keys(b) + ")").c_str());
  }
  check(a.attachments == b.attachments, "attachments");
  check(a.time_tracking == b.time_tracking, "time_tracking");
  return out;
}

std::vector<std::string> differences(const std::map<std::string, JiraIssue>& jira,
                                     const std::map<std::string, JiraIssue>& cache, size_t limit) {
  std::vector<std::string> out;
  size_t missing = 0, extra = 0, different = 0;
  auto note = [&](const std::string& line) {
    if (out.size() < limit) out.push_back(line);
  };
  // Jira deletes an issue's links and its entry in the parent's sub-tasks
  // without touching the other issue (no new `updated`, so no sync reads it
  // again); the cache drops them only once it has the deletion itself
  // (docs/architecture.md, Data model). An end in a compared project that
  // Jira no longer has is such a leftover, not a difference.
  const std::string project = jira.empty() ? std::string() : jira.begin()->second.project_key;
  auto without_deleted_ends = [&](JiraIssue cached, const JiraIssue& in_jira) {
    auto leftover = [&](const std::string& other_id, const std::string& other_key) {
      return !jira.count(other_id) && other_key.substr(0, other_key.find('-')) == project;
    };
    std::erase_if(cached.links, [&](const JiraIssueLink& l) {
      return std::find(in_jira.links.begin(), in_jira.links.end(), l) == in_jira.links.end() &&
             leftover(l.other_id, l.other_key);
    });
    std::erase_if(cached.subtasks, [&](const JiraSubtaskRef& st) {
      return std::find(in_jira.subtasks.begin(), in_jira.subtasks.end(), st) ==
                 in_jira.subtasks.end() &&
             leftover(st.id, st.key);
    });
    return cached;
  };
  for (const auto& [id, issue] : jira) {
    auto it = cache.find(id);
    if (it == cache.end()) {
      ++missing;
      note("missing from the cache: " + issue.key + " (id " + id + ")");
    } else if (const JiraIssue cached = without_deleted_ends(it->second, issue);
               !(cached == issue)) {
      ++different;
      note(issue.key + " (id " + id + ") differs in: " + differing_fields(issue, cached));
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
