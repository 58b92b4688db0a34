#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace jirasync {

// A template that cannot be read, or a parameter value it refuses. The
// message names the template and the parameter.
class TemplateError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// What a placeholder accepts, and how its value reaches the JQL text:
//   ${name}        text: any one line, always written as a quoted JQL string
//   ${name:int}    a whole number 0..999999999, written as digits
//   ${name:list}   comma-separated texts, each quoted: "a", "b"
//   ${name:date}   -7d / 4h style offsets (written bare), 2024-03-05 or
//                  "2024-03-05 10:30" (quoted), epoch milliseconds (digits), or
//                  `last-sync`: the newest successful sync, from the caller
// No value is ever pasted without passing one of these shapes.
enum class ParamKind { kText, kInteger, kList, kDate };
const char* to_string(ParamKind kind);

struct TemplateParam {
  std::string name;
  ParamKind kind = ParamKind::kText;
  std::string fallback;  // the default; "" means the caller must give it
};

// A saved JQL query with named placeholders.
struct QueryTemplate {
  std::string name;  // lowercase letters, digits, '-'
  std::string description;
  std::string jql;  // with ${...} placeholders
  std::map<std::string, std::string> defaults;
  bool builtin = false;

  // The placeholders in order of first use (kinds from the placeholder).
  // Throws TemplateError for a malformed placeholder, a name used with two
  // kinds, or a default for no placeholder.
  std::vector<TemplateParam> params() const;
};

// What the expansion needs from outside the template.
struct TemplateContext {
  int64_t last_sync_ms = 0;  // for `last-sync`; 0 = no successful sync yet
};

// The JQL with every placeholder replaced by its checked, quoted value.
// `given` overrides defaults; a name the template lacks is an error.
std::string expand_template(const QueryTemplate& t, const std::map<std::string, std::string>& given,
                            const TemplateContext& context = {});

// A JQL string literal: "..." with backslash and double quote escaped.
// Refuses control characters (JQL has no escape for them that Jira and the
// cache would read alike).
std::string quote_jql_string(const std::string& value);

}  // namespace jirasync
