#pragma once

#include <optional>
#include <string>

#include "common/config/config.hpp"
#include "common/envelope/raw_record.hpp"
#include "common/model/issue_parser.hpp"
#include "common/model/jira_issue.hpp"

namespace jirasync {

// One `issues.raw` record after decoding and parsing, as the reconciler reads
// it (and `jirasync replay` with it); `error` says why it is bad.
struct DecodedRawRecord {
  std::optional<RawRecord> record;  // absent: the envelope itself is unreadable
  std::optional<JiraIssue> issue;   // snapshots that parsed
  std::string error;
};

// Envelope and issue in one parse of untrusted text; a snapshot's issue must
// be complete, carry the record's id and a readable `updated`, and fit the limits.
DecodedRawRecord decode_raw_record_value(const std::string& value, const ParseLimits& limits);

// The configured caps on a Jira payload.
ParseLimits parse_limits(const Config& config);

}  // namespace jirasync
