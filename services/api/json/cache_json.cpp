#include "services/api/json/cache_json.hpp"

#include "common/json/json_document.hpp"

namespace jirasync {
namespace {

void write_optional_user(JsonWriter& w, const char* name, const std::optional<JiraUser>& user) {
  w.Key(name);
  if (!user) {
    w.Null();
    return;
  }
  w.StartObject();
  write_string(w, "account_id", user->account_id);
  write_string(w, "display_name", user->display_name);
  w.EndObject();
}

std::string json_array_text(const std::vector<std::string>& names) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  for (const auto& n : names) w.String(n.data(), static_cast<rapidjson::SizeType>(n.size()));
  w.EndArray();
  return json_text(buffer);
}

// A stored JSON array of names; [] when it is not one.
void write_name_array(JsonWriter& w, const char* name, const std::string& json_text) {
  w.Key(name);
  w.StartArray();
  try {
    rapidjson::Document doc;
    parse_json_text(json_text, doc, name);
    if (doc.IsArray()) {
      for (const auto& v : doc.GetArray())
        if (v.IsString()) w.String(v.GetString(), v.GetStringLength());
    }
  } catch (const std::exception&) {
    // A malformed stored list shows as empty rather than failing the page.
  }
  w.EndArray();
}

}  // namespace

std::string json_text(const rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

int64_t issue_age_ms(const IssueOrigin& origin, int64_t now_ms) {
  return origin.synced_ms > 0 ? now_ms - origin.synced_ms : 0;
}

const std::vector<std::string>& issue_row_fields() {
  static const std::vector<std::string> kFields = {
      "id",         "key",          "project",    "issue_type", "status",     "status_category",
      "priority",   "assignee",     "reporter",   "resolution", "summary",    "labels",
      "components", "fix_versions", "parent_key", "created_ms", "updated_ms", "resolved_ms",
      "deleted"};
  return kFields;
}

void write_issue_row(JsonWriter& w, const IssueSearchRow& r, const IssueOrigin& origin,
                     int64_t now_ms, const std::set<std::string>& fields) {
  const auto shown = [&](const char* name) {
    return fields.empty() || fields.count(name) > 0 || std::string(name) == "key";
  };
  if (shown("id")) write_string(w, "id", r.id);
  if (shown("key")) write_string(w, "key", r.key);
  if (shown("project")) write_string(w, "project", r.project);
  if (shown("issue_type")) write_string(w, "issue_type", r.issue_type);
  if (shown("status")) write_string(w, "status", r.status);
  if (shown("status_category")) write_string(w, "status_category", r.status_category);
  if (shown("priority")) write_string(w, "priority", r.priority);
  if (shown("assignee")) write_string(w, "assignee", r.assignee);
  if (shown("reporter")) write_string(w, "reporter", r.reporter);
  if (shown("resolution")) write_string(w, "resolution", r.resolution);
  if (shown("summary")) write_string(w, "summary", r.summary);
  if (shown("labels")) write_name_array(w, "labels", r.labels);
  if (shown("components")) write_name_array(w, "components", r.components);
  if (shown("fix_versions")) write_name_array(w, "fix_versions", r.fix_versions);
  if (shown("parent_key")) write_string(w, "parent_key", r.parent_key);
  if (shown("created_ms")) write_int64(w, "created_ms", r.created_ms);
  if (shown("updated_ms")) write_int64(w, "updated_ms", r.updated_ms);
  if (shown("resolved_ms")) write_optional_int64(w, "resolved_ms", r.resolved_ms);
  if (shown("deleted")) write_bool(w, "deleted", r.deleted);
  write_string(w, "source", origin.source);
  write_int64(w, "synced_ms", origin.synced_ms);
  write_int64(w, "age_ms", issue_age_ms(origin, now_ms));
  write_bool(w, "stale", origin.stale);
}

IssueSearchRow search_row_of(const CachedTicket& ticket) {
  const JiraIssue& i = ticket.issue;
  IssueSearchRow r;
  r.id = ticket.id;
  r.key = ticket.key;
  r.project = i.project_key;
  r.issue_type = i.issue_type;
  r.status = i.status;
  r.status_category = i.status_category;
  r.priority = i.priority.value_or("");
  r.assignee = i.assignee ? i.assignee->display_name : "";
  r.reporter = i.reporter ? i.reporter->display_name : "";
  r.resolution = i.resolution.value_or("");
  r.summary = i.summary;
  r.labels = json_array_text(i.labels);
  r.components = json_array_text(i.components);
  r.fix_versions = json_array_text(i.fix_versions);
  r.parent_key = i.parent_key.value_or("");
  r.created_ms = i.created_ms;
  r.updated_ms = i.updated_ms;
  r.resolved_ms = i.resolution_date_ms;
  r.deleted = ticket.deleted;
  return r;
}

void write_issue_details(JsonWriter& w, const JiraIssue& i) {
  write_string(w, "description", i.description_text);
  write_string(w, "environment", i.environment_text);
  write_optional_string(w, "due_date", i.due_date);
  write_optional_user(w, "creator", i.creator);
  write_strings(w, "affected_versions", i.affected_versions);
  w.Key("comments");
  w.StartArray();
  for (const JiraComment& c : i.comments) {
    w.StartObject();
    write_string(w, "author", c.author ? c.author->display_name : "");
    write_int64(w, "created_ms", c.created_ms);
    write_string(w, "body", c.body_text);
    w.EndObject();
  }
  w.EndArray();
  w.Key("custom_fields");
  w.StartObject();
  for (const auto& [id, value] : i.custom_fields) {
    w.Key(id.data(), static_cast<rapidjson::SizeType>(id.size()));
    write_stored_json(w, value);
  }
  w.EndObject();
  w.Key("issue_links");
  w.StartArray();
  for (const JiraIssueLink& l : i.links) {
    w.StartObject();
    write_string(w, "type", l.type_name);
    write_string(w, "direction", l.direction);
    write_string(w, "label", l.label);
    write_string(w, "key", l.other_key);
    w.EndObject();
  }
  w.EndArray();
  w.Key("subtasks");
  w.StartArray();
  for (const JiraSubtaskRef& s : i.subtasks) w.String(s.key.data(), s.key.size());
  w.EndArray();
  w.Key("attachments");
  w.StartArray();
  for (const JiraAttachment& a : i.attachments) {
    w.StartObject();
    write_string(w, "filename", a.filename);
    write_string(w, "mime_type", a.mime_type);
    write_int64(w, "size_bytes", a.size_bytes);
    write_int64(w, "created_ms", a.created_ms);
    w.EndObject();
  }
  w.EndArray();
}

void write_local_edits(JsonWriter& w, const std::vector<LocalEdit>& edits) {
  w.Key("local_edits");
  w.StartArray();
  for (const LocalEdit& e : edits) {
    w.StartObject();
    write_string(w, "field", e.field);
    write_string(w, "value", e.value);
    write_int64(w, "edited_ms", e.edited_ms);
    w.EndObject();
  }
  w.EndArray();
}

void write_conflict(JsonWriter& w, const Conflict& c, const std::string& key) {
  w.StartObject();
  write_int64(w, "id", c.id);
  write_string(w, "key", key);
  write_string(w, "field", c.field);
  write_string(w, "local_value", c.local_value);
  write_string(w, "jira_value", c.jira_value);
  write_string(w, "strategy", c.strategy);
  write_string(w, "outcome", c.outcome);
  write_bool(w, "open", c.open);
  write_int64(w, "at_ms", c.at_ms);
  w.EndObject();
}

void write_stored_json(JsonWriter& w, const std::string& json_text) {
  rapidjson::Document doc;
  try {
    parse_json_text(json_text, doc, "stored");
  } catch (const std::exception&) {
    w.Null();
    return;
  }
  doc.Accept(w);
}

}  // namespace jirasync
