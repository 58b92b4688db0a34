#include "common/model/issue_parser.hpp"

#include <set>
#include <string_view>

#include "common/adf/adf_text.hpp"
#include "common/json/json_document.hpp"
#include "common/json/payload_error.hpp"
#include "common/model/canonical_json.hpp"
#include "common/time/jira_time.hpp"

namespace jirasync {
namespace {

using rapidjson::Value;

constexpr std::string_view kCustomFieldPrefix = "customfield_";

// A JSON path ("fields.comment.comments[3].author.accountId") spelled out only
// when an error names it: building one for every member read was a tenth of
// the parse.
class FieldPath {
 public:
  FieldPath(const char* root) : text_(root) {}  // NOLINT: literals are paths
  FieldPath(const FieldPath& parent, const char* member) : parent_(&parent), text_(member) {}
  FieldPath(const FieldPath& parent, rapidjson::SizeType index)
      : parent_(&parent), index_(index), indexed_(true) {}

  std::string str() const {
    std::string out = parent_ == nullptr ? std::string() : parent_->str();
    if (indexed_) return out + "[" + std::to_string(index_) + "]";
    if (parent_ != nullptr) out += '.';
    return out + text_;
  }

 private:
  const FieldPath* parent_ = nullptr;
  const char* text_ = "";
  rapidjson::SizeType index_ = 0;
  bool indexed_ = false;
};

const char* json_type_name(const Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

[[noreturn]] void wrong_type(const FieldPath& path, const char* wanted, const Value& got) {
  throw PayloadError(path.str(), std::string("must be ") + wanted + ", got " + json_type_name(got));
}

// Reads one issue object; `complete` adds the cache's required fields.
class IssueReader {
 public:
  IssueReader(const ParseLimits& limits, bool complete) : limits_(limits), complete_(complete) {}

  IssueRef ref(const Value& issue) {
    if (!issue.IsObject()) wrong_type("issue", "an object", issue);
    IssueRef r;
    r.id = string_member(issue, "id", "id", true);
    if (r.id.empty()) throw PayloadError("id", "must not be empty");
    for (char c : r.id) {
      if (c < '0' || c > '9') throw PayloadError("id", "must be a numeric string");
    }
    r.key = string_member(issue, "key", "key", true);
    if (r.key.empty()) throw PayloadError("key", "must not be empty");
    return r;
  }

  JiraIssue issue(const Value& issue_object) {
    IssueRef r = ref(issue_object);
    JiraIssue out;
    out.id = std::move(r.id);
    out.key = std::move(r.key);
    const Value* fields = member(issue_object, "fields", "fields", complete_);
    if (fields == nullptr) return out;
    if (!fields->IsObject()) wrong_type("fields", "an object", *fields);
    read_fields(*fields, out);
    return out;
  }

 private:
  // The member, or nullptr when absent or null (Jira's "unset"); a required
  // member that is absent or null is an error.
  const Value* member(const Value& obj, const char* name, const FieldPath& path, bool required) {
    auto it = obj.FindMember(name);
    if (it == obj.MemberEnd() || it->value.IsNull()) {
      if (required) throw PayloadError(path.str(), "is required but missing or null");
      return nullptr;
    }
    return &it->value;
  }

  std::string checked_string(const Value& v, const FieldPath& path) {
    if (!v.IsString()) wrong_type(path, "a string", v);
    if (v.GetStringLength() > limits_.max_field_bytes) too_big(path, v.GetStringLength());
    return std::string(v.GetString(), v.GetStringLength());
  }

  std::string string_member(const Value& obj, const char* name, const FieldPath& path,
                            bool required) {
    const Value* v = member(obj, name, path, required);
    return v == nullptr ? std::string() : checked_string(*v, path);
  }

  std::optional<std::string> optional_string(const Value& obj, const char* name,
                                             const FieldPath& path) {
    const Value* v = member(obj, name, path, false);
    if (v == nullptr) return std::nullopt;
    return checked_string(*v, path);
  }

  [[noreturn]] void too_big(const FieldPath& path, size_t bytes) {
    throw PayloadError(path.str(), "is " + std::to_string(bytes) + " bytes, over the limit of " +
                                       std::to_string(limits_.max_field_bytes));
  }

  const Value* object_member(const Value& obj, const char* name, const FieldPath& path,
                             bool required) {
    const Value* v = member(obj, name, path, required);
    if (v != nullptr && !v->IsObject()) wrong_type(path, "an object", *v);
    return v;
  }

  // {"name": ...} objects (priority, resolution, components[i], ...).
  std::optional<std::string> name_of(const Value& obj, const char* name, const FieldPath& path,
                                     bool required) {
    const Value* v = object_member(obj, name, path, required);
    if (v == nullptr) return std::nullopt;
    return string_member(*v, "name", FieldPath(path, "name"), true);
  }

  int64_t timestamp(const Value& v, const FieldPath& path) {
    if (v.IsInt64()) return v.GetInt64();
    if (!v.IsString()) wrong_type(path, "a timestamp string", v);
    try {
      return parse_jira_time(checked_string(v, path));
    } catch (const TimeFormatError& e) {
      throw PayloadError(path.str(), e.what());
    }
  }

  std::optional<int64_t> timestamp_member(const Value& obj, const char* name, const FieldPath& path,
                                          bool required) {
    const Value* v = member(obj, name, path, required);
    if (v == nullptr) return std::nullopt;
    return timestamp(*v, path);
  }

  std::optional<JiraUser> user(const Value& fields, const char* name, const FieldPath& path) {
    const Value* v = object_member(fields, name, path, false);
    if (v == nullptr) return std::nullopt;
    JiraUser u;
    u.account_id = string_member(*v, "accountId", FieldPath(path, "accountId"), true);
    if (u.account_id.empty()) throw PayloadError(path.str() + ".accountId", "must not be empty");
    u.display_name = string_member(*v, "displayName", FieldPath(path, "displayName"), false);
    return u;
  }

  const Value* array_member(const Value& obj, const char* name, const FieldPath& path) {
    const Value* v = member(obj, name, path, false);
    if (v != nullptr && !v->IsArray()) wrong_type(path, "an array", *v);
    return v;
  }

  std::vector<std::string> labels(const Value& fields) {
    std::vector<std::string> out;
    const FieldPath labels_path("fields.labels");
    const Value* v = array_member(fields, "labels", labels_path);
    if (v == nullptr) return out;
    if (v->Size() > limits_.max_labels) {
      throw PayloadError("fields.labels", "has " + std::to_string(v->Size()) +
                                              " labels, over the limit of " +
                                              std::to_string(limits_.max_labels));
    }
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      out.push_back(checked_string((*v)[i], FieldPath(labels_path, i)));
    }
    return out;
  }

  std::vector<std::string> names(const Value& fields, const char* name) {
    std::vector<std::string> out;
    const FieldPath fields_path("fields");
    const FieldPath path(fields_path, name);
    const Value* v = array_member(fields, name, path);
    if (v == nullptr) return out;
    if (v->Size() > limits_.max_labels) {
      throw PayloadError(path.str(), "has " + std::to_string(v->Size()) +
                                         " entries, over the limit of " +
                                         std::to_string(limits_.max_labels));
    }
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const Value& entry = (*v)[i];
      const FieldPath entry_path(path, i);
      if (!entry.IsObject()) wrong_type(entry_path, "an object", entry);
      out.push_back(string_member(entry, "name", FieldPath(entry_path, "name"), true));
    }
    return out;
  }

  // An ADF document (v3) or plain text (older payloads, wrapped as a one-
  // paragraph doc so the cache has one shape): canonical JSON and its text.
  // Null, absent or "" leave both empty.
  void adf_value(const Value* v, const FieldPath& path, std::string& adf, std::string& text) {
    if (v == nullptr) return;
    if (v->IsString()) {
      std::string plain = checked_string(*v, path);
      if (plain.empty()) return;
      rapidjson::Document doc(rapidjson::kObjectType);
      auto& a = doc.GetAllocator();
      Value text_node(rapidjson::kObjectType);
      text_node.AddMember("type", "text", a);
      text_node.AddMember(
          "text", Value(plain.c_str(), static_cast<rapidjson::SizeType>(plain.size()), a), a);
      Value paragraph(rapidjson::kObjectType);
      paragraph.AddMember("type", "paragraph", a);
      paragraph.AddMember("content", Value(rapidjson::kArrayType).PushBack(text_node, a), a);
      doc.AddMember("type", "doc", a);
      doc.AddMember("version", 1, a);
      doc.AddMember("content", Value(rapidjson::kArrayType).PushBack(paragraph, a), a);
      store_adf(doc, path, adf, text);
      return;
    }
    if (!v->IsObject()) wrong_type(path, "an ADF object or a string", *v);
    store_adf(*v, path, adf, text);
  }

  void store_adf(const Value& doc, const FieldPath& path, std::string& adf, std::string& text) {
    adf = canonical_json(doc);
    if (adf.size() > limits_.max_field_bytes) too_big(path, adf.size());
    text = adf_to_text(doc, path.str());
  }

  void description(const Value& fields, JiraIssue& out) {
    adf_value(member(fields, "description", "fields.description", false), "fields.description",
              out.description_adf, out.description_text);
  }

  // An array member with at most `max` entries; nullptr when absent or null.
  const Value* bounded_array(const Value& obj, const char* name, const FieldPath& path,
                             size_t max) {
    const Value* v = array_member(obj, name, path);
    if (v != nullptr && v->Size() > max) {
      throw PayloadError(path.str(), "has " + std::to_string(v->Size()) +
                                         " entries, over the limit of " + std::to_string(max));
    }
    return v;
  }

  const Value& entry_object(const Value& array, rapidjson::SizeType i, const FieldPath& path) {
    const Value& entry = array[i];
    if (!entry.IsObject()) wrong_type(path, "an object", entry);
    return entry;
  }

  std::optional<int64_t> integer_member(const Value& obj, const char* name, const FieldPath& path) {
    const Value* v = member(obj, name, path, false);
    if (v == nullptr) return std::nullopt;
    if (!v->IsInt64()) wrong_type(path, "an integer", *v);
    return v->GetInt64();
  }

  // Ids Jira gives as strings, or as integers in some schemas (AttachmentMetadata).
  std::string id_member(const Value& obj, const FieldPath& path) {
    const Value* v = member(obj, "id", path, true);
    if (v->IsInt64()) return std::to_string(v->GetInt64());
    std::string id = checked_string(*v, path);
    if (id.empty()) throw PayloadError(path.str(), "must not be empty");
    return id;
  }

  void due_date(const Value& f, JiraIssue& out) {
    const Value* v = member(f, "duedate", "fields.duedate", false);
    if (v == nullptr) return;
    std::string text = checked_string(*v, "fields.duedate");
    if (!is_calendar_date(text)) {
      throw PayloadError("fields.duedate",
                         "must be a date YYYY-MM-DD, got \"" + text.substr(0, 40) + "\"");
    }
    out.due_date = std::move(text);
  }

  static bool is_calendar_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
      if (s[i] < '0' || s[i] > '9') return false;
    }
    const int year = std::stoi(s.substr(0, 4));
    const int month = std::stoi(s.substr(5, 2));
    const int day = std::stoi(s.substr(8, 2));
    if (month < 1 || month > 12 || day < 1) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  }

  void issue_links(const Value& f, JiraIssue& out) {
    const FieldPath path("fields.issuelinks");
    const Value* v = bounded_array(f, "issuelinks", path, limits_.max_links);
    if (v == nullptr) return;
    std::set<std::string> ids;  // the cache keys them by id
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const FieldPath at(path, i);
      const Value& link = entry_object(*v, i, at);
      JiraIssueLink l;
      l.id = id_member(link, FieldPath(at, "id"));
      if (!ids.insert(l.id).second) throw PayloadError(at.str() + ".id", "appears more than once");
      const Value* type = object_member(link, "type", FieldPath(at, "type"), true);
      l.type_name = string_member(*type, "name", FieldPath(FieldPath(at, "type"), "name"), true);
      const Value* inward = object_member(link, "inwardIssue", FieldPath(at, "inwardIssue"), false);
      const Value* outward =
          object_member(link, "outwardIssue", FieldPath(at, "outwardIssue"), false);
      if (inward && outward) throw PayloadError(at.str(), "has both inwardIssue and outwardIssue");
      if (!inward && !outward)
        throw PayloadError(at.str(), "has neither inwardIssue nor outwardIssue");
      const char* side = inward ? "inwardIssue" : "outwardIssue";
      l.direction = inward ? "inward" : "outward";
      l.label =
          string_member(*type, inward ? "inward" : "outward",
                        FieldPath(FieldPath(at, "type"), inward ? "inward" : "outward"), false);
      const Value& other = inward ? *inward : *outward;
      l.other_id = string_member(other, "id", FieldPath(FieldPath(at, side), "id"), true);
      l.other_key = string_member(other, "key", FieldPath(FieldPath(at, side), "key"), true);
      out.links.push_back(std::move(l));
    }
  }

  void subtasks(const Value& f, JiraIssue& out) {
    const FieldPath path("fields.subtasks");
    const Value* v = bounded_array(f, "subtasks", path, limits_.max_links);
    if (v == nullptr) return;
    std::set<std::string> ids;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const FieldPath at(path, i);
      const Value& sub = entry_object(*v, i, at);
      JiraSubtaskRef ref{string_member(sub, "id", FieldPath(at, "id"), true),
                         string_member(sub, "key", FieldPath(at, "key"), true)};
      if (!ids.insert(ref.id).second)
        throw PayloadError(at.str() + ".id", "appears more than once");
      out.subtasks.push_back(std::move(ref));
    }
  }

  void attachments(const Value& f, JiraIssue& out) {
    const FieldPath path("fields.attachment");
    const Value* v = bounded_array(f, "attachment", path, limits_.max_attachments);
    if (v == nullptr) return;
    std::set<std::string> ids;
    for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
      const FieldPath at(path, i);
      const Value& entry = entry_object(*v, i, at);
      JiraAttachment a;
      a.id = id_member(entry, FieldPath(at, "id"));
      if (!ids.insert(a.id).second) throw PayloadError(at.str() + ".id", "appears more than once");
      a.filename = string_member(entry, "filename", FieldPath(at, "filename"), false);
      a.mime_type = string_member(entry, "mimeType", FieldPath(at, "mimeType"), false);
      a.size_bytes = integer_member(entry, "size", FieldPath(at, "size")).value_or(0);
      if (a.size_bytes < 0) throw PayloadError(at.str() + ".size", "must not be negative");
      a.created_ms =
          timestamp_member(entry, "created", FieldPath(at, "created"), false).value_or(0);
      a.author = user(entry, "author", FieldPath(at, "author"));
      out.attachments.push_back(std::move(a));
    }
  }

  void time_tracking(const Value& f, JiraIssue& out) {
    JiraTimeTracking& t = out.time_tracking;
    if (const Value* v = object_member(f, "timetracking", "fields.timetracking", false)) {
      const FieldPath path("fields.timetracking");
      t.original_estimate_s =
          integer_member(*v, "originalEstimateSeconds", FieldPath(path, "originalEstimateSeconds"));
      t.remaining_estimate_s = integer_member(*v, "remainingEstimateSeconds",
                                              FieldPath(path, "remainingEstimateSeconds"));
      t.time_spent_s = integer_member(*v, "timeSpentSeconds", FieldPath(path, "timeSpentSeconds"));
      return;
    }
    // The same values as plain fields (seconds), when timetracking was not asked for.
    t.original_estimate_s =
        integer_member(f, "timeoriginalestimate", "fields.timeoriginalestimate");
    t.remaining_estimate_s = integer_member(f, "timeestimate", "fields.timeestimate");
    t.time_spent_s = integer_member(f, "timespent", "fields.timespent");
  }

  // fields.comment is a PageOfComments in Jira's responses; the spec's own
  // examples give a bare array of comments, read as a complete list.
  void comments(const Value& f, JiraIssue& out) {
    const Value* page = member(f, "comment", "fields.comment", false);
    if (page == nullptr) return;
    if (!page->IsObject() && !page->IsArray()) {
      wrong_type("fields.comment", "an object or an array", *page);
    }
    const FieldPath path(page->IsArray() ? "fields.comment" : "fields.comment.comments");
    const Value* v = page->IsArray() ? page : array_member(*page, "comments", path);
    if (v != nullptr && v->Size() > limits_.max_comments) {
      throw PayloadError(path.str(), "has " + std::to_string(v->Size()) +
                                         " entries, over the limit of " +
                                         std::to_string(limits_.max_comments));
    }
    std::set<std::string> ids;
    if (v != nullptr) {
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        const FieldPath at(path, i);
        const Value& entry = entry_object(*v, i, at);
        JiraComment c;
        c.id = id_member(entry, FieldPath(at, "id"));
        if (!ids.insert(c.id).second)
          throw PayloadError(at.str() + ".id", "appears more than once");
        c.author = user(entry, "author", FieldPath(at, "author"));
        adf_value(member(entry, "body", FieldPath(at, "body"), false), FieldPath(at, "body"),
                  c.body_adf, c.body_text);
        c.created_ms =
            timestamp_member(entry, "created", FieldPath(at, "created"), false).value_or(0);
        c.updated_ms = timestamp_member(entry, "updated", FieldPath(at, "updated"), false)
                           .value_or(c.created_ms);
        out.comments.push_back(std::move(c));
      }
    }
    if (page->IsArray()) return;
    const std::optional<int64_t> total = integer_member(*page, "total", "fields.comment.total");
    if (complete_ && total && *total > static_cast<int64_t>(out.comments.size())) {
      throw PayloadError("fields.comment", "holds " + std::to_string(out.comments.size()) + " of " +
                                               std::to_string(*total) +
                                               " comments (the rest were not fetched)");
    }
  }

  void more_fields(const Value& f, JiraIssue& out) {
    due_date(f, out);
    out.creator = user(f, "creator", "fields.creator");
    out.affected_versions = names(f, "versions");
    adf_value(member(f, "environment", "fields.environment", false), "fields.environment",
              out.environment_adf, out.environment_text);
    issue_links(f, out);
    subtasks(f, out);
    attachments(f, out);
    time_tracking(f, out);
    comments(f, out);
  }

  void custom_fields(const Value& fields, JiraIssue& out) {
    for (auto it = fields.MemberBegin(); it != fields.MemberEnd(); ++it) {
      std::string_view name(it->name.GetString(), it->name.GetStringLength());
      if (name.substr(0, kCustomFieldPrefix.size()) != kCustomFieldPrefix) continue;
      if (it->value.IsNull()) continue;
      const FieldPath fields_path("fields");
      const FieldPath path(fields_path, it->name.GetString());
      if (out.custom_fields.size() >= limits_.max_custom_fields) {
        throw PayloadError("fields", "has more than " + std::to_string(limits_.max_custom_fields) +
                                         " non-null custom fields");
      }
      std::string value = canonical_json(it->value);
      if (value.size() > limits_.max_field_bytes) too_big(path, value.size());
      if (!out.custom_fields.emplace(std::string(name), std::move(value)).second) {
        throw PayloadError(path.str(), "appears more than once");
      }
    }
  }

  void read_fields(const Value& f, JiraIssue& out) {
    if (const Value* project = object_member(f, "project", "fields.project", complete_)) {
      out.project_key = string_member(*project, "key", "fields.project.key", true);
      out.project_id = string_member(*project, "id", "fields.project.id", false);
    }
    if (const Value* type = object_member(f, "issuetype", "fields.issuetype", complete_)) {
      out.issue_type = string_member(*type, "name", "fields.issuetype.name", true);
      if (const Value* sub = member(*type, "subtask", "fields.issuetype.subtask", false)) {
        if (!sub->IsBool()) wrong_type("fields.issuetype.subtask", "a boolean", *sub);
        out.subtask = sub->GetBool();
      }
    }
    if (const Value* status = object_member(f, "status", "fields.status", complete_)) {
      out.status = string_member(*status, "name", "fields.status.name", true);
      if (const Value* cat =
              object_member(*status, "statusCategory", "fields.status.statusCategory", false)) {
        out.status_category = string_member(*cat, "key", "fields.status.statusCategory.key", false);
      }
    }
    out.priority = name_of(f, "priority", "fields.priority", false);
    out.resolution = name_of(f, "resolution", "fields.resolution", false);
    out.assignee = user(f, "assignee", "fields.assignee");
    out.reporter = user(f, "reporter", "fields.reporter");
    out.labels = labels(f);
    out.components = names(f, "components");
    out.fix_versions = names(f, "fixVersions");
    if (const Value* parent = object_member(f, "parent", "fields.parent", false)) {
      out.parent_id = string_member(*parent, "id", "fields.parent.id", true);
      out.parent_key = string_member(*parent, "key", "fields.parent.key", true);
    }
    out.created_ms = timestamp_member(f, "created", "fields.created", complete_).value_or(0);
    out.updated_ms = timestamp_member(f, "updated", "fields.updated", complete_).value_or(0);
    out.resolution_date_ms = timestamp_member(f, "resolutiondate", "fields.resolutiondate", false);
    if (auto summary = optional_string(f, "summary", "fields.summary")) {
      out.summary = std::move(*summary);
    } else if (complete_) {
      throw PayloadError("fields.summary", "is required but missing or null");
    }
    description(f, out);
    custom_fields(f, out);
    more_fields(f, out);
  }

  const ParseLimits& limits_;
  bool complete_;
};

JiraIssue parse_text(std::string_view json, const ParseLimits& limits, bool complete) {
  if (json.size() > limits.max_issue_bytes) {
    throw PayloadError("issue", "is " + std::to_string(json.size()) + " bytes, over the limit of " +
                                    std::to_string(limits.max_issue_bytes));
  }
  rapidjson::Document doc;
  parse_json_text(json, doc, "issue");
  return IssueReader(limits, complete).issue(doc);
}

}  // namespace

JiraIssue parse_issue(std::string_view json, const ParseLimits& limits) {
  return parse_text(json, limits, false);
}

JiraIssue parse_issue(const rapidjson::Value& issue_object, const ParseLimits& limits) {
  return IssueReader(limits, false).issue(issue_object);
}

JiraIssue parse_complete_issue(std::string_view json, const ParseLimits& limits) {
  return parse_text(json, limits, true);
}

JiraIssue parse_complete_issue(const rapidjson::Value& issue_object, const ParseLimits& limits) {
  return IssueReader(limits, true).issue(issue_object);
}

IssueRef parse_issue_ref(const rapidjson::Value& issue_object) {
  return IssueReader(ParseLimits{}, false).ref(issue_object);
}

}  // namespace jirasync
