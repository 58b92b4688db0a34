#include "services/reconciler/raw_record_decoding.hpp"

#include <variant>

#include "common/json/payload_error.hpp"

namespace jirasync {

DecodedRawRecord decode_raw_record_value(const std::string& value, const ParseLimits& limits) {
  DecodedRawRecord out;
  rapidjson::Document doc;
  ParsedRawRecord parsed;
  try {
    parsed = parse_raw_record(value, doc);
    out.record = std::move(parsed.record);
  } catch (const std::exception& e) {
    out.error = std::string("envelope: ") + e.what();
    return out;
  }
  const auto* snapshot = std::get_if<IssueSnapshot>(&*out.record);
  if (snapshot == nullptr) return out;
  if (!snapshot->unreadable.empty()) {
    // The fetcher could not carry it (too deep): rejected by id, with the reason.
    out.error = "issue: " + snapshot->unreadable;
    return out;
  }
  try {
    if (value.size() > limits.max_issue_bytes) {
      throw PayloadError("issue", "is " + std::to_string(value.size()) +
                                      " bytes with its envelope, over the limit of " +
                                      std::to_string(limits.max_issue_bytes));
    }
    // The complete rule: the cache only stores issues with the fields the fetcher asks for.
    JiraIssue issue = parse_complete_issue(*parsed.issue, limits);
    if (issue.id != snapshot->issue_id) {
      throw PayloadError("id", "issue id '" + issue.id +
                                   "' does not match the record's issue_id '" + snapshot->issue_id +
                                   "'");
    }
    if (issue.updated_ms <= 0) throw PayloadError("fields.updated", "missing or unreadable");
    out.issue = std::move(issue);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

ParseLimits parse_limits(const Config& config) {
  ParseLimits limits;
  limits.max_issue_bytes = static_cast<size_t>(config.max_issue_bytes);
  limits.max_field_bytes = static_cast<size_t>(config.max_field_bytes);
  return limits;
}

}  // namespace jirasync
