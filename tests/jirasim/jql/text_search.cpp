#include "tests/jirasim/jql/text_search.hpp"

#include <array>

#include "tests/jirasim/jql/ascii.hpp"

namespace jirasim::jql {
namespace {

constexpr size_t kMaxWord = 64;  // longer words are compared on their first 64 bytes

bool word_char(char c) {
  return ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

bool is_stop_word(std::string_view w) {
  if (w.size() > 5) return false;  // no stop word is longer
  // Lucene's default English stop words, which Jira's index drops.
  static constexpr std::string_view kStop[] = {
      "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
      "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
      "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
  for (std::string_view s : kStop) {
    if (s == w) return true;
  }
  return false;
}

// Length of the stem of lower-case word `w`: strips one common suffix,
// keeping at least three characters.
size_t stem_length(std::string_view w) {
  auto strip = [&](std::string_view suffix) -> size_t {
    if (w.size() >= suffix.size() + 3 && w.ends_with(suffix)) return w.size() - suffix.size();
    return 0;
  };
  for (std::string_view suffix : {"ies", "ing", "ed", "es", "e", "y"}) {
    if (size_t n = strip(suffix)) return n;
  }
  if (!w.ends_with("ss")) {
    if (size_t n = strip("s")) return n;
  }
  return w.size();
}

// Walks the words of a text without allocating: each word is lower-cased
// into a fixed buffer.
class WordCursor {
 public:
  explicit WordCursor(std::string_view text) : text_(text) {}

  // Advances to the next word that is not a stop word; false at the end.
  bool next() {
    for (;;) {
      while (pos_ < text_.size() && !word_char(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) return false;
      len_ = 0;
      while (pos_ < text_.size() && word_char(text_[pos_])) {
        if (len_ < kMaxWord) buf_[len_++] = ascii_lower(text_[pos_]);
        ++pos_;
      }
      if (!is_stop_word(word())) return true;
    }
  }

  std::string_view word() const { return {buf_.data(), len_}; }
  std::string_view stem() const { return word().substr(0, stem_length(word())); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  std::array<char, kMaxWord> buf_{};
  size_t len_ = 0;
};

std::vector<std::string> stems_of(std::string_view text) {
  std::vector<std::string> out;
  WordCursor c(text);
  while (c.next()) out.emplace_back(c.stem());
  return out;
}

}  // namespace

TextQuery TextQuery::parse(std::string_view query) {
  TextQuery q;
  size_t pos = 0;
  while (pos < query.size()) {
    if (query[pos] == '"') {
      const size_t end = query.find('"', pos + 1);
      const std::string_view phrase = query.substr(
          pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1);
      pos = end == std::string_view::npos ? query.size() : end + 1;
      Term t;
      t.kind = Term::Kind::Phrase;
      t.words = stems_of(phrase);
      if (t.words.size() == 1) t.kind = Term::Kind::Word;
      if (!t.words.empty()) q.terms_.push_back(std::move(t));
      continue;
    }
    if (query[pos] == ' ') {
      ++pos;
      continue;
    }
    // One whitespace-separated chunk; a trailing '*' makes its last word a prefix.
    size_t end = pos;
    while (end < query.size() && query[end] != ' ' && query[end] != '"') ++end;
    std::string_view chunk = query.substr(pos, end - pos);
    pos = end;
    const bool prefix = chunk.ends_with('*');
    std::string prefix_word;
    if (prefix) {
      // Lucene does not analyse a wildcard term, so a stop word stays a prefix ("with*").
      size_t start = chunk.size() - 1;
      while (start > 0 && word_char(chunk[start - 1])) --start;
      for (size_t k = start; k + 1 < chunk.size(); ++k) prefix_word += ascii_lower(chunk[k]);
      chunk = chunk.substr(0, start);
    }
    WordCursor c(chunk);
    while (c.next()) q.terms_.push_back(Term{Term::Kind::Word, {std::string(c.stem())}});
    if (!prefix_word.empty()) q.terms_.push_back(Term{Term::Kind::Prefix, {prefix_word}});
  }
  return q;
}

bool TextQuery::term_in(size_t i, std::string_view text) const {
  const Term& t = terms_[i];
  WordCursor c(text);
  switch (t.kind) {
    case Term::Kind::Word:
      while (c.next()) {
        if (c.stem() == t.words[0]) return true;
      }
      return false;
    case Term::Kind::Prefix:
      while (c.next()) {
        if (c.word().starts_with(t.words[0])) return true;
      }
      return false;
    case Term::Kind::Phrase:
      while (c.next()) {
        if (c.stem() != t.words[0]) continue;
        WordCursor rest = c;
        size_t k = 1;
        while (k < t.words.size() && rest.next() && rest.stem() == t.words[k]) ++k;
        if (k == t.words.size()) return true;
      }
      return false;
  }
  return false;
}

bool TextQuery::all_in(std::string_view text) const {
  for (size_t i = 0; i < terms_.size(); ++i) {
    if (!term_in(i, text)) return false;
  }
  return true;
}

}  // namespace jirasim::jql
