#pragma once

#include <string>
#include <vector>

#include "common/store/ticket_records.hpp"

namespace jirasync {

// What local data the cache accepts, checked before anything is written (by
// the SQL store and its fake alike, and by the CLI before it opens the cache).

// Throws std::invalid_argument naming the tag unless it is non-empty, at
// most 64 bytes and free of whitespace, control characters and commas.
void validate_tag(const std::string& tag);
// Input order, without repeats: `tag a a` adds one tag and reports it once.
// Throws std::invalid_argument for no tags or a bad one.
std::vector<std::string> validated_tags(const std::vector<std::string>& tags);
// "TYPE:ID" (split at the first ':'); throws std::invalid_argument naming the
// text and the rule it breaks.
LinkTarget parse_link_target(const std::string& text);
void validate_link_target(const LinkTarget& target);
// The fields a local edit may override, and the check (std::invalid_argument
// naming the field and the choices).
const std::vector<std::string>& local_edit_fields();
void validate_local_edit_field(const std::string& field);
// How a conflict is resolved: "jira" or "local"; throws std::invalid_argument otherwise.
void validate_conflict_take(const std::string& take);

}  // namespace jirasync
