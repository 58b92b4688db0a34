#include "services/api/jira_compat/jira_issue_json.hpp"

#include <algorithm>
#include <cstdint>

#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

constexpr const char* kIssueExpand =
    "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations";

void key(JsonWriter& w, const char* name) {
  w.Key(name);
}

void string_value(JsonWriter& w, const std::string& value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void raw_json(JsonWriter& w, const std::string& json) {
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

void time_value(JsonWriter& w, int64_t ms, const JiraRenderContext& ctx) {
  string_value(w, format_jira_time(ms, ctx.time_zone));
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

void user(JsonWriter& w, const std::optional<JiraUser>& u, const JiraRenderContext& ctx) {
  if (!u) {
    w.Null();
    return;
  }
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/user?accountId=" + u->account_id);
  write_string(w, "accountId", u->account_id);
  write_string(w, "displayName", u->display_name);
  write_bool(w, "active", true);
  write_string(w, "timeZone", ctx.time_zone);
  write_string(w, "accountType", "atlassian");
  w.EndObject();
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

void status(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("status", i.status);
  const StatusCategory cat = status_category(i.status_category);
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/status/" + id);
  write_string(w, "description", "");
  write_string(w, "iconUrl", ctx.base_url + "/");
  write_string(w, "name", i.status);
  write_string(w, "id", id);
  key(w, "statusCategory");
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/statuscategory/" + std::to_string(cat.id));
  write_int64(w, "id", cat.id);
  write_string(w, "key", cat.key);
  write_string(w, "colorName", cat.color);
  write_string(w, "name", cat.name);
  w.EndObject();
  w.EndObject();
}

void issue_type(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  const std::string id = jira_name_id("issuetype", i.issue_type);
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/issuetype/" + id);
  write_string(w, "id", id);
  write_string(w, "description", "");
  write_string(w, "iconUrl", ctx.base_url + "/images/icons/issuetypes/" + id + ".svg");
  write_string(w, "name", i.issue_type);
  write_bool(w, "subtask", i.subtask);
  write_int64(w, "hierarchyLevel", i.subtask ? -1 : 0);
  w.EndObject();
}

void priority(JsonWriter& w, const std::optional<std::string>& name, const JiraRenderContext& ctx) {
  if (!name) {
    w.Null();
    return;
  }
  const std::string id = jira_name_id("priority", *name);
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/priority/" + id);
  write_string(w, "iconUrl", ctx.base_url + "/images/icons/priorities/" + id + ".svg");
  write_string(w, "name", *name);
  write_string(w, "id", id);
  w.EndObject();
}

void project(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  w.StartObject();
  write_string(w, "self", ctx.base_url + "/rest/api/3/project/" + i.project_id);
  write_string(w, "id", i.project_id);
  write_string(w, "key", i.project_key);
  write_string(w, "name", i.project_key);  // the cache keeps no project name
  write_string(w, "projectTypeKey", "software");
  write_bool(w, "simplified", false);
  w.EndObject();
}

void versions(JsonWriter& w, const std::vector<std::string>& names, const JiraRenderContext& ctx) {
  w.StartArray();
  for (const auto& name : names) {
    const std::string id = jira_name_id("version", name);
    w.StartObject();
    write_string(w, "self", ctx.base_url + "/rest/api/3/version/" + id);
    write_string(w, "id", id);
    write_string(w, "name", name);
    write_bool(w, "archived", false);
    write_bool(w, "released", false);
    w.EndObject();
  }
  w.EndArray();
}

// {"id","key","self","fields":{summary,status,priority,issuetype}} as Jira
// shows a parent, a sub-task and a link's other end.
void issue_ref(JsonWriter& w, const std::string& id, const std::string& issue_key,
               const JiraRenderContext& ctx) {
  const JiraIssue* other = ctx.related ? ctx.related(issue_key) : nullptr;
  w.StartObject();
  write_string(w, "id", id);
  write_string(w, "key", other ? other->key : issue_key);
  write_string(w, "self", ctx.base_url + "/rest/api/3/issue/" + id);
  key(w, "fields");
  w.StartObject();
  if (other) {
    write_string(w, "summary", other->summary);
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
std::string opposite_verb(const std::string& type, const std::string& direction,
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

void issue_link(JsonWriter& w, const JiraIssueLink& link, const JiraRenderContext& ctx) {
  const std::string type_id = jira_name_id("issueLinkType", link.type_name);
  const bool outward = link.direction == "outward";
  const std::string other_verb = opposite_verb(link.type_name, link.direction, link.label);
  w.StartObject();
  write_string(w, "id", link.id);
  write_string(w, "self", ctx.base_url + "/rest/api/3/issueLink/" + link.id);
  key(w, "type");
  w.StartObject();
  write_string(w, "id", type_id);
  write_string(w, "name", link.type_name);
  write_string(w, "inward", outward ? other_verb : link.label);
  write_string(w, "outward", outward ? link.label : other_verb);
  write_string(w, "self", ctx.base_url + "/rest/api/3/issueLinkType/" + type_id);
  w.EndObject();
  key(w, outward ? "outwardIssue" : "inwardIssue");
  issue_ref(w, link.other_id, link.other_key, ctx);
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
    write_string(w, "originalEstimate", readable_duration(*t.original_estimate_s));
  if (t.remaining_estimate_s) {
    write_string(w, "remainingEstimate", readable_duration(*t.remaining_estimate_s));
  }
  if (t.time_spent_s) write_string(w, "timeSpent", readable_duration(*t.time_spent_s));
  if (t.original_estimate_s) write_int64(w, "originalEstimateSeconds", *t.original_estimate_s);
  if (t.remaining_estimate_s) write_int64(w, "remainingEstimateSeconds", *t.remaining_estimate_s);
  if (t.time_spent_s) write_int64(w, "timeSpentSeconds", *t.time_spent_s);
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
  const std::string base = ctx.base_url + "/rest/api/3/issue/" + i.id + "/comment";
  w.StartObject();
  key(w, "comments");
  w.StartArray();
  for (const auto& c : i.comments) {
    w.StartObject();
    write_string(w, "self", base + "/" + c.id);
    write_string(w, "id", c.id);
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
    write_bool(w, "jsdPublic", true);
    w.EndObject();
  }
  w.EndArray();
  write_string(w, "self", base);
  write_int64(w, "maxResults", static_cast<int64_t>(i.comments.size()));
  write_int64(w, "total", static_cast<int64_t>(i.comments.size()));
  write_int64(w, "startAt", 0);
  w.EndObject();
}

void attachments(JsonWriter& w, const JiraIssue& i, const JiraRenderContext& ctx) {
  w.StartArray();
  for (const auto& a : i.attachments) {
    w.StartObject();
    write_string(w, "self", ctx.base_url + "/rest/api/3/attachment/" + a.id);
    write_string(w, "id", a.id);
    write_string(w, "filename", a.filename);
    key(w, "author");
    user(w, a.author, ctx);
    key(w, "created");
    time_value(w, a.created_ms, ctx);
    write_int64(w, "size", a.size_bytes);
    write_string(w, "mimeType", a.mime_type);
    write_string(w, "content", ctx.base_url + "/rest/api/3/attachment/content/" + a.id);
    w.EndObject();
  }
  w.EndArray();
}

void fields_object(JsonWriter& w, const JiraIssue& i, const JiraFieldSelection& fields,
                   const JiraRenderContext& ctx) {
  auto want = [&](const char* name) {
    if (!fields.includes(name)) return false;
    w.Key(name);
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
      const std::string id = jira_name_id("component", c);
      w.StartObject();
      write_string(w, "self", ctx.base_url + "/rest/api/3/component/" + id);
      write_string(w, "id", id);
      write_string(w, "name", c);
      w.EndObject();
    }
    w.EndArray();
  }
  if (want("fixVersions")) versions(w, i.fix_versions, ctx);
  if (want("versions")) versions(w, i.affected_versions, ctx);
  // Jira leaves `parent` out of an issue that has none.
  if (i.parent_id && fields.includes("parent")) {
    w.Key("parent");
    issue_ref(w, *i.parent_id, i.parent_key.value_or(""), ctx);
  }
  if (want("resolution")) {
    if (!i.resolution) {
      w.Null();
    } else {
      const std::string id = jira_name_id("resolution", *i.resolution);
      w.StartObject();
      write_string(w, "self", ctx.base_url + "/rest/api/3/resolution/" + id);
      write_string(w, "id", id);
      write_string(w, "description", "");
      write_string(w, "name", *i.resolution);
      w.EndObject();
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
    for (const auto& link : i.links) issue_link(w, link, ctx);
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
    w.Key(id.data(), static_cast<rapidjson::SizeType>(id.size()));
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
    write_string(w, "id", issue.id);
    w.EndObject();
    return;
  }
  write_string(w, "expand", kIssueExpand);
  write_string(w, "id", issue.id);
  write_string(
      w, "self",
      ctx.base_url + "/rest/api/" + std::to_string(ctx.api_version) + "/issue/" + issue.id);
  write_string(w, "key", issue.key);
  if (!fields.only_id_or_key()) {
    w.Key("fields");
    fields_object(w, issue, fields, ctx);
  }
  w.EndObject();
}

}  // namespace jirasync
