#include "tests/jirasim/issue_renderer.hpp"

#include <date/tz.h>

#include <algorithm>
#include <functional>

#include "common/time/jira_time.hpp"
#include "tests/jirasim/adf_document.hpp"
#include "tests/jirasim/issue_catalog.hpp"
#include "tests/jirasim/sim_random.hpp"

namespace jirasim {

namespace {

constexpr const char* kIssueExpand =
    "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

void write_time(JsonWriter& w, int64_t ms, const RenderContext& ctx) {
  write_string(w, jirasync::format_jira_time(ms, ctx.zone));
}

std::string initials(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == ' ') {
      start = true;
    } else if (start && static_cast<unsigned char>(c) < 0x80) {
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      start = false;
    } else {
      start = false;
    }
  }
  return out.empty() ? "U" : out.substr(0, 2);
}

void write_avatars(JsonWriter& w, const std::string& prefix, const std::string& suffix) {
  w.Key("avatarUrls");
  w.StartObject();
  for (const char* size : {"48", "24", "16", "32"}) {
    std::string k = std::string(size) + "x" + size;
    write_key(w, k);
    write_string(w, prefix + size + suffix);
  }
  w.EndObject();
}

std::string stable_id(std::string_view name, uint64_t base) {
  return std::to_string(base + std::hash<std::string_view>{}(name) % 9000);
}

}  // namespace

std::string rendered_time(int64_t ms, const std::string& zone) {
  auto tp = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{ms}};
  auto zoned = date::make_zoned(date::locate_zone(zone), date::floor<std::chrono::minutes>(tp));
  return date::format("%d/%b/%y %I:%M %p", zoned);
}

void IssueRenderer::write_cached(JsonWriter& w, const std::string& key,
                                 const std::function<void(JsonWriter&)>& build) const {
  {
    std::shared_lock lock(fragments_mu_);
    auto it = fragments_.find(key);
    if (it != fragments_.end()) {
      write_raw(w, it->second);
      return;
    }
  }
  rapidjson::StringBuffer buf;
  JsonWriter fragment(buf);
  build(fragment);
  std::string json(buf.GetString(), buf.GetSize());
  write_raw(w, json);
  std::unique_lock lock(fragments_mu_);
  if (fragments_.size() > 10000) fragments_.clear();  // bounded: names set at run time add keys
  fragments_.emplace(key, std::move(json));
}

std::string IssueRenderer::description_json(const SimIssue& issue) const {
  if (!issue.description_adf.empty()) return issue.description_adf;
  return generate_adf(seed_, issue.id, 1, people_.everyone());
}

std::string IssueRenderer::description_text(const SimIssue& issue) const {
  return adf_to_text(description_json(issue));
}

void IssueRenderer::write_user(JsonWriter& w, const std::string& account_id,
                               const RenderContext& ctx, bool with_email) const {
  if (account_id.empty()) {
    w.Null();
    return;
  }
  const SimUser* u = people_.find(account_id);
  std::string name = u ? u->display_name : "Former user";
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/user?accountId=" + account_id);
  w.Key("accountId");
  write_string(w, account_id);
  if (with_email && u) {
    w.Key("emailAddress");
    write_string(w, u->email);
  }
  write_avatars(w,
                "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/" +
                    initials(name) + "-5.png?size=",
                "");
  w.Key("displayName");
  write_string(w, name);
  w.Key("active");
  w.Bool(u != nullptr);
  w.Key("timeZone");
  write_string(w, u && !u->time_zone.empty() ? u->time_zone : ctx.default_zone);
  w.Key("accountType");
  w.String("atlassian");
  w.EndObject();
}

void IssueRenderer::write_project(JsonWriter& w, int64_t id, const std::string& key,
                                  const RenderContext& ctx) const {
  auto project = store_.project(key);
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/project/" + std::to_string(id));
  w.Key("id");
  write_string(w, std::to_string(id));
  w.Key("key");
  write_string(w, key);
  w.Key("name");
  write_string(w, project ? project->name : key);
  w.Key("projectTypeKey");
  w.String("software");
  w.Key("simplified");
  w.Bool(false);
  write_avatars(
      w, ctx.base_url + "/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=", "");
  w.EndObject();
}

void IssueRenderer::write_status(JsonWriter& w, const SimIssue& issue,
                                 const RenderContext& ctx) const {
  const StatusDef* def = find_status(issue.status);
  const StatusCategoryDef* cat = find_status_category(issue.status_category);
  if (cat == nullptr) cat = find_status_category("indeterminate");
  std::string id = def ? def->id : stable_id(issue.status, 11000);
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/status/" + id);
  w.Key("description");
  w.String("");
  w.Key("iconUrl");
  write_string(w, ctx.base_url + "/");
  w.Key("name");
  write_string(w, issue.status);
  w.Key("id");
  write_string(w, id);
  w.Key("statusCategory");
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/statuscategory/" + std::to_string(cat->id));
  w.Key("id");
  w.Int(cat->id);
  w.Key("key");
  w.String(cat->key);
  w.Key("colorName");
  w.String(cat->color);
  w.Key("name");
  w.String(cat->name);
  w.EndObject();
  w.EndObject();
}

void IssueRenderer::write_issue_type(JsonWriter& w, const std::string& name,
                                     const RenderContext& ctx) const {
  const IssueTypeDef* def = find_issue_type(name);
  std::string id = def ? def->id : stable_id(name, 12000);
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/issuetype/" + id);
  w.Key("id");
  write_string(w, id);
  w.Key("description");
  w.String("");
  w.Key("iconUrl");
  write_string(w, ctx.base_url + "/rest/api/2/universal_avatar/view/type/issuetype/avatar/10300");
  w.Key("name");
  write_string(w, name);
  w.Key("subtask");
  w.Bool(def ? def->subtask : false);
  w.Key("avatarId");
  w.Int(10300);
  w.Key("hierarchyLevel");
  w.Int(def ? def->hierarchy_level : 0);
  w.EndObject();
}

void IssueRenderer::write_priority(JsonWriter& w, const std::string& name,
                                   const RenderContext& ctx) const {
  if (name.empty()) {
    w.Null();
    return;
  }
  const PriorityDef* def = find_priority(name);
  std::string id = def ? def->id : stable_id(name, 13000);
  std::string icon = name;
  std::transform(icon.begin(), icon.end(), icon.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/priority/" + id);
  w.Key("iconUrl");
  write_string(w, ctx.base_url + "/images/icons/priorities/" + icon + ".svg");
  w.Key("name");
  write_string(w, name);
  w.Key("id");
  write_string(w, id);
  w.EndObject();
}

void IssueRenderer::write_fields(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                                 const RenderContext& ctx) const {
  auto want = [&](std::string_view f) {
    if (!fields.includes(f)) return false;
    write_key(w, f);
    return true;
  };
  const std::string scope = '\x1f' + ctx.base_url + '\x1f' + ctx.default_zone;
  auto user = [&](const std::string& id) {
    if (id.empty()) {
      w.Null();
      return;
    }
    write_cached(w, "user\x1f" + id + scope, [&](JsonWriter& f) { write_user(f, id, ctx); });
  };
  w.StartObject();
  if (want("summary")) write_string(w, issue.summary);
  if (want("status")) {
    write_cached(w, "status\x1f" + issue.status + '\x1f' + issue.status_category + scope,
                 [&](JsonWriter& f) { write_status(f, issue, ctx); });
  }
  if (want("issuetype")) {
    write_cached(w, "type\x1f" + issue.issue_type + scope,
                 [&](JsonWriter& f) { write_issue_type(f, issue.issue_type, ctx); });
  }
  if (want("project")) {
    write_cached(
        w, "project\x1f" + std::to_string(issue.project_id) + '\x1f' + issue.project_key + scope,
        [&](JsonWriter& f) { write_project(f, issue.project_id, issue.project_key, ctx); });
  }
  if (want("priority")) {
    write_cached(w, "priority\x1f" + issue.priority + scope,
                 [&](JsonWriter& f) { write_priority(f, issue.priority, ctx); });
  }
  if (want("assignee")) user(issue.assignee_id);
  if (want("reporter")) user(issue.reporter_id);
  if (want("creator")) user(issue.creator_id.empty() ? issue.reporter_id : issue.creator_id);
  if (want("labels")) {
    w.StartArray();
    for (const auto& l : issue.labels) write_string(w, l);
    w.EndArray();
  }
  if (want("components")) {
    w.StartArray();
    for (const auto& c : issue.components) {
      std::string id = stable_id(c, 10000);
      w.StartObject();
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/component/" + id);
      w.Key("id");
      write_string(w, id);
      w.Key("name");
      write_string(w, c);
      w.EndObject();
    }
    w.EndArray();
  }
  if (want("fixVersions")) {
    w.StartArray();
    for (const auto& v : issue.fix_versions) {
      std::string id = stable_id(v, 10000);
      w.StartObject();
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/version/" + id);
      w.Key("id");
      write_string(w, id);
      w.Key("description");
      w.String("");
      w.Key("name");
      write_string(w, v);
      w.Key("archived");
      w.Bool(false);
      w.Key("released");
      w.Bool(v < "2.0");
      w.EndObject();
    }
    w.EndArray();
  }
  if (issue.parent_id != 0 && fields.includes("parent")) {
    IssuePtr parent = store_.get(issue.parent_id);
    if (parent) {
      w.Key("parent");
      w.StartObject();
      w.Key("id");
      write_string(w, std::to_string(parent->id));
      w.Key("key");
      write_string(w, parent->key);
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/issue/" + std::to_string(parent->id));
      w.Key("fields");
      w.StartObject();
      w.Key("summary");
      write_string(w, parent->summary);
      w.Key("status");
      write_status(w, *parent, ctx);
      w.Key("priority");
      write_priority(w, parent->priority, ctx);
      w.Key("issuetype");
      write_issue_type(w, parent->issue_type, ctx);
      w.EndObject();
      w.EndObject();
    }
  }
  if (want("resolution")) {
    if (issue.resolution.empty()) {
      w.Null();
    } else {
      std::string id = issue.resolution == "Done" ? "10000" : stable_id(issue.resolution, 10001);
      w.StartObject();
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/resolution/" + id);
      w.Key("id");
      write_string(w, id);
      w.Key("description");
      w.String("Work has been completed on this issue.");
      w.Key("name");
      write_string(w, issue.resolution);
      w.EndObject();
    }
  }
  if (want("resolutiondate")) {
    if (issue.resolution.empty() || issue.resolution_ms == 0) {
      w.Null();
    } else {
      write_time(w, issue.resolution_ms, ctx);
    }
  }
  if (want("created")) write_time(w, issue.created_ms, ctx);
  if (want("updated")) write_time(w, issue.updated_ms, ctx);
  if (want("statuscategorychangedate")) {
    int64_t at = issue.created_ms;
    for (const auto& c : issue.changelog) {
      if (c.field == "status") at = c.at_ms;
    }
    write_time(w, at, ctx);
  }
  if (want("description")) write_raw(w, description_json(issue));
  for (const FieldDef& def : jirasim::fields()) {
    std::string_view id = def.id;
    if (id.rfind("customfield_", 0) != 0 || !fields.includes(id)) continue;
    write_key(w, id);
    auto it = issue.custom_fields.find(std::string(id));
    if (it == issue.custom_fields.end()) {
      w.Null();
    } else {
      write_raw(w, it->second);
    }
  }
  for (const auto& [id, value] : issue.custom_fields) {
    if (find_field(id) != nullptr || !fields.includes(id)) continue;
    write_key(w, id);
    write_raw(w, value);
  }
  write_more_fields(w, issue, fields, ctx);
  w.EndObject();
}

namespace {

constexpr const char* kCommentPhrases[] = {"Reproduced on staging.",
                                           "Could not reproduce locally; can you attach the logs?",
                                           "Fixed in the latest build, please verify.",
                                           "Still failing for me after the deploy 😕",
                                           "Duplicate of the login issue? Linking it.",
                                           "Тест пройден на iOS и Android.",
                                           "再現手順を追記しました。",
                                           "已在测试环境验证通过。",
                                           "Waiting for the customer's answer.",
                                           "QA: verified, closing."};

// Jira's readable durations: 8-hour days, 5-day weeks ("1w 2d 3h 30m").
std::string readable_duration(int64_t seconds) {
  if (seconds <= 0) return "0m";
  const int64_t minutes = seconds / 60;
  const int64_t parts[] = {minutes / (5 * 8 * 60), minutes / (8 * 60) % 5, minutes / 60 % 8,
                           minutes % 60};
  const char* units[] = {"w", "d", "h", "m"};
  std::string out;
  for (size_t i = 0; i < 4; ++i) {
    if (parts[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += std::to_string(parts[i]) + units[i];
  }
  return out.empty() ? "0m" : out;
}

}  // namespace

std::vector<SimComment> IssueRenderer::comments(const SimIssue& issue) const {
  std::vector<SimComment> out;
  out.reserve(static_cast<size_t>(std::max(0, issue.comment_count)));
  const auto& users = people_.everyone();
  for (int k = 0; k < issue.comment_count; ++k) {
    SimRandom r(
        mix(seed_, 0xc0, static_cast<uint64_t>(issue.id) * 8192 + static_cast<uint64_t>(k)));
    SimComment c;
    c.id = issue.id * 10000 + k + 1;
    c.author_id = users.empty() ? std::string() : users[r.below(users.size())].account_id;
    c.body_adf = adf_from_text(kCommentPhrases[r.below(std::size(kCommentPhrases))]);
    c.created_ms = issue.created_ms + (k + 1) * issue.comment_gap_ms;
    c.updated_ms = r.chance(0.1) ? c.created_ms + issue.comment_gap_ms / 2 : c.created_ms;
    out.push_back(std::move(c));
  }
  return out;
}

void IssueRenderer::write_comment(JsonWriter& w, const SimIssue& issue, const SimComment& c,
                                  const RenderContext& ctx) const {
  w.StartObject();
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/issue/" + std::to_string(issue.id) + "/comment/" +
                      std::to_string(c.id));
  w.Key("id");
  write_string(w, std::to_string(c.id));
  w.Key("author");
  write_user(w, c.author_id, ctx);
  w.Key("body");
  write_raw(w, c.body_adf);
  w.Key("updateAuthor");
  write_user(w, c.author_id, ctx);
  w.Key("created");
  write_time(w, c.created_ms, ctx);
  w.Key("updated");
  write_time(w, c.updated_ms, ctx);
  w.Key("jsdPublic");
  w.Bool(true);
  w.EndObject();
}

void IssueRenderer::write_issue_ref(JsonWriter& w, const SimIssue& other,
                                    const RenderContext& ctx) const {
  w.StartObject();
  w.Key("id");
  write_string(w, std::to_string(other.id));
  w.Key("key");
  write_string(w, other.key);
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/issue/" + std::to_string(other.id));
  w.Key("fields");
  w.StartObject();
  w.Key("summary");
  write_string(w, other.summary);
  w.Key("status");
  write_status(w, other, ctx);
  w.Key("priority");
  write_priority(w, other.priority, ctx);
  w.Key("issuetype");
  write_issue_type(w, other.issue_type, ctx);
  w.EndObject();
  w.EndObject();
}

void IssueRenderer::write_more_fields(JsonWriter& w, const SimIssue& issue,
                                      const FieldSelection& fields,
                                      const RenderContext& ctx) const {
  auto want = [&](std::string_view f) {
    if (!fields.includes(f)) return false;
    write_key(w, f);
    return true;
  };
  if (want("duedate")) {
    if (issue.due_date.empty()) {
      w.Null();
    } else {
      write_string(w, issue.due_date);
    }
  }
  if (want("versions")) {
    w.StartArray();
    for (const auto& v : issue.affected_versions) {
      std::string id = stable_id(v, 10000);
      w.StartObject();
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/version/" + id);
      w.Key("id");
      write_string(w, id);
      w.Key("description");
      w.String("");
      w.Key("name");
      write_string(w, v);
      w.Key("archived");
      w.Bool(false);
      w.Key("released");
      w.Bool(v < "2.0");
      w.EndObject();
    }
    w.EndArray();
  }
  if (want("environment")) {
    if (issue.environment.empty()) {
      w.Null();
    } else {
      write_raw(w, adf_from_text(issue.environment));
    }
  }
  if (want("issuelinks")) {
    w.StartArray();
    auto write_link = [&](int64_t link_id, const std::string& type_name, bool outward,
                          const SimIssue& other) {
      const IssueLinkTypeDef* type = find_link_type(type_name);
      if (type == nullptr) return;
      w.StartObject();
      w.Key("id");
      write_string(w, std::to_string(link_id));
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/issueLink/" + std::to_string(link_id));
      w.Key("type");
      w.StartObject();
      w.Key("id");
      w.String(type->id);
      w.Key("name");
      w.String(type->name);
      w.Key("inward");
      w.String(type->inward);
      w.Key("outward");
      w.String(type->outward);
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/issueLinkType/" + type->id);
      w.EndObject();
      w.Key(outward ? "outwardIssue" : "inwardIssue");
      write_issue_ref(w, other, ctx);
      w.EndObject();
    };
    for (const SimLink& l : issue.links) {
      if (IssuePtr other = store_.get(l.other_id)) write_link(l.id, l.type, l.outward, *other);
    }
    // Links other issues hold to this one, seen from here: the other way round.
    for (const IssuePtr& from : store_.linked_from(issue.id)) {
      for (const SimLink& l : from->links) {
        if (l.other_id == issue.id) write_link(l.id, l.type, !l.outward, *from);
      }
    }
    w.EndArray();
  }
  if (want("subtasks")) {
    w.StartArray();
    for (const IssuePtr& sub : store_.subtasks_of(issue.id)) write_issue_ref(w, *sub, ctx);
    w.EndArray();
  }
  if (want("attachment")) {
    w.StartArray();
    for (const SimAttachment& a : issue.attachments) {
      const std::string id = std::to_string(a.id);
      w.StartObject();
      w.Key("self");
      write_string(w, ctx.base_url + "/rest/api/3/attachment/" + id);
      // A number, as in the spec's GET issue example (AttachmentMetadata).
      w.Key("id");
      w.Int64(a.id);
      w.Key("filename");
      write_string(w, a.filename);
      w.Key("author");
      write_user(w, a.author_id, ctx);
      w.Key("created");
      write_time(w, a.created_ms, ctx);
      w.Key("size");
      w.Int64(a.size);
      w.Key("mimeType");
      write_string(w, a.mime_type);
      w.Key("content");
      write_string(w, ctx.base_url + "/rest/api/3/attachment/content/" + id);
      w.EndObject();
    }
    w.EndArray();
  }
  const bool has_estimate = issue.original_estimate_s >= 0;
  const bool has_spent = issue.time_spent_s > 0;
  auto seconds_or_null = [&](bool has, int64_t value) {
    if (has) {
      w.Int64(value);
    } else {
      w.Null();
    }
  };
  if (want("timetracking")) {
    // Only what is set: {} for an issue nobody estimated or logged work on.
    w.StartObject();
    if (has_estimate) {
      w.Key("originalEstimate");
      write_string(w, readable_duration(issue.original_estimate_s));
      w.Key("remainingEstimate");
      write_string(w, readable_duration(std::max<int64_t>(0, issue.remaining_estimate_s)));
    }
    if (has_spent) {
      w.Key("timeSpent");
      write_string(w, readable_duration(issue.time_spent_s));
    }
    if (has_estimate) {
      w.Key("originalEstimateSeconds");
      w.Int64(issue.original_estimate_s);
      w.Key("remainingEstimateSeconds");
      w.Int64(std::max<int64_t>(0, issue.remaining_estimate_s));
    }
    if (has_spent) {
      w.Key("timeSpentSeconds");
      w.Int64(issue.time_spent_s);
    }
    w.EndObject();
  }
  if (want("timeoriginalestimate")) seconds_or_null(has_estimate, issue.original_estimate_s);
  if (want("timeestimate")) {
    seconds_or_null(has_estimate, std::max<int64_t>(0, issue.remaining_estimate_s));
  }
  if (want("timespent")) seconds_or_null(has_spent, issue.time_spent_s);
  if (want("comment")) {
    const std::vector<SimComment> all = comments(issue);
    const size_t inline_count = std::min<size_t>(all.size(), kInlineComments);
    w.StartObject();
    w.Key("comments");
    w.StartArray();
    for (size_t i = 0; i < inline_count; ++i) write_comment(w, issue, all[i], ctx);
    w.EndArray();
    w.Key("self");
    write_string(w, ctx.base_url + "/rest/api/3/issue/" + std::to_string(issue.id) + "/comment");
    w.Key("maxResults");
    w.Int(static_cast<int>(inline_count));
    w.Key("total");
    w.Int64(static_cast<int64_t>(all.size()));
    w.Key("startAt");
    w.Int(0);
    w.EndObject();
  }
}

void IssueRenderer::write_changelog_items(JsonWriter& w,
                                          const std::vector<SimChange>& items) const {
  w.StartArray();
  for (const auto& c : items) {
    bool custom = c.field.rfind("customfield_", 0) == 0;
    bool user = c.field == "assignee" || c.field == "reporter";
    w.StartObject();
    w.Key("field");
    if (custom) {
      const FieldDef* def = find_field(c.field);
      write_string(w, def ? def->name : c.field);
    } else {
      write_string(w, c.field);
    }
    w.Key("fieldtype");
    w.String(custom ? "custom" : "jira");
    w.Key("fieldId");
    std::string field_id = c.field == "Component"     ? "components"
                           : c.field == "Fix Version" ? "fixVersions"
                           : c.field == "Key"         ? "key"
                                                      : c.field;
    write_string(w, field_id);
    auto id_of = [&](const std::string& value) -> std::string {
      if (value.empty()) return "";
      if (user || c.field == "IssueParentAssociation") return value;
      if (c.field == "status") {
        const StatusDef* s = find_status(value);
        return s ? s->id : "";
      }
      if (c.field == "priority") {
        const PriorityDef* p = find_priority(value);
        return p ? p->id : "";
      }
      if (c.field == "issuetype") {
        const IssueTypeDef* t = find_issue_type(value);
        return t ? t->id : "";
      }
      return "";
    };
    auto text_of = [&](const std::string& value) -> std::string {
      if (user && !value.empty()) {
        const SimUser* u = people_.find(value);
        return u ? u->display_name : value;
      }
      return value;
    };
    for (int side = 0; side < 2; ++side) {
      const std::string& value = side == 0 ? c.from : c.to;
      std::string id = id_of(value);
      w.Key(side == 0 ? "from" : "to");
      if (id.empty()) {
        w.Null();
      } else {
        write_string(w, id);
      }
      w.Key(side == 0 ? "fromString" : "toString");
      if (value.empty()) {
        w.Null();
      } else {
        write_string(w, text_of(value));
      }
    }
    w.EndObject();
  }
  w.EndArray();
}

void IssueRenderer::write_changelog(JsonWriter& w, const SimIssue& issue,
                                    const RenderContext& ctx) const {
  // Entries of one edit (same time and author) form one history, as in Jira.
  std::vector<std::vector<SimChange>> histories;
  for (const auto& c : issue.changelog) {
    if (histories.empty() || histories.back().front().at_ms != c.at_ms ||
        histories.back().front().author_id != c.author_id) {
      histories.emplace_back();
    }
    histories.back().push_back(c);
  }
  w.StartObject();
  w.Key("startAt");
  w.Int(0);
  w.Key("maxResults");
  w.Int(static_cast<int>(histories.size()));
  w.Key("total");
  w.Int(static_cast<int>(histories.size()));
  w.Key("histories");
  w.StartArray();
  for (size_t i = 0; i < histories.size(); ++i) {
    w.StartObject();
    w.Key("id");
    write_string(w, std::to_string(issue.id * 100 + static_cast<int64_t>(i)));
    w.Key("author");
    write_user(w, histories[i].front().author_id, ctx);
    w.Key("created");
    write_time(w, histories[i].front().at_ms, ctx);
    w.Key("items");
    write_changelog_items(w, histories[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void IssueRenderer::write_rendered(JsonWriter& w, const SimIssue& issue,
                                   const FieldSelection& fields, const RenderContext& ctx) const {
  w.StartObject();
  if (fields.includes("description")) {
    w.Key("description");
    std::string html = adf_to_html(description_json(issue));
    if (html.empty()) {
      w.Null();
    } else {
      write_string(w, html);
    }
  }
  if (fields.includes("created")) {
    w.Key("created");
    write_string(w, rendered_time(issue.created_ms, ctx.zone));
  }
  if (fields.includes("updated")) {
    w.Key("updated");
    write_string(w, rendered_time(issue.updated_ms, ctx.zone));
  }
  if (fields.includes("resolutiondate")) {
    w.Key("resolutiondate");
    if (issue.resolution_ms == 0 || issue.resolution.empty()) {
      w.Null();
    } else {
      write_string(w, rendered_time(issue.resolution_ms, ctx.zone));
    }
  }
  w.EndObject();
}

void IssueRenderer::write_id_only(JsonWriter& w, const SimIssue& issue) const {
  w.StartObject();
  w.Key("id");
  write_string(w, std::to_string(issue.id));
  w.EndObject();
}

void IssueRenderer::write_issue(JsonWriter& w, const SimIssue& issue, const FieldSelection& fields,
                                const Expansion& expand, const RenderContext& ctx) const {
  w.StartObject();
  w.Key("expand");
  w.String(kIssueExpand);
  w.Key("id");
  write_string(w, std::to_string(issue.id));
  w.Key("self");
  write_string(w, ctx.base_url + "/rest/api/3/issue/" + std::to_string(issue.id));
  w.Key("key");
  write_string(w, issue.key);
  if (expand.rendered_fields) {
    w.Key("renderedFields");
    write_rendered(w, issue, fields, ctx);
  }
  if (expand.names) {
    w.Key("names");
    write_names(w, fields);
  }
  w.Key("fields");
  write_fields(w, issue, fields, ctx);
  if (expand.changelog) {
    w.Key("changelog");
    write_changelog(w, issue, ctx);
  }
  w.EndObject();
}

void IssueRenderer::write_names(JsonWriter& w, const FieldSelection& fields) const {
  w.StartObject();
  for (const FieldDef& def : jirasim::fields()) {
    if (!fields.includes(def.id)) continue;
    w.Key(def.id);
    w.String(def.name);
  }
  w.EndObject();
}

}  // namespace jirasim
