#pragma once

#include <string>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/model/jira_issue.hpp"

namespace jirasync {

// Our own compact JSON form of a parsed JiraIssue (carried inside Decision;
// not Jira's REST shape). Members are the struct's field names in snake_case;
// optional values are null when absent; times are epoch milliseconds.
//
// description_adf and the custom field values are JSON texts. They are
// embedded as JSON values ("description_adf": {...}, "custom_fields":
// {"customfield_10010": [...]}) when RapidJSON writes them back byte for byte
// -- true for the canonical compact form the model produces -- so the topic
// stays readable with kcat/jq. Any other text goes as a string under
// "description_adf_json" / "custom_fields_json" instead, so a round trip is
// always exact. An empty description_adf is left out.
std::string issue_to_json(const JiraIssue& issue);
void write_issue(rapidjson::Writer<rapidjson::StringBuffer>& writer, const JiraIssue& issue);

// Throws PayloadError naming the field, prefixed with `path` ("issue.summary").
JiraIssue issue_from_json(const rapidjson::Value& value, const std::string& path = "issue");
// Same from text; invalid JSON is a PayloadError("json", ...).
JiraIssue issue_from_json(const std::string& json);

}  // namespace jirasync
