#pragma once

#include <stdexcept>
#include <string>

namespace jirasync {

// A query the cache cannot run. `what()` is the whole message, worded as Jira
// words it ("Error in the JQL Query: Expecting ... but got ... (line 1,
// character 9)"); line and character (1-based, in characters) point at the
// token at fault, 0 when the error is about the query as a whole (an unknown
// field, a value of the wrong kind).
class JqlError : public std::runtime_error {
 public:
  enum class Kind {
    kSyntax,       // the text does not parse
    kInvalid,      // parses, but a field, operator, value or function is wrong
    kUnsupported,  // valid Jira JQL the cache cannot answer (WAS, membersOf, ...)
  };
  JqlError(Kind kind, const std::string& message, int line = 0, int character = 0)
      : std::runtime_error(message), kind_(kind), line_(line), character_(character) {}
  Kind kind() const { return kind_; }
  int line() const { return line_; }
  int character() const { return character_; }

 private:
  Kind kind_;
  int line_;
  int character_;
};

}  // namespace jirasync
