#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace jirasync {

// Node levels an ADF document may nest before it is refused (Atlassian's
// editor stays far below this; the cap keeps recursion bounded).
inline constexpr int kMaxAdfDepth = 100;

// Renders an Atlassian Document Format document as plain text for search and
// display (the cache keeps the ADF itself, so this may lose formatting):
// - blocks (paragraph, heading, codeBlock, panel, table, ...) are separated by
//   one blank line; headings are their text; rule is "---";
// - bulletList "- ", orderedList "N. " (from attrs.order), nested lists and
//   continuation lines indented under their marker; taskItem "[ ] "/"[x] ";
//   decisionItem "- "; blockquote lines "> ";
// - table rows one per line, cells joined by " | ";
// - mention attrs.text (else "@" + id), emoji attrs.text (else shortName),
//   inlineCard/blockCard/embedCard attrs.url, status attrs.text, date
//   attrs.timestamp as yyyy-mm-dd (UTC), media alt/filename or "[media]",
//   expand title then content, link marks append " (href)" when href differs
//   from the text, hardBreak a newline;
// - unknown nodes degrade to the text inside them.
// UTF-8 passes through untouched. Every line's trailing whitespace is trimmed
// and runs of blank lines collapse to one (inside code blocks too: the ADF is
// the verbatim copy).
// Throws PayloadError naming the JSON path (e.g. "description.content[2].text")
// for a structurally wrong document or nesting deeper than kMaxAdfDepth.
std::string adf_to_text(const rapidjson::Value& adf, const std::string& field = "description");

// Same, from JSON text; invalid JSON throws PayloadError(field, ...).
std::string adf_to_text(std::string_view json, const std::string& field = "description");

}  // namespace jirasync
