#include "common/envelope/issue_codec.hpp"

#include "common/envelope/envelope_format.hpp"
#include "common/json/json_document.hpp"

namespace jirasync {
namespace {

using envelope::FieldReader;
using envelope::JsonWriter;

void write_user(JsonWriter& w, const char* name, const std::optional<JiraUser>& user) {
  w.Key(name);
  if (!user) {
    w.Null();
    return;
  }
  w.StartObject();
  envelope::write_string(w, "account_id", user->account_id);
  envelope::write_string(w, "display_name", user->display_name);
  w.EndObject();
}

std::optional<JiraUser> read_user(const FieldReader& r, const char* name) {
  const rapidjson::Value* v = r.optional(name);
  if (!v) return std::nullopt;
  const FieldReader user(*v, r.field(name));
  return JiraUser{user.string("account_id"), user.string("display_name")};
}

void write_custom_fields(JsonWriter& w, const std::map<std::string, std::string>& fields) {
  if (fields.empty()) return;
  w.Key("custom_fields_json");
  w.StartObject();
  for (const auto& [id, json] : fields) envelope::write_string(w, id.c_str(), json);
  w.EndObject();
}

void read_custom_fields(const FieldReader& r, JiraIssue& issue) {
  if (const rapidjson::Value* raw = r.optional("custom_fields")) {
    if (!raw->IsObject()) {
      throw PayloadError(r.field("custom_fields"),
                         std::string("expected an object, got ") + envelope::kind_of(*raw));
    }
    for (auto it = raw->MemberBegin(); it != raw->MemberEnd(); ++it) {
      issue.custom_fields[std::string(it->name.GetString(), it->name.GetStringLength())] =
          compact_json(it->value);
    }
  }
  if (const rapidjson::Value* text = r.optional("custom_fields_json")) {
    if (!text->IsObject()) {
      throw PayloadError(r.field("custom_fields_json"),
                         std::string("expected an object, got ") + envelope::kind_of(*text));
    }
    for (auto it = text->MemberBegin(); it != text->MemberEnd(); ++it) {
      const std::string id(it->name.GetString(), it->name.GetStringLength());
      if (!it->value.IsString()) {
        throw PayloadError(r.field("custom_fields_json") + "." + id,
                           std::string("expected a string, got ") + envelope::kind_of(it->value));
      }
      issue.custom_fields[id] = std::string(it->value.GetString(), it->value.GetStringLength());
    }
  }
}

// The members of migration 5. Each list is left out when empty, so issues
// without them cost nothing on the topic; readers default what is absent
// (decisions written before them).
void write_more_fields(JsonWriter& w, const JiraIssue& issue) {
  if (issue.due_date) envelope::write_string(w, "due_date", *issue.due_date);
  if (issue.creator) write_user(w, "creator", issue.creator);
  if (!issue.affected_versions.empty()) {
    envelope::write_strings(w, "affected_versions", issue.affected_versions);
  }
  if (!issue.environment_adf.empty()) {
    envelope::write_string(w, "environment_adf_json", issue.environment_adf);
  }
  if (!issue.environment_text.empty()) {
    envelope::write_string(w, "environment_text", issue.environment_text);
  }
  if (!issue.comments.empty()) {
    w.Key("comments");
    w.StartArray();
    for (const JiraComment& c : issue.comments) {
      w.StartObject();
      envelope::write_string(w, "id", c.id);
      write_user(w, "author", c.author);
      envelope::write_string(w, "body_adf_json", c.body_adf);
      envelope::write_string(w, "body_text", c.body_text);
      envelope::write_int64(w, "created_ms", c.created_ms);
      envelope::write_int64(w, "updated_ms", c.updated_ms);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!issue.links.empty()) {
    w.Key("links");
    w.StartArray();
    for (const JiraIssueLink& l : issue.links) {
      w.StartObject();
      envelope::write_string(w, "id", l.id);
      envelope::write_string(w, "type_name", l.type_name);
      envelope::write_string(w, "direction", l.direction);
      envelope::write_string(w, "label", l.label);
      envelope::write_string(w, "other_id", l.other_id);
      envelope::write_string(w, "other_key", l.other_key);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!issue.subtasks.empty()) {
    w.Key("subtasks");
    w.StartArray();
    for (const JiraSubtaskRef& st : issue.subtasks) {
      w.StartObject();
      envelope::write_string(w, "id", st.id);
      envelope::write_string(w, "key", st.key);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!issue.attachments.empty()) {
    w.Key("attachments");
    w.StartArray();
    for (const JiraAttachment& a : issue.attachments) {
      w.StartObject();
      envelope::write_string(w, "id", a.id);
      envelope::write_string(w, "filename", a.filename);
      envelope::write_string(w, "mime_type", a.mime_type);
      envelope::write_int64(w, "size_bytes", a.size_bytes);
      envelope::write_int64(w, "created_ms", a.created_ms);
      write_user(w, "author", a.author);
      w.EndObject();
    }
    w.EndArray();
  }
  if (issue.time_tracking != JiraTimeTracking{}) {
    w.Key("time_tracking");
    w.StartObject();
    write_optional_int64(w, "original_estimate_s", issue.time_tracking.original_estimate_s);
    write_optional_int64(w, "remaining_estimate_s", issue.time_tracking.remaining_estimate_s);
    write_optional_int64(w, "time_spent_s", issue.time_tracking.time_spent_s);
    w.EndObject();
  }
}

// Calls `read` with a reader for every object of the optional array `name`.
template <typename Read>
void read_list(const FieldReader& r, const char* name, Read read) {
  const rapidjson::Value* v = r.optional(name);
  if (v == nullptr) return;
  if (!v->IsArray()) {
    throw PayloadError(r.field(name),
                       std::string("expected an array, got ") + envelope::kind_of(*v));
  }
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    read(FieldReader((*v)[i], r.field(name) + "[" + std::to_string(i) + "]"));
  }
}

void read_more_fields(const FieldReader& r, JiraIssue& issue) {
  issue.due_date = r.optional_string("due_date");
  issue.creator = read_user(r, "creator");
  if (r.optional("affected_versions")) issue.affected_versions = r.strings("affected_versions");
  if (r.optional("environment_adf_json")) {
    issue.environment_adf = r.string("environment_adf_json");
  }
  if (r.optional("environment_text")) issue.environment_text = r.string("environment_text");
  read_list(r, "comments", [&](const FieldReader& c) {
    issue.comments.push_back({c.string("id"), read_user(c, "author"), c.string("body_adf_json"),
                              c.string("body_text"), c.int64("created_ms"), c.int64("updated_ms")});
  });
  read_list(r, "links", [&](const FieldReader& l) {
    issue.links.push_back({l.string("id"), l.string("type_name"), l.string("direction"),
                           l.string("label"), l.string("other_id"), l.string("other_key")});
  });
  read_list(r, "subtasks", [&](const FieldReader& st) {
    issue.subtasks.push_back({st.string("id"), st.string("key")});
  });
  read_list(r, "attachments", [&](const FieldReader& a) {
    issue.attachments.push_back({a.string("id"), a.string("filename"), a.string("mime_type"),
                                 a.int64("size_bytes"), a.int64("created_ms"),
                                 read_user(a, "author")});
  });
  if (const rapidjson::Value* t = r.optional("time_tracking")) {
    const FieldReader tr(*t, r.field("time_tracking"));
    issue.time_tracking = {tr.optional_int64("original_estimate_s"),
                           tr.optional_int64("remaining_estimate_s"),
                           tr.optional_int64("time_spent_s")};
  }
}

}  // namespace

void write_issue(JsonWriter& w, const JiraIssue& issue) {
  w.StartObject();
  envelope::write_string(w, "id", issue.id);
  envelope::write_string(w, "key", issue.key);
  envelope::write_string(w, "project_key", issue.project_key);
  envelope::write_string(w, "project_id", issue.project_id);
  envelope::write_string(w, "issue_type", issue.issue_type);
  envelope::write_bool(w, "subtask", issue.subtask);
  envelope::write_string(w, "status", issue.status);
  envelope::write_string(w, "status_category", issue.status_category);
  envelope::write_optional_string(w, "priority", issue.priority);
  write_user(w, "assignee", issue.assignee);
  write_user(w, "reporter", issue.reporter);
  envelope::write_strings(w, "labels", issue.labels);
  envelope::write_strings(w, "components", issue.components);
  envelope::write_strings(w, "fix_versions", issue.fix_versions);
  envelope::write_optional_string(w, "parent_id", issue.parent_id);
  envelope::write_optional_string(w, "parent_key", issue.parent_key);
  envelope::write_optional_string(w, "resolution", issue.resolution);
  envelope::write_int64(w, "created_ms", issue.created_ms);
  envelope::write_int64(w, "updated_ms", issue.updated_ms);
  w.Key("resolution_date_ms");
  if (issue.resolution_date_ms) {
    w.Int64(*issue.resolution_date_ms);
  } else {
    w.Null();
  }
  envelope::write_string(w, "summary", issue.summary);
  if (!issue.description_adf.empty()) {
    envelope::write_string(w, "description_adf_json", issue.description_adf);
  }
  envelope::write_string(w, "description_text", issue.description_text);
  write_custom_fields(w, issue.custom_fields);
  write_more_fields(w, issue);
  w.EndObject();
}

std::string issue_to_json(const JiraIssue& issue) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write_issue(w, issue);
  return std::string(buffer.GetString(), buffer.GetSize());
}

JiraIssue issue_from_json(const rapidjson::Value& value, const std::string& path) {
  const FieldReader r(value, path);
  JiraIssue issue;
  issue.id = r.string("id");
  issue.key = r.string("key");
  issue.project_key = r.string("project_key");
  issue.project_id = r.string("project_id");
  issue.issue_type = r.string("issue_type");
  issue.subtask = r.boolean("subtask");
  issue.status = r.string("status");
  issue.status_category = r.string("status_category");
  issue.priority = r.optional_string("priority");
  issue.assignee = read_user(r, "assignee");
  issue.reporter = read_user(r, "reporter");
  issue.labels = r.strings("labels");
  issue.components = r.strings("components");
  issue.fix_versions = r.strings("fix_versions");
  issue.parent_id = r.optional_string("parent_id");
  issue.parent_key = r.optional_string("parent_key");
  issue.resolution = r.optional_string("resolution");
  issue.created_ms = r.int64("created_ms");
  issue.updated_ms = r.int64("updated_ms");
  issue.resolution_date_ms = r.optional_int64("resolution_date_ms");
  issue.summary = r.string("summary");
  // Looked up directly, not through optional(): an embedded ADF of `null` is a value.
  if (value.HasMember("description_adf")) {
    issue.description_adf = compact_json(value["description_adf"]);
  } else if (value.HasMember("description_adf_json")) {
    issue.description_adf = r.string("description_adf_json");
  }
  issue.description_text = r.string("description_text");
  read_custom_fields(r, issue);
  read_more_fields(r, issue);
  return issue;
}

JiraIssue issue_from_json(const std::string& json) {
  rapidjson::Document doc;
  parse_json_text(json, doc, "json", kMaxJsonDepth, JsonNumbers::kFullPrecision);
  return issue_from_json(doc, "issue");
}

}  // namespace jirasync
