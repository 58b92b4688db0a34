#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jirasim::jql {

// What `summary ~ "..."`, `description ~` and `text ~` look for, modelled on
// Jira's Lucene search, kept small:
//  - the text and the query are split into words (letters and digits; any
//    non-ASCII byte counts as a letter), compared case-insensitively;
//  - words are reduced by a light English stemmer (tests/testing/tested ->
//    test, stories/story -> stor), so "crash" finds "crashes";
//  - common English stop words (the, a, of, ...) are ignored on both sides;
//  - "win*" is a prefix search (no stemming);
//  - "\"exact phrase\"" (a phrase in inner quotes) needs those words in order;
//  - every word and phrase of the query must occur (Jira Cloud's AND).
// Not modelled: fuzzy (~), proximity, boosts, boolean operators inside the text.
class TextQuery {
 public:
  // Empty when the query has no searchable word at all.
  static TextQuery parse(std::string_view query);

  bool empty() const { return terms_.empty(); }
  size_t term_count() const { return terms_.size(); }

  // True when term `i` occurs in `text`.
  bool term_in(size_t i, std::string_view text) const;
  // True when every term occurs in `text`.
  bool all_in(std::string_view text) const;

 private:
  struct Term {
    enum class Kind { Word, Prefix, Phrase };
    Kind kind = Kind::Word;
    std::vector<std::string> words;  // stems (Word, Phrase) or the lower-case prefix
  };
  std::vector<Term> terms_;
};

}  // namespace jirasim::jql
