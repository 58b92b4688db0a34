#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jirasync {

struct JqlToken {
  enum class Kind {
    kWord,      // unquoted text: a field, keyword, value or function name
    kString,    // quoted text, escapes resolved
    kOperator,  // = != > >= < <= ~ !~
    kLeftParen,
    kRightParen,
    kComma,
    kEnd,
  };
  Kind kind = Kind::kEnd;
  std::string text;
  int line = 1, character = 1;  // 1-based; characters, not bytes
};

// Splits JQL into tokens (the last one kEnd). Throws JqlError (kSyntax) for an
// unfinished string, an illegal escape or a reserved character outside quotes.
std::vector<JqlToken> lex_jql(std::string_view text);

}  // namespace jirasync
