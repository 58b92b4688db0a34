#include "tests/jirasim/field_list.hpp"

#include <string_view>

#include "tests/jirasim/issue_catalog.hpp"
#include "tests/jirasim/jql/ascii.hpp"
#include "tests/jirasim/json_writer.hpp"

namespace jirasim {
namespace {

// A field's `schema`: Jira's JsonTypeBean. `custom` is the plugin type of a
// custom field; `items` the element type of an array.
struct FieldSchema {
  std::string_view field;
  const char* type;
  const char* items = nullptr;
  const char* custom = nullptr;
  bool orderable = true;  // editable on a screen
};

constexpr FieldSchema kSchemas[] = {
    {"summary", "string"},
    {"status", "status", nullptr, nullptr, false},
    {"issuetype", "issuetype"},
    {"project", "project"},
    {"priority", "priority"},
    {"assignee", "user"},
    {"reporter", "user"},
    {"creator", "user", nullptr, nullptr, false},
    {"labels", "array", "string"},
    {"components", "array", "component"},
    {"fixVersions", "array", "version"},
    {"versions", "array", "version"},
    {"parent", "issuelink"},
    {"resolution", "resolution"},
    {"resolutiondate", "datetime", nullptr, nullptr, false},
    {"created", "datetime", nullptr, nullptr, false},
    {"updated", "datetime", nullptr, nullptr, false},
    {"statuscategorychangedate", "datetime", nullptr, nullptr, false},
    {"duedate", "date"},
    {"environment", "string"},
    {"description", "string"},
    {"comment", "comments-page"},
    {"attachment", "array", "attachment"},
    {"issuelinks", "array", "issuelinks"},
    {"subtasks", "array", "issuelinks", nullptr, false},
    {"timetracking", "timetracking"},
    {"customfield_10016", "number", nullptr,
     "com.atlassian.jira.plugin.system.customfieldtypes:float"},
    {"customfield_10020", "array", "json", "com.pyxis.greenhopper.jira:gh-sprint"},
    {"customfield_10021", "option", nullptr,
     "com.atlassian.jira.plugin.system.customfieldtypes:select"},
    {"customfield_10015", "date", nullptr,
     "com.atlassian.jira.plugin.system.customfieldtypes:datepicker"},
};

const FieldSchema* schema_of(std::string_view id) {
  for (const FieldSchema& s : kSchemas) {
    if (s.field == id) return &s;
  }
  return nullptr;
}

constexpr std::string_view kCustomPrefix = "customfield_";

}  // namespace

std::string field_list_json() {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartArray();
  for (const FieldDef& def : fields()) {
    const std::string_view id = def.id;
    const bool custom = id.starts_with(kCustomPrefix);
    const FieldSchema* schema = schema_of(id);
    w.StartObject();
    w.Key("id");
    write_string(w, id);
    w.Key("key");
    write_string(w, id);
    w.Key("name");
    w.String(def.name);
    w.Key("custom");
    w.Bool(custom);
    w.Key("orderable");
    w.Bool(schema == nullptr || schema->orderable);
    w.Key("navigable");
    w.Bool(def.navigable);
    w.Key("searchable");
    w.Bool(true);
    w.Key("clauseNames");
    w.StartArray();
    if (custom) {
      const std::string_view number = id.substr(kCustomPrefix.size());
      write_string(w, "cf[" + std::string(number) + "]");
      w.String(def.name);
    } else {
      write_string(w, id);
    }
    w.EndArray();
    w.Key("schema");
    w.StartObject();
    w.Key("type");
    w.String(schema ? schema->type : "any");
    if (schema && schema->items) {
      w.Key("items");
      w.String(schema->items);
    }
    if (custom) {
      w.Key("custom");
      w.String(schema && schema->custom
                   ? schema->custom
                   : "com.atlassian.jira.plugin.system.customfieldtypes:textfield");
      w.Key("customId");
      w.Int64(std::stoll(std::string(id.substr(kCustomPrefix.size()))));
    } else {
      w.Key("system");
      write_string(w, id);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize());
}

const jql::CustomFieldNames& custom_field_names() {
  static const jql::CustomFieldNames names = [] {
    jql::CustomFieldNames out;
    for (const FieldDef& def : fields()) {
      const std::string_view id = def.id;
      if (!id.starts_with(kCustomPrefix)) continue;
      std::string name = def.name;
      for (char& c : name) c = jql::ascii_lower(c);
      out.emplace(std::move(name), std::string(id));
    }
    return out;
  }();
  return names;
}

}  // namespace jirasim
