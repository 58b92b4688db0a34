#pragma once

#include <string>

namespace jirasim::jql {

enum class TokenKind {
  Word,    // unquoted text: field names, keywords, values, function names
  String,  // quoted text ("..." or '...'), already unescaped
  LParen,
  RParen,
  Comma,
  Operator,  // = != ~ !~ > >= < <= ! & && | ||
  End,
};

// One lexeme with the 1-based position Jira reports in its error messages.
struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;  // unescaped value (String) or the source text
  int line = 1;
  int column = 1;
};

}  // namespace jirasim::jql
