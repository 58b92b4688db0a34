#pragma once

#include <string_view>

namespace jirasync {

// An issue key as Jira writes it: a project key (an upper-case letter, then
// upper-case letters, digits or '_') a '-' and the issue number (no leading
// zero), e.g. WRKA-123.
bool is_issue_key(std::string_view key);

// The project part of a key that passed is_issue_key ("WRKA" for "WRKA-123").
std::string_view project_of_key(std::string_view key);

}  // namespace jirasync
