#include "services/api/jira_compat/jira_issue_json.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "common/time/jira_time.hpp"
#include "services/api/jira_compat/jira_json_output.hpp"

namespace jirasync {
namespace {

constexpr const char* kIssueExpand =
    "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

void key(JsonWriter& w, std::string_view name) {
  write_text(w, name);
}

void string_value(JsonWriter& w, const std::string& value) {
  write_text(w, value);
}

void raw_json(JsonWriter& w, const std::string& json) {
  write_raw_json(w, json);
}

// Members through write_text (as write_string, write_int64 and write_bool
// would write them).
void member(JsonWriter& w, std::string_view name, std::string_view value) {
  write_text(w, name);
  write_text(w, value);
}
void member(JsonWriter& w, std::string_view name, int64_t value) {
  write_text(w, name);
  w.Int64(value);
}
void member_bool(JsonWriter& w, std::string_view name, bool value) {
  write_text(w, name);
  w.Bool(value);
}

// `name`: base URL + the parts, built in a buffer reused by the thread (a
// page writes a few thousand links).
void link(JsonWriter& w, std::string_view name, const JiraRenderContext& ctx,
          std::initializer_list<std::string_view> parts) {
  thread_local std::string url;
  url.assign(ctx.base_url);
  for (std::string_view part : parts) url += part;
  member(w, name, url);
}

void time_value(JsonWriter& w, int64_t ms, const JiraRenderContext& ctx) {
  string_value(w, format_jira_time(ms, ctx.time_zone));
}

// `render` writes the object into the response, or once into the context's
// fragment cache and from there on copied (see JiraFragmentCache).
template <typename Render>
void fragment(JsonWriter& w, const JiraRenderContext& ctx, char kind, std::string_view a,
              std::string_view b, Render&& render) {
  if (!ctx.fragments) {
    render(w);
    return;
  }
  write_raw_json(w, ctx.fragments->get(kind, a, b, render));
}

// Rich text: ADF on v3 (null when empty), its plain text on v2.
void rich_text(JsonWriter& w, const std::string& adf, const std::string& text,
               const JiraRenderContext& ctx) {
  if (ctx.api_version == 2) {
    if (text.empty() && adf.empty()) {
      w.Null();
    } else {
      string_value(w, text);
    }
  } else if (adf.empty()) {
    w.Null();
  } else {
    raw_json(w, adf);
  }
}

void user_object(JsonWriter& w, const JiraUser& u, const JiraRenderContext& ctx) {
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/user?accountId=", u.account_id});
  member(w, "accountId", u.account_id);
  member(w, "displayName", u.display_name);
  member_bool(w, "active", true);
  member(w, "timeZone", ctx.time_zone);
  member(w, "accountType", "atlassian");
  w.EndObject();
}

void user(JsonWriter& w, const std::optional<JiraUser>& u, const JiraRenderContext& ctx) {
  if (!u) {
    w.Null();
    return;
  }
  fragment(w, ctx, 'u', u->account_id, u->display_name,
           [&](JsonWriter& out) { user_object(out, *u, ctx); });
}

struct StatusCategory {
  const char* key;
  int id;
  const char* color;
  const char* name;
};

StatusCategory status_category(const std::string& key) {
  if (key == "new") return {"new", 2, "blue-gray", "To Do"};
  if (key == "indeterminate") return {"indeterminate", 4, "yellow", "In Progress"};
  if (key == "done") return {"done", 3, "green", "Done"};
  return {"undefined", 1, "medium-gray", "No Category"};
}

void status_object(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("status", i.status);
  const StatusCategory cat = status_category(i.status_category);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/status/", id});
  member(w, "description", "");
  link(w, "iconUrl", ctx, {"/"});
  member(w, "name", i.status);
  member(w, "id", id);
  key(w, "statusCategory");
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/statuscategory/", std::to_string(cat.id)});
  member(w, "id", int64_t{cat.id});
  member(w, "key", cat.key);
  member(w, "colorName", cat.color);
  member(w, "name", cat.name);
  w.EndObject();
  w.EndObject();
}

void status(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  fragment(w, ctx, 's', i.status, i.status_category,
           [&](JsonWriter& out) { status_object(out, i, ctx); });
}

void issue_type_object(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("issuetype", i.issue_type);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/issuetype/", id});
  member(w, "id", id);
  member(w, "description", "");
  link(w, "iconUrl", ctx, {"/images/icons/issuetypes/", id, ".svg"});
  member(w, "name", i.issue_type);
  member_bool(w, "subtask", i.subtask);
  member(w, "hierarchyLevel", int64_t{i.subtask ? -1 : 0});
  w.EndObject();
}

void issue_type(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  fragment(w, ctx, 't', i.issue_type, i.subtask ? "1" : "0",
           [&](JsonWriter& out) { issue_type_object(out, i, ctx); });
}

void priority_object(JsonWriter& w, const std::string& name, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("priority", name);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/priority/", id});
  link(w, "iconUrl", ctx, {"/images/icons/priorities/", id, ".svg"});
  member(w, "name", name);
  member(w, "id", id);
  w.EndObject();
}

void priority(JsonWriter& w, const std::optional<std::string>& name, const JiraRenderContext& ctx) {
  if (!name) {
    w.Null();
    return;
  }
  fragment(w, ctx, 'p', *name, "", [&](JsonWriter& out) { priority_object(out, *name, ctx); });
}

void project_object(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/project/", i.project_id});
  member(w, "id", i.project_id);
  member(w, "key", i.project_key);
  member(w, "name", i.project_key);  // the cache keeps no project name
  member(w, "projectTypeKey", "software");
  member_bool(w, "simplified", false);
  w.EndObject();
}

void project(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  fragment(w, ctx, 'j', i.project_id, i.project_key,
           [&](JsonWriter& out) { project_object(out, i, ctx); });
}

void version_object(JsonWriter& w, const std::string& name, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("version", name);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/version/", id});
  member(w, "id", id);
  member(w, "name", name);
  member_bool(w, "archived", false);
  member_bool(w, "released", false);
  w.EndObject();
}

void versions(JsonWriter& w, const std::vector<std::string>& names, const JiraRenderContext& ctx) {
  w.StartArray();
  for (const auto& name : names) {
    fragment(w, ctx, 'v', name, "", [&](JsonWriter& out) { version_object(out, name, ctx); });
  }
  w.EndArray();
}

void component_object(JsonWriter& w, const std::string& name, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("component", name);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/component/", id});
  member(w, "id", id);
  member(w, "name", name);
  w.EndObject();
}

void resolution_object(JsonWriter& w, const std::string& name, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("resolution", name);
  w.StartObject();
  link(w, "self", ctx, {"/rest/api/3/resolution/", id});
  member(w, "id", id);
  member(w, "description", "");
  member(w, "name", name);
  w.EndObject();
}

// {"id","key","self","fields":{summary,status,priority,issuetype}} as Jira
// shows a parent, a sub-task and a link's other end.
void issue_ref(JsonWriter& w, const std::string& id, const std::string& issue_key,
               const JiraRenderContext& ctx) {
  const JiraIssue* other = ctx.related ? ctx.related(issue_key) : nullptr;
  w.StartObject();
  member(w, "id", id);
  member(w, "key", other ? other->key : issue_key);
  link(w, "self", ctx, {"/rest/api/3/issue/", id});
  key(w, "fields");
  w.StartObject();
  if (other) {
    member(w, "summary", other->summary);
    key(w, "status");
    status(w, *other, ctx);
    key(w, "priority");
    priority(w, other->priority, ctx);
    key(w, "issuetype");
    issue_type(w, *other, ctx);
  }
  w.EndObject();
  w.EndObject();
}

// The other verb of the link types every Jira site starts with; the cache
// keeps only the verb seen from this issue.
std::string_view opposite_verb(const std::string& type, const std::string& direction,
                               const std::string& label) {
  struct Verbs {
    const char* type;
    const char* inward;
    const char* outward;
  };
  static constexpr Verbs kKnown[] = {{"Blocks", "is blocked by", "blocks"},
                                     {"Cloners", "is cloned by", "clones"},
                                     {"Duplicate", "is duplicated by", "duplicates"},
                                     {"Relates", "relates to", "relates to"}};
  for (const auto& v : kKnown) {
    if (type == v.type) return direction == "outward" ? v.inward : v.outward;
  }
  return label;
}

void link_type_object(JsonWriter& w, const JiraIssueLink& link_, const JiraRenderContext& ctx) {
  const std::string type_id = jira_name_id("issueLinkType", link_.type_name);
  const bool outward = link_.direction == "outward";
  const std::string_view other_verb = opposite_verb(link_.type_name, link_.direction, link_.label);
  w.StartObject();
  member(w, "id", type_id);
  member(w, "name", link_.type_name);
  member(w, "inward", outward ? other_verb : std::string_view(link_.label));
  member(w, "outward", outward ? std::string_view(link_.label) : other_verb);
  link(w, "self", ctx, {"/rest/api/3/issueLinkType/", type_id});
  w.EndObject();
}

void issue_link(JsonWriter& w, const JiraIssueLink& l, const JiraRenderContext& ctx) {
  const bool outward = l.direction == "outward";
  w.StartObject();
  member(w, "id", l.id);
  link(w, "self", ctx, {"/rest/api/3/issueLink/", l.id});
  key(w, "type");
  // The type object depends on (type, direction, label): the key of both.
  thread_local std::string type_key;
  type_key.assign(l.type_name);
  type_key += '\0';
  type_key += l.direction;
  fragment(w, ctx, 'l', type_key, l.label, [&](JsonWriter& out) { link_type_object(out, l, ctx); });
  key(w, outward ? "outwardIssue" : "inwardIssue");
  issue_ref(w, l.other_id, l.other_key, ctx);
  w.EndObject();
}

// Jira's readable durations: 8-hour days, 5-day weeks ("1w 2d 3h 30m").
std::string readable_duration(int64_t seconds) {
  const int64_t minutes = std::max<int64_t>(0, seconds) / 60;
  const int64_t parts[] = {minutes / (5 * 8 * 60), minutes / (8 * 60) % 5, minutes / 60 % 8,
                           minutes % 60};
  const char* units[] = {"w", "d", "h", "m"};
  std::string out;
  for (std::size_t i = 0; i < 4; ++i) {
    if (parts[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += std::to_string(parts[i]) + units[i];
  }
  return out.empty() ? "0m" : out;
}

void time_tracking(JsonWriter& w, const JiraTimeTracking& t) {
  w.StartObject();  // only what is set: {} for an issue nobody estimated
  if (t.original_estimate_s)
    member(w, "originalEstimate", readable_duration(*t.original_estimate_s));
  if (t.remaining_estimate_s) {
    member(w, "remainingEstimate", readable_duration(*t.remaining_estimate_s));
  }
  if (t.time_spent_s) member(w, "timeSpent", readable_duration(*t.time_spent_s));
  if (t.original_estimate_s) member(w, "originalEstimateSeconds", *t.original_estimate_s);
  if (t.remaining_estimate_s) member(w, "remainingEstimateSeconds", *t.remaining_estimate_s);
  if (t.time_spent_s) member(w, "timeSpentSeconds", *t.time_spent_s);
  w.EndObject();
}

void seconds_or_null(JsonWriter& w, const std::optional<int64_t>& s) {
  if (s) {
    w.Int64(*s);
  } else {
    w.Null();
  }
}

void comments(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  w.StartObject();
  key(w, "comments");
  w.StartArray();
  for (const auto& c : i.comments) {
    w.StartObject();
    link(w, "self", ctx, {"/rest/api/3/issue/", i.id, "/comment/", c.id});
    member(w, "id", c.id);
    key(w, "author");
    user(w, c.author, ctx);
    key(w, "body");
    rich_text(w, c.body_adf, c.body_text, ctx);
    key(w, "updateAuthor");
    user(w, c.author, ctx);
    key(w, "created");
    time_value(w, c.created_ms, ctx);
    key(w, "updated");
    time_value(w, c.updated_ms, ctx);
    member_bool(w, "jsdPublic", true);
    w.EndObject();
  }
  w.EndArray();
  link(w, "self", ctx, {"/rest/api/3/issue/", i.id, "/comment"});
  member(w, "maxResults", static_cast<int64_t>(i.comments.size()));
  member(w, "total", static_cast<int64_t>(i.comments.size()));
  member(w, "startAt", int64_t{0});
  w.EndObject();
}

void attachments(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  w.StartArray();
  for (const auto& a : i.attachments) {
    w.StartObject();
    link(w, "self", ctx, {"/rest/api/3/attachment/", a.id});
    member(w, "id", a.id);
    member(w, "filename", a.filename);
    key(w, "author");
    user(w, a.author, ctx);
    key(w, "created");
    time_value(w, a.created_ms, ctx);
    member(w, "size", a.size_bytes);
    member(w, "mimeType", a.mime_type);
    link(w, "content", ctx, {"/rest/api/3/attachment/content/", a.id});
    w.EndObject();
  }
  w.EndArray();
}

void fields_object(JsonWriter& w, const JiraIssue& i, const JiraFieldSelection& fields,
                   const JiraRenderContext& ctx) {
  auto want = [&](std::string_view name) {
    if (!fields.includes(name)) return false;
    key(w, name);
    return true;
  };
  w.StartObject();
  if (want("summary")) string_value(w, i.summary);
  if (want("status")) status(w, i, ctx);
  if (want("issuetype")) issue_type(w, i, ctx);
  if (want("project")) project(w, i, ctx);
  if (want("priority")) priority(w, i.priority, ctx);
  if (want("assignee")) user(w, i.assignee, ctx);
  if (want("reporter")) user(w, i.reporter, ctx);
  if (want("creator")) user(w, i.creator ? i.creator : i.reporter, ctx);
  if (want("labels")) {
    w.StartArray();
    for (const auto& l : i.labels) string_value(w, l);
    w.EndArray();
  }
  if (want("components")) {
    w.StartArray();
    for (const auto& c : i.components) {
      fragment(w, ctx, 'c', c, "", [&](JsonWriter& out) { component_object(out, c, ctx); });
    }
    w.EndArray();
  }
  if (want("fixVersions")) versions(w, i.fix_versions, ctx);
  if (want("versions")) versions(w, i.affected_versions, ctx);
  // Jira leaves `parent` out of an issue that has none.
  if (i.parent_id && fields.includes("parent")) {
    key(w, "parent");
    issue_ref(w, *i.parent_id, i.parent_key.value_or(""), ctx);
  }
  if (want("resolution")) {
    if (!i.resolution) {
      w.Null();
    } else {
      fragment(w, ctx, 'r', *i.resolution, "",
               [&](JsonWriter& out) { resolution_object(out, *i.resolution, ctx); });
    }
  }
  if (want("resolutiondate")) {
    if (i.resolution_date_ms) {
      time_value(w, *i.resolution_date_ms, ctx);
    } else {
      w.Null();
    }
  }
  if (want("created")) time_value(w, i.created_ms, ctx);
  if (want("updated")) time_value(w, i.updated_ms, ctx);
  if (want("description")) rich_text(w, i.description_adf, i.description_text, ctx);
  if (want("environment")) rich_text(w, i.environment_adf, i.environment_text, ctx);
  if (want("duedate")) {
    if (i.due_date) {
      string_value(w, *i.due_date);
    } else {
      w.Null();
    }
  }
  if (want("issuelinks")) {
    w.StartArray();
    for (const auto& l : i.links) issue_link(w, l, ctx);
    w.EndArray();
  }
  if (want("subtasks")) {
    w.StartArray();
    for (const auto& s : i.subtasks) issue_ref(w, s.id, s.key, ctx);
    w.EndArray();
  }
  if (want("attachment")) attachments(w, i, ctx);
  if (want("timetracking")) time_tracking(w, i.time_tracking);
  if (want("timeoriginalestimate")) seconds_or_null(w, i.time_tracking.original_estimate_s);
  if (want("timeestimate")) seconds_or_null(w, i.time_tracking.remaining_estimate_s);
  if (want("timespent")) seconds_or_null(w, i.time_tracking.time_spent_s);
  if (want("comment")) comments(w, i, ctx);
  for (const auto& [id, value] : i.custom_fields) {
    if (!fields.includes(id)) continue;
    key(w, id);
    raw_json(w, value);
  }
  w.EndObject();
}

}  // namespace

std::string jira_name_id(const std::string& kind, const std::string& name) {
  // FNV-1a of kind and name: the same name always gets the same id.
  uint64_t h = 1469598103934665603ULL;
  for (const std::string* part : {&kind, &name}) {
    for (unsigned char c : *part) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0x1f;
    h *= 1099511628211ULL;
  }
  return std::to_string(10000 + h % 90000);
}

void write_jira_issue(JsonWriter& w, const JiraIssue& issue, const JiraFieldSelection& fields,
                      const JiraRenderContext& ctx) {
  w.StartObject();
  if (fields.id_only()) {
    member(w, "id", issue.id);
    w.EndObject();
    return;
  }
  member(w, "expand", kIssueExpand);
  member(w, "id", issue.id);
  link(w, "self", ctx, {"/rest/api/", std::to_string(ctx.api_version), "/issue/", issue.id});
  member(w, "key", issue.key);
  if (!fields.only_id_or_key()) {
    key(w, "fields");
    fields_object(w, issue, fields, ctx);
  }
  w.EndObject();
}

}  // namespace jirasync
