#pragma once

#include <string>

#include <rapidjson/document.h>

#include "common/json/json_writer.hpp"
#include "common/model/jira_issue.hpp"

namespace jirasync {

// Our own compact JSON form of a parsed JiraIssue (carried inside Decision;
// not Jira's REST shape). Members are the struct's field names in snake_case;
// optional values are null when absent; times are epoch milliseconds.
//
// description_adf and the custom field values are JSON texts; they travel as
// strings ("description_adf_json", "custom_fields_json": {"customfield_1":
// "..."}), exact in a round trip and cheap: embedding them as values meant
// parsing and re-writing each one to prove it would round-trip (jq's
// `fromjson` reads them). Readers also take the embedded "description_adf"
// and "custom_fields" values of earlier writers. An empty description_adf is
// left out.
std::string issue_to_json(const JiraIssue& issue);
void write_issue(JsonWriter& writer, const JiraIssue& issue);

// Throws PayloadError naming the field, prefixed with `path` ("issue.summary").
JiraIssue issue_from_json(const rapidjson::Value& value, const std::string& path = "issue");
// Same from text; invalid JSON is a PayloadError("json", ...).
JiraIssue issue_from_json(const std::string& json);

}  // namespace jirasync
