#include "tests/jirasim/issue_generator.hpp"

#include <algorithm>
#include <cstdio>

#include "tests/jirasim/adf_document.hpp"
#include "tests/jirasim/issue_catalog.hpp"

namespace jirasim {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr int64_t kTwoYearsMs = 730 * kDayMs;

constexpr const char* kVerbs[] = {"Fix",      "Investigate", "Add",     "Remove",  "Refactor",
                                  "Document", "Support",     "Migrate", "Speed up"};
constexpr const char* kObjects[] = {"login timeout on mobile",
                                    "CSV export of 10k rows",
                                    "time zone handling in reports",
                                    "webhook retries after 5xx",
                                    "search pagination with nextPageToken",
                                    "emoji in issue titles 🎉",
                                    "OAuth token refresh",
                                    "dark mode contrast on the board",
                                    "bulk edit of labels",
                                    "rate limit handling (429)",
                                    "attachments over 10 MB",
                                    "SLA timers across DST"};
constexpr const char* kForeignSummaries[] = {"Ошибка при сохранении профиля пользователя",
                                             "ログイン画面でクラッシュする",
                                             "修复支付回调超时问题",
                                             "검색 필터가 작동하지 않음",
                                             "Überprüfung der Rechnungsdaten schlägt fehl",
                                             "Отчёт за месяц не учитывает закрытые задачи",
                                             "通知メールが二重に送信される 📧",
                                             "导出 PDF 时中文字体丢失"};
constexpr const char* kLabels[] = {"backend",    "frontend",          "ux",        "tech-debt",
                                   "security",   "performance",       "регрессия", "需要复现",
                                   "flaky-test", "customer-reported", "🔥hotfix",   "a11y"};
constexpr const char* kComponents[] = {"API",    "Database", "Auth",         "Billing",
                                       "Mobile", "Search",   "Notifications"};
constexpr const char* kVersions[] = {"1.0", "1.1", "2.0", "2.1", "2025.1", "2025.2"};
constexpr const char* kTeams[] = {"Platform", "Payments", "Growth", "Mobile", "Data"};
constexpr const char* kEnvironments[] = {"Chrome 126 on Windows 11", "Safari 17.5, macOS 14.5",
                                         "iOS 17.4 – iPhone 15",     "Android 14 (Pixel 8)",
                                         "Staging — build 2025.2.1", "Firefox 127 / Ubuntu 24.04"};
struct AttachmentKind {
  const char* filename;
  const char* mime_type;
};
constexpr AttachmentKind kAttachments[] = {
    {"screenshot.png", "image/png"},     {"console.log", "text/plain"},
    {"network.har", "application/json"}, {"report.pdf", "application/pdf"},
    {"données.csv", "text/csv"},         {"スクリーンショット.png", "image/png"}};
constexpr const char* kProjectThemes[] = {"Platform",   "Mobile Apps",   "Billing",
                                          "Web Client", "Data Pipeline", "Support Desk"};

std::string format_date(int64_t ms) {
  int64_t days = ms / kDayMs;
  // Civil-from-days (Howard Hinnant's algorithm), to avoid a date dependency here.
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y + (m <= 2)),
                static_cast<long long>(m), static_cast<long long>(d));
  return buf;
}

template <size_t N>
void pick_distinct(SimRandom& r, const char* const (&pool)[N], size_t n,
                   std::vector<std::string>& out) {
  for (size_t i = 0; i < n; ++i) {
    std::string v = pool[r.below(N)];
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
  }
}

void set_status(SimIssue& issue, const StatusDef& status) {
  issue.status = status.name;
  issue.status_category = status.category;
}

}  // namespace

IssueGenerator::IssueGenerator(uint64_t seed, int64_t data_end_ms, const People& people)
    : seed_(seed), data_end_ms_(data_end_ms), people_(people) {}

std::vector<SimProject> IssueGenerator::projects(const std::vector<ProjectSpec>& specs) const {
  std::vector<SimProject> out;
  for (size_t i = 0; i < specs.size(); ++i) {
    SimProject p;
    p.id = 10000 + static_cast<int64_t>(i);
    p.key = specs[i].key;
    p.name = specs[i].key + " " + kProjectThemes[mix(seed_, 0x9a, i) % std::size(kProjectThemes)];
    out.push_back(std::move(p));
  }
  return out;
}

size_t IssueGenerator::type_of(size_t project, int64_t number) const {
  if (number <= 1) return 2;  // Task: the first issue can have no parent
  uint64_t h = mix(seed_, 0x7e + project, static_cast<uint64_t>(number)) % 100;
  if (h < 4) return 0;   // Epic
  if (h < 36) return 1;  // Story
  if (h < 62) return 2;  // Task
  if (h < 86) return 3;  // Bug
  return 4;              // Sub-task
}

std::string IssueGenerator::pick_person(SimRandom& r) const {
  const auto& ids = people_.assignable();
  return ids.empty() ? std::string() : ids[r.below(ids.size())];
}

std::string IssueGenerator::summary_for(uint64_t salt) const {
  SimRandom r(mix(seed_, 0x5a, salt));
  if (r.chance(0.25)) return kForeignSummaries[r.below(std::size(kForeignSummaries))];
  std::string s = std::string(kVerbs[r.below(std::size(kVerbs))]) + " " +
                  kObjects[r.below(std::size(kObjects))];
  if (r.chance(0.3)) s += std::string(" in ") + kComponents[r.below(std::size(kComponents))];
  return s;
}

void IssueGenerator::generate(const std::vector<ProjectSpec>& specs,
                              const std::function<void(SimIssue&&)>& sink) const {
  std::vector<SimProject> projs = projects(specs);
  int64_t next_id = kFirstIssueId;
  const int64_t start_ms = data_end_ms_ - kTwoYearsMs;
  for (size_t p = 0; p < specs.size(); ++p) {
    const int64_t count = specs[p].issue_count;
    const int64_t base_id = next_id;
    const int64_t slot_ms = std::max<int64_t>(1, kTwoYearsMs / std::max<int64_t>(1, count));
    for (int64_t n = 1; n <= count; ++n) {
      SimIssue issue;
      issue.id = next_id++;
      SimRandom r(mix(seed_, 0x15, static_cast<uint64_t>(issue.id)));
      issue.project_key = projs[p].key;
      issue.project_id = projs[p].id;
      issue.key = projs[p].key + "-" + std::to_string(n);
      issue.version = 1;

      size_t type = type_of(p, n);
      if (type == 4) {
        // A sub-task needs a standard issue before it in the same project.
        int64_t parent = 0;
        for (int64_t c = n - 1; c >= std::max<int64_t>(1, n - 20); --c) {
          size_t t = type_of(p, c);
          if (t != 4 && t != 0) {
            parent = c;
            break;
          }
        }
        if (parent == 0) {
          type = 2;
        } else {
          issue.parent_id = base_id + parent - 1;
        }
      } else if (type != 0 && r.chance(0.35)) {
        for (int64_t c = n - 1; c >= std::max<int64_t>(1, n - 200); --c) {
          if (type_of(p, c) == 0) {
            issue.parent_id = base_id + c - 1;
            break;
          }
        }
      }
      const IssueTypeDef& it = issue_types()[type];
      issue.issue_type = it.name;
      issue.subtask = it.subtask;

      issue.created_ms = start_ms + (n - 1) * slot_ms + static_cast<int64_t>(r.below(slot_ms));
      int64_t age = std::max<int64_t>(0, data_end_ms_ - issue.created_ms);
      issue.updated_ms = r.chance(0.3)
                             ? issue.created_ms + static_cast<int64_t>(r.below(6 * 3600 * 1000))
                             : issue.created_ms + static_cast<int64_t>(r.unit() * age);
      issue.updated_ms = std::min(issue.updated_ms, data_end_ms_);

      bool old = age > 60 * kDayMs;
      uint64_t s = r.below(100);
      const auto all = statuses();
      const StatusDef& status = old ? (s < 70   ? all[4]
                                       : s < 78 ? all[5]
                                       : s < 88 ? all[0]
                                       : s < 95 ? all[1]
                                                : all[3])
                                    : (s < 30   ? all[0]
                                       : s < 60 ? all[1]
                                       : s < 72 ? all[2]
                                       : s < 80 ? all[3]
                                                : all[4]);
      set_status(issue, status);

      issue.reporter_id = pick_person(r);
      if (!r.chance(0.15)) issue.assignee_id = pick_person(r);
      if (!r.chance(0.05)) {
        uint64_t pr = r.below(100);
        issue.priority = priorities()[pr < 5    ? 0
                                      : pr < 25 ? 1
                                      : pr < 75 ? 2
                                      : pr < 93 ? 3
                                                : 4]
                             .name;
      }
      if (issue.status_category == "done") {
        issue.resolution = issue.status == "Won't Do" ? "Won't Do" : "Done";
        issue.resolution_ms = issue.updated_ms;
      }
      std::string actor = issue.assignee_id.empty() ? issue.reporter_id : issue.assignee_id;
      if (issue.status != "To Do") {
        int64_t at = issue.created_ms + (issue.updated_ms - issue.created_ms) / 3;
        issue.changelog.push_back({at, actor, "status", "To Do", "In Progress"});
        if (issue.status != "In Progress") {
          issue.changelog.push_back(
              {issue.updated_ms, actor, "status", "In Progress", issue.status});
        }
      }

      issue.summary = summary_for(static_cast<uint64_t>(issue.id));
      pick_distinct(r, kLabels, r.below(4), issue.labels);
      pick_distinct(r, kComponents, r.below(3), issue.components);
      if (r.chance(0.4)) pick_distinct(r, kVersions, 1, issue.fix_versions);

      if ((type == 1 || type == 2) && r.chance(0.6)) {
        static const char* points[] = {"1.0", "2.0", "3.0", "5.0", "8.0", "13.0", "0.5"};
        issue.custom_fields["customfield_10016"] = points[r.below(std::size(points))];
      }
      if (!old && r.chance(0.5)) {
        int sprint = static_cast<int>((issue.created_ms - start_ms) / (14 * kDayMs)) + 1;
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "[{\"id\":%d,\"name\":\"%s Sprint %d\",\"state\":\"%s\",\"boardId\":%d}]",
                      sprint + 100 * static_cast<int>(p), projs[p].key.c_str(), sprint,
                      issue.status_category == "done" ? "closed" : "active",
                      static_cast<int>(p) + 1);
        issue.custom_fields["customfield_10020"] = buf;
      }
      if (r.chance(0.3)) {
        size_t t = r.below(std::size(kTeams));
        issue.custom_fields["customfield_10021"] = std::string("{\"value\":\"") + kTeams[t] +
                                                   "\",\"id\":\"" + std::to_string(10100 + t) +
                                                   "\"}";
      }
      if (r.chance(0.2)) {
        issue.custom_fields["customfield_10015"] = "\"" + format_date(issue.created_ms) + "\"";
      }
      more_fields(issue, r, base_id, n);
      sink(std::move(issue));
    }
  }
}

void IssueGenerator::more_fields(SimIssue& issue, SimRandom& r, int64_t base_id,
                                 int64_t number) const {
  // Drawn after every other field, so adding them left the rest of each
  // generated issue as it was.
  if (issue.status_category != "done" && r.chance(0.3)) {
    issue.due_date =
        format_date(issue.created_ms + (1 + static_cast<int64_t>(r.below(60))) * kDayMs);
  }
  if (r.chance(0.1)) issue.creator_id = pick_person(r);  // else the reporter
  if (issue.issue_type == "Bug") {
    if (r.chance(0.6)) pick_distinct(r, kVersions, 1 + r.below(2), issue.affected_versions);
    if (r.chance(0.5)) issue.environment = kEnvironments[r.below(std::size(kEnvironments))];
  }
  const int64_t span = std::max<int64_t>(0, issue.updated_ms - issue.created_ms);
  // Most issues have a few comments; some more than a search returns inline.
  int comments = r.chance(0.4) ? 1 + static_cast<int>(r.below(8)) : 0;
  if (r.chance(0.02)) comments = 21 + static_cast<int>(r.below(40));
  if (comments > 0 && span > comments) {
    issue.comment_count = comments;
    issue.comment_gap_ms = span / (comments + 1);
  }
  if (number > 1 && r.chance(0.15)) {
    const auto types = link_types();
    SimLink link;
    link.id = issue.id * 10 + 1;
    link.type = types[r.below(types.size())].name;
    link.outward = r.chance(0.5);
    link.other_id = base_id + static_cast<int64_t>(r.below(static_cast<uint64_t>(number - 1)));
    issue.links.push_back(std::move(link));
  }
  if (r.chance(0.2)) {
    const size_t n = 1 + r.below(3);
    for (size_t k = 0; k < n; ++k) {
      const AttachmentKind& kind = kAttachments[r.below(std::size(kAttachments))];
      SimAttachment a;
      a.id = issue.id * 10 + static_cast<int64_t>(k) + 1;
      a.filename = kind.filename;
      a.mime_type = kind.mime_type;
      a.size = 200 + static_cast<int64_t>(r.below(5 * 1024 * 1024));
      a.created_ms = issue.created_ms + static_cast<int64_t>(r.unit() * static_cast<double>(span));
      a.author_id = issue.reporter_id;
      issue.attachments.push_back(std::move(a));
    }
  }
  if (issue.issue_type != "Epic" && r.chance(0.4)) {
    issue.original_estimate_s = 3600 * (1 + static_cast<int64_t>(r.below(40)));
    issue.time_spent_s =
        issue.status == "To Do"
            ? 0
            : static_cast<int64_t>(r.unit() * 1.5 * static_cast<double>(issue.original_estimate_s));
    issue.time_spent_s -= issue.time_spent_s % 60;
    issue.remaining_estimate_s =
        std::max<int64_t>(0, issue.original_estimate_s - issue.time_spent_s);
  }
}

void IssueGenerator::mutate(SimIssue& issue, SimRandom& r) const {
  switch (r.below(7)) {
    case 0:
    case 1: {  // workflow transition, the most common edit
      const auto all = statuses();
      const StatusDef* next = nullptr;
      if (issue.status == "To Do")
        next = &all[1];
      else if (issue.status == "In Progress")
        next = &all[2 + r.below(3)];
      else if (issue.status == "In Review" || issue.status == "Blocked")
        next = &all[r.chance(0.7) ? 4 : 1];
      else
        next = &all[0];  // reopened
      set_status(issue, *next);
      if (issue.status_category == "done") {
        issue.resolution = "Done";
      } else {
        issue.resolution.clear();
        issue.resolution_ms = 0;
      }
      break;
    }
    case 2:
      issue.assignee_id = r.chance(0.1) ? std::string() : pick_person(r);
      break;
    case 3:
      if (!issue.labels.empty() && r.chance(0.4)) {
        issue.labels.pop_back();
      } else {
        pick_distinct(r, kLabels, 1, issue.labels);
      }
      break;
    case 4:
      issue.priority = priorities()[r.below(priorities().size())].name;
      break;
    case 5:
      issue.summary = summary_for(r.next());
      break;
    default:
      issue.description_adf = generate_adf(seed_, issue.id, issue.version + 1, people_.everyone());
  }
}

}  // namespace jirasim
