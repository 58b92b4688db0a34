#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

// What `~` looks for, read the way Jira's Lucene index reads it: words
// (runs of letters and digits; any non-ASCII byte counts as a letter), English
// stop words dropped, `win*` a prefix, `"\"exact phrase\""` words in order,
// and every term required. The full-text index does the stemming.
struct TextTerm {
  enum class Kind { kWord, kPrefix, kPhrase };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // lower-case (ASCII), never empty
};

// Empty when the text has no searchable word.
std::vector<TextTerm> text_terms(std::string_view query);

// An FTS5 MATCH expression over `columns` ("summary", or "summary description"),
// every term quoted so no input can be FTS5 syntax.
std::string fts5_match(const std::vector<TextTerm>& terms, std::string_view columns);

// A to_tsquery() text: 'word' & 'pre':* & ('a' <-> 'b').
std::string ts_query(const std::vector<TextTerm>& terms);

}  // namespace jirasync
