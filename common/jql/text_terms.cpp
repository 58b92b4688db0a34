#include "common/jql/text_terms.hpp"

namespace jirasync {
namespace {

bool word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || u >= 0x80;
}

// Lucene's English stop words (what Jira's index leaves out).
bool stop_word(const std::string& w) {
  static const char* const kStop[] = {
      "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
      "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
      "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};
  for (const char* s : kStop) {
    if (w == s) return true;
  }
  return false;
}

std::vector<std::string> words_of(std::string_view s, std::vector<bool>* starred) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!word_char(s[i])) {
      ++i;
      continue;
    }
    std::string w;
    while (i < s.size() && word_char(s[i])) {
      char c = s[i++];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      w += c;
    }
    if (starred) starred->push_back(i < s.size() && s[i] == '*');
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

std::vector<TextTerm> text_terms(std::string_view q) {
  std::vector<TextTerm> terms;
  size_t i = 0;
  while (i < q.size()) {
    const size_t quote = q.find('"', i);
    const std::string_view loose =
        q.substr(i, quote == std::string_view::npos ? q.npos : quote - i);
    std::vector<bool> starred;
    const auto words = words_of(loose, &starred);
    for (size_t k = 0; k < words.size(); ++k) {
      if (starred[k]) {
        terms.push_back({TextTerm::Kind::kPrefix, {words[k]}});
      } else if (!stop_word(words[k])) {
        terms.push_back({TextTerm::Kind::kWord, {words[k]}});
      }
    }
    if (quote == std::string_view::npos) break;
    const size_t close = q.find('"', quote + 1);
    const std::string_view phrase =
        q.substr(quote + 1, close == std::string_view::npos ? q.npos : close - quote - 1);
    std::vector<std::string> kept;
    for (auto& w : words_of(phrase, nullptr)) {
      if (!stop_word(w)) kept.push_back(std::move(w));
    }
    if (kept.size() == 1) terms.push_back({TextTerm::Kind::kWord, std::move(kept)});
    if (kept.size() > 1) terms.push_back({TextTerm::Kind::kPhrase, std::move(kept)});
    if (close == std::string_view::npos) break;
    i = close + 1;
  }
  return terms;
}

std::string fts5_match(const std::vector<TextTerm>& terms, std::string_view columns) {
  // Words hold only letters, digits and non-ASCII bytes, so a double-quoted
  // FTS5 string needs no escaping.
  std::string out = "{" + std::string(columns) + "} : (";
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i) out += " AND ";
    const TextTerm& t = terms[i];
    if (t.kind == TextTerm::Kind::kPhrase) {
      out += '"';
      for (size_t k = 0; k < t.words.size(); ++k) out += (k ? " " : "") + t.words[k];
      out += '"';
    } else {
      out += '"' + t.words[0] + '"';
      if (t.kind == TextTerm::Kind::kPrefix) out += " *";
    }
  }
  return out + ")";
}

std::string ts_query(const std::vector<TextTerm>& terms) {
  std::string out;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i) out += " & ";
    const TextTerm& t = terms[i];
    if (t.kind == TextTerm::Kind::kPhrase) {
      out += '(';
      for (size_t k = 0; k < t.words.size(); ++k) out += (k ? " <-> '" : "'") + t.words[k] + "'";
      out += ')';
    } else {
      out += "'" + t.words[0] + "'";
      if (t.kind == TextTerm::Kind::kPrefix) out += ":*";
    }
  }
  return out;
}

}  // namespace jirasync
