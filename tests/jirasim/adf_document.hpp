#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jirasim {

struct SimUser;

// A deterministic Atlassian Document Format description for (seed, issue id,
// version): paragraphs with marks, headings, lists, code blocks, tables,
// quotes, mentions and emoji, in Latin, Cyrillic and CJK text. "null" for the
// ~8% of issues without a description (Jira returns null for those).
std::string generate_adf(uint64_t seed, int64_t issue_id, int version,
                         const std::vector<SimUser>& people);

// Plain text of an ADF document (JQL `~` and the cache's text rendering); "" for null.
std::string adf_to_text(std::string_view adf_json);

// HTML as Jira's renderedFields shows it; "" for null.
std::string adf_to_html(std::string_view adf_json);

// A one-paragraph ADF document holding `text` (control API convenience).
std::string adf_from_text(std::string_view text);

}  // namespace jirasim
