#include "tests/jirasim/issue_edit.hpp"

#include "common/time/jira_time.hpp"
#include "tests/jirasim/adf_document.hpp"
#include "tests/jirasim/http_types.hpp"
#include "tests/jirasim/issue_catalog.hpp"
#include "tests/jirasim/json_writer.hpp"

namespace jirasim {

namespace {

ApiError bad(const std::string& field, const std::string& why) {
  return ApiError{400, "field '" + field + "': " + why};
}

std::string text(const std::string& field, const rapidjson::Value& v) {
  if (!v.IsString()) throw bad(field, "must be a string");
  return std::string(v.GetString(), v.GetStringLength());
}

std::string optional_text(const std::string& field, const rapidjson::Value& v) {
  return v.IsNull() ? std::string() : text(field, v);
}

std::vector<std::string> text_list(const std::string& field, const rapidjson::Value& v) {
  if (!v.IsArray()) throw bad(field, "must be a list of strings");
  std::vector<std::string> out;
  for (const auto& e : v.GetArray()) out.push_back(text(field, e));
  return out;
}

std::string to_json(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  v.Accept(w);
  return buf.GetString();
}

int64_t instant(const std::string& field, const rapidjson::Value& v) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsString()) {
    try {
      return jirasync::parse_jira_time(v.GetString());
    } catch (const std::exception& e) {
      throw bad(field, e.what());
    }
  }
  throw bad(field, "must be epoch milliseconds or a timestamp with an offset");
}

std::string person(const std::string& field, const rapidjson::Value& v, const People& people) {
  if (v.IsNull()) return "";
  std::string who = text(field, v);
  std::string id = people.resolve(who);
  if (id.empty()) throw bad(field, "no user '" + who + "'");
  return id;
}

}  // namespace

void apply_issue_fields(SimIssue& issue, const rapidjson::Value& fields, const IssueStore& store,
                        const People& people) {
  if (!fields.IsObject()) throw ApiError{400, "the request body must be a JSON object of fields"};
  for (auto it = fields.MemberBegin(); it != fields.MemberEnd(); ++it) {
    const std::string name(it->name.GetString(), it->name.GetStringLength());
    const rapidjson::Value& v = it->value;
    if (name == "summary") {
      issue.summary = text(name, v);
      if (issue.summary.empty()) throw bad(name, "must not be empty");
    } else if (name == "status") {
      issue.status = text(name, v);
      const StatusDef* def = find_status(issue.status);
      if (def != nullptr) {
        issue.status = def->name;
        issue.status_category = def->category;
      } else if (!fields.HasMember("statusCategory")) {
        throw bad(name, "unknown status '" + issue.status + "'; give statusCategory too");
      }
    } else if (name == "statusCategory") {
      issue.status_category = text(name, v);
      if (find_status_category(issue.status_category) == nullptr) {
        throw bad(name, "must be new, indeterminate or done");
      }
    } else if (name == "priority") {
      issue.priority = optional_text(name, v);
    } else if (name == "assignee") {
      issue.assignee_id = person(name, v, people);
    } else if (name == "reporter") {
      issue.reporter_id = person(name, v, people);
    } else if (name == "labels") {
      issue.labels = text_list(name, v);
    } else if (name == "components") {
      issue.components = text_list(name, v);
    } else if (name == "fixVersions") {
      issue.fix_versions = text_list(name, v);
    } else if (name == "issuetype") {
      const IssueTypeDef* def = find_issue_type(text(name, v));
      if (def == nullptr) throw bad(name, "unknown issue type '" + text(name, v) + "'");
      issue.issue_type = def->name;
      issue.subtask = def->subtask;
    } else if (name == "parent") {
      if (v.IsNull()) {
        issue.parent_id = 0;
      } else {
        std::string ref = v.IsInt64() ? std::to_string(v.GetInt64()) : text(name, v);
        IssuePtr parent = store.find(ref);
        if (!parent) throw bad(name, "no issue '" + ref + "'");
        issue.parent_id = parent->id;
      }
    } else if (name == "resolution") {
      issue.resolution = optional_text(name, v);
      if (issue.resolution.empty()) issue.resolution_ms = 0;
    } else if (name == "description") {
      if (v.IsNull()) {
        issue.description_adf = "null";
      } else if (v.IsString()) {
        issue.description_adf = adf_from_text(v.GetString());
      } else if (v.IsObject()) {
        issue.description_adf = to_json(v);
      } else {
        throw bad(name, "must be an ADF document, a string or null");
      }
    } else if (name == "created") {
      issue.created_ms = instant(name, v);
    } else if (name == "updated") {
      issue.updated_ms = instant(name, v);
    } else if (name == "duedate") {
      issue.due_date = optional_text(name, v);
    } else if (name == "creator") {
      issue.creator_id = person(name, v, people);
    } else if (name == "versions") {
      issue.affected_versions = text_list(name, v);
    } else if (name == "environment") {
      issue.environment = optional_text(name, v);
    } else if (name == "commentCount") {
      // Simulator only: the issue has this many generated comments, one a
      // second after `created` (GET .../comment pages them).
      if (!v.IsInt() || v.GetInt() < 0 || v.GetInt() > 5000) {
        throw bad(name, "must be a whole number from 0 to 5000 (Jira's limit per issue)");
      }
      issue.comment_count = v.GetInt();
      issue.comment_gap_ms = 1000;
    } else if (name.rfind("customfield_", 0) == 0) {
      if (v.IsNull()) {
        issue.custom_fields.erase(name);
      } else {
        issue.custom_fields[name] = to_json(v);
      }
    } else if (name != "project") {
      throw bad(name, "is not a field the simulator knows");
    }
  }
}

}  // namespace jirasim
